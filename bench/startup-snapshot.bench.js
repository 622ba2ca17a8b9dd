// Would a V8 startup snapshot of the loaded CLI make `opm release build`
// start faster (issue 12 item 12)? This builds one in a temporary directory
// (`node --build-snapshot`: the bundle's loader and every chunk a release
// build loads, compiled from their V8 code caches so their bytecode is in the
// snapshot) and runs the build from it, in the same rounds as `opm` itself
// and `node -e 0`. Nothing derived from a release is in the snapshot.
// Measured on Node 20.20 (2 shared cores, interleaved rounds): no gain, one
// release and five examples within noise of opm's own figures. Deserializing
// the snapshot's heap (6.6 MiB) costs what loading the chunks with their code
// caches costs (`opm version` from it takes 50-70 ms more CPU than from the
// bundle, which loads no CUE chunk), and the build itself runs no faster.
// Adding the parsed core schema and provider to the snapshot (a prototype)
// saved their parse, ~30 ms CPU of a one-release build, and lost it again on
// five. So opm ships no snapshot; this bench measures it again on another
// Node version.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coldProcessesStats, exampleReleases, fmt, releasesDir } from './lib.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'packages/cli/dist/bundle');
const opm = join(root, 'packages/cli/bin/opm.js');
if (!createRequire(import.meta.url)('../packages/cli/bin/bundle-fresh.js').cliBundleIsFresh()) {
  console.log('CLI bundle missing or stale: run npm run build');
  process.exit(1);
}
const examples = exampleReleases();
const one = [join(releasesDir, 'web-app-prod.cue')];

// The snapshot's entry runs the bundle's own loader (bundle-loader.js; the
// snapshot builder's `require` gives built-ins only), then builds the command
// tree of `release build`, which loads that command group's chunks.
const dir = mkdtempSync(join(tmpdir(), 'opm-snapshot-'));
const entry = join(dir, 'entry.cjs');
const blob = join(dir, 'opm.blob');
const loaderFile = join(bundle, 'opm.js');
const loaderSource = readFileSync(loaderFile, 'utf8');
writeFileSync(
  entry,
  `const loader = { exports: {} };
new Function('exports', 'require', 'module', '__filename', '__dirname', ${JSON.stringify(`${loaderSource}\nexports.load = load;`)})(loader.exports, require, loader, ${JSON.stringify(loaderFile)}, ${JSON.stringify(bundle)});
const { main, buildProgram } = loader.exports.load(${JSON.stringify(join(bundle, 'main.cjs'))});
buildProgram(['release', 'build']);
require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {
  main(process.argv.slice(1), { directOutput: true }).then((code) => { process.exitCode = code; process.exit(); });
});
`,
);
// The loader sets V8 flags (--interrupt-budget, ...) and V8 refuses a snapshot
// run with other flags than it was built with: both get them on the command line.
const flags = loaderSource.match(/setFlagsFromString\('([^']*)'\)/)?.[1].split(' ') ?? [];
const built = spawnSync(process.execPath, [...flags, '--snapshot-blob', blob, '--build-snapshot', entry], { cwd: root, encoding: 'utf8' });
if (built.status !== 0) throw new Error(`building the snapshot failed:\n${built.stderr}`);
const fromSnapshot = (args) => [...flags, '--snapshot-blob', blob, ...args];
const blobSize = statSync(blob).size;

// Same output, or the figures mean nothing.
for (const args of [one, examples]) {
  const a = spawnSync(process.execPath, [opm, 'release', 'build', ...args], { cwd: root, encoding: 'utf8' });
  const b = spawnSync(process.execPath, fromSnapshot(['release', 'build', ...args]), { cwd: root, encoding: 'utf8' });
  if (a.status !== 0 || a.stdout !== b.stdout || a.stderr !== b.stderr || a.status !== b.status) throw new Error(`the snapshot's output differs from opm's:\n${b.stderr}`);
}

const s = coldProcessesStats(
  {
    node: ['-e', '0'],
    one: [opm, 'release', 'build', ...one],
    snapOne: fromSnapshot(['release', 'build', ...one]),
    five: [opm, 'release', 'build', ...examples],
    snapFive: fromSnapshot(['release', 'build', ...examples]),
    version: [opm, 'version'],
    snapVersion: fromSnapshot(['version']),
  },
  { runs: 7, cwd: root },
);
rmSync(dir, { recursive: true, force: true });

const r = (c) => `${fmt(c.wall)} (${(c.wall / s.node.wall).toFixed(2)}x${c.cpu !== undefined && s.node.cpu ? `, cpu ${(c.cpu / s.node.cpu).toFixed(2)}x` : ''})`;
console.log(`snapshot of the loaded CLI (${(blobSize / 2 ** 20).toFixed(1)} MiB); ratios to node -e 0 (${fmt(s.node.wall)}) in the same rounds:`);
console.log(`  one release:   opm ${r(s.one)}, from the snapshot ${r(s.snapOne)}`);
console.log(`  five examples: opm ${r(s.five)}, from the snapshot ${r(s.snapFive)}`);
console.log(`  opm version:   opm ${r(s.version)}, from the snapshot ${r(s.snapVersion)}`);
