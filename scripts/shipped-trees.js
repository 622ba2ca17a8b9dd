// Parses opm's own CUE files (core schema, built-in Kubernetes provider) at
// build time into packages/core/dist/shipped-trees.jsonl, which a cold opm
// reads instead of parsing them (packages/core/src/shipped-trees.ts: a tree
// is used only for the exact file and text it was made from, and only while
// the artifact is newer than the CUE parser's build). Run by `npm run build`
// after tsc -b, before the CLI bundle (whose warm-up run then reads it).
// Also works out what the provider's transformers declare for pre-selection
// into packages/core/dist/shipped-transformers.json (src/shipped-transformers.ts).
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
const { SHIPPED_TRANSFORMERS, shippedTransformersText } = await import(path.join(root, 'packages/core/dist/shipped-transformers.js'));
const { transformersOf } = await import(path.join(root, 'packages/core/dist/render.js'));
const { CORE_IMPORT_PATH } = await import(path.join(root, 'packages/core/dist/sources.js'));
const { KUBERNETES_PROVIDER_IMPORT_PATH } = await import(path.join(root, 'packages/core/dist/builtin-packages.js'));

const ctx = newContext();
const schema = await readCuePackage(nodeFileSystem, SCHEMA_DIR);
const provider = await readCuePackage(nodeFileSystem, KUBERNETES_PROVIDER_DIR);
const sources = [...schema, ...provider];
const out = fileURLToPath(SHIPPED_TREES);
writeFileSync(`${out}.${process.pid}`, shippedTreesText(sources, (s) => ctx.parse({ filename: s.filename, text: s.text })));
renameSync(`${out}.${process.pid}`, out);

// The provider built as a session builds it (session.ts providerPackage), its transformers evaluated as render.ts does.
const core = { id: CORE_IMPORT_PATH, packageName: 'v1', files: schema };
const pkg = await newContext().buildPackage(
  { id: KUBERNETES_PROVIDER_IMPORT_PATH, packageName: 'kubernetes', files: provider },
  { resolver: { resolve: async (p) => (p === CORE_IMPORT_PATH ? core : undefined) } },
);
const declared = Object.fromEntries(transformersOf(pkg, provider[0].filename).map((t) => [t.name, { kind: t.kind, requires: t.requires, when: t.when }]));
const tout = fileURLToPath(SHIPPED_TRANSFORMERS);
writeFileSync(`${tout}.${process.pid}`, shippedTransformersText(sources, declared));
renameSync(`${tout}.${process.pid}`, tout);
