import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests import workspace packages by name; map them to their sources so a test
// run never depends on a stale dist/.
const pkgs = ['cue', 'core', 'oci', 'kube', 'test-apiserver', 'operator', 'portal', 'cli'];
const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      ...pkgs.map((p) => ({ find: new RegExp(`^@opm/${p}$`), replacement: src(p) })),
      // A module of a package by its own path (@opm/core/browser, the browser entry; @opm/core/redact, imported
      // alone to keep start-up small): its source too.
      { find: new RegExp(`^@opm/(${pkgs.join('|')})/([\\w/-]+)$`), replacement: fileURLToPath(new URL('./packages/$1/src/$2.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
