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
      // The browser entry of core (see packages/core/src/browser.ts).
      { find: /^@opm\/core\/browser$/, replacement: fileURLToPath(new URL('./packages/core/src/browser.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
