// Runs every bench/*.bench.js in its own Node process (so heap figures do not
// mix) and prints their reports; `node bench/run.js NAME` runs one of them.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => !only || f.startsWith(only))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n## ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, f)], { stdio: 'inherit', timeout: 15 * 60_000 });
  if (r.status !== 0) {
    failed++;
    console.log(`bench ${f} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
