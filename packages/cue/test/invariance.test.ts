// Unification is commutative, associative and idempotent, so a program's
// value does not depend on the order of its declarations, on how a package
// is split into files (or joined into one), on `a: b: c` versus `a: {b: c}`, or on writing a
// conjunct twice, and a value exported as CUE evaluates to itself. This runs the invariance checker (src/conformance/invariance)
// over a fixed sample of the CUE conformance corpus and over the repository's
// own CUE, and fails on any difference not listed below with its reason.
// The whole corpus: node packages/cue/dist/conformance/invariance/main.js [-v]
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkProgram, type Difference, type Program } from '../src/conformance/invariance/check.js';
import { programsIn, REPO_PACKAGES, repoProgram } from '../src/conformance/invariance/main.js';

const corpusDir = fileURLToPath(new URL('../../../../shared/cue-conformance/', import.meta.url));
const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Differences known today, by `program rewrite#seed`, with the reason. Each
 * is a bug to fix; the test fails when one goes away too, so the list stays
 * exact.
 */
const KNOWN: Record<string, string> = {};

/** Every SAMPLE_STEP-th archive of the corpus (in path order), from SAMPLE_OFFSET, and those of KNOWN: a fixed sample of bounded cost. */
const SAMPLE_STEP = 11;
const SAMPLE_OFFSET = 3;
const SEEDS = [1];

function key(d: Difference): string {
  return `${d.program} ${d.rewrite}#${d.seed}`;
}

function describeDifferences(ds: Difference[]): string {
  return ds.map((d) => `${key(d)}\n  written:   ${d.written}\n  rewritten: ${d.rewritten}`).join('\n');
}

const seen = new Set<string>();

async function check(dir: string, filter?: (name: string) => boolean): Promise<void> {
  for (const p of programsIn(dir)) if (!filter || filter(p.name)) await checkOne(p);
}

async function checkOne(p: Program): Promise<void> {
  {
    const { base, differences } = await checkProgram(p, { seeds: SEEDS });
    expect(base, `${p.name} evaluates`).not.toBe('load error');
    const fresh = differences.filter((d) => !(key(d) in KNOWN));
    for (const d of differences) seen.add(key(d));
    expect(fresh, describeDifferences(fresh)).toEqual([]);
  }
}

describe('invariance under meaning-preserving rewrites', () => {
  describe.runIf(existsSync(corpusDir))('CUE conformance corpus (sample)', () => {
    const all = existsSync(corpusDir) ? programsIn(corpusDir).map((p) => p.name) : [];
    const known = new Set(Object.keys(KNOWN).map((k) => k.split(' ')[0]!));
    const sample = all.filter((name, i) => i % SAMPLE_STEP === SAMPLE_OFFSET || known.has(name));
    for (const name of sample) {
      it(name, async () => {
        await check(corpusDir, (n) => n === name);
      }, 120_000);
    }
    it('lists only known differences that still occur in the sample', () => {
      const stale = Object.keys(KNOWN).filter((k) => sample.includes(k.split(' ')[0]!) && !seen.has(k));
      expect(stale, 'fixed: remove from KNOWN').toEqual([]);
    });
  });

  describe("the repository's own CUE", () => {
    it('packages/core/schema', async () => {
      expect(readdirSync(join(repo, 'packages/core/schema')).some((f) => f.endsWith('.cue'))).toBe(true);
      await check(join(repo, 'packages/core/schema'));
    }, 120_000);
    // The provider and catalog packages, with the schema as core.opm.dev/v1. (The larger
    // ecommerce-platform entry takes half a minute: `main.js --repo` checks it.)
    for (const dir of REPO_PACKAGES.filter((d) => !d.includes('ecommerce'))) {
      it(dir, async () => {
        await checkOne(repoProgram(repo, dir));
      }, 120_000);
    }
  });
});
