// Parses opm's own CUE files (core schema, built-in Kubernetes provider) at
// build time into packages/core/dist/shipped-trees.jsonl, which a cold opm
// reads instead of parsing them (packages/core/src/shipped-trees.ts: a tree
// is used only for the exact file and text it was made from, and only while
// the artifact is newer than the CUE parser's build). Run by `npm run build`
// after tsc -b, before the CLI bundle (whose warm-up run then reads it).
//
// Usage: node scripts/shipped-trees.js
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The compiled modules, not the bundles: the parser the bundles hold, and the sources as shipped.ts reads them.
const { newContext } = await import(path.join(root, 'packages/cue/dist/index.js'));
const { readCuePackage } = await import(path.join(root, 'packages/core/dist/sources.js'));
const { nodeFileSystem } = await import(path.join(root, 'packages/core/dist/fs.js'));
const { SCHEMA_DIR, KUBERNETES_PROVIDER_DIR } = await import(path.join(root, 'packages/core/dist/shipped.js'));
const { SHIPPED_TREES, shippedTreesText } = await import(path.join(root, 'packages/core/dist/shipped-trees.js'));

const ctx = newContext();
const sources = [...(await readCuePackage(nodeFileSystem, SCHEMA_DIR)), ...(await readCuePackage(nodeFileSystem, KUBERNETES_PROVIDER_DIR))];
const out = fileURLToPath(SHIPPED_TREES);
writeFileSync(`${out}.${process.pid}`, shippedTreesText(sources, (s) => ctx.parse({ filename: s.filename, text: s.text })));
renameSync(`${out}.${process.pid}`, out);
