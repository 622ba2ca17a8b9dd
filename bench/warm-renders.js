// Child of release-build.bench.js, run under `node --single-threaded-gc
// --trace-gc-nvp`: renders the examples `argv[2]` times with one session and
// does nothing else, so the scavenges it traces are the renders' own.
import { exampleReleases } from './lib.js';

const examples = exampleReleases();
const { openSession, renderReleaseFile } = await import('../packages/core/dist/index.js');
const session = await openSession({});
const rounds = Number(process.argv[2] ?? 40);
for (let i = 0; i < rounds; i++) for (const f of examples) await renderReleaseFile(f, { session });
