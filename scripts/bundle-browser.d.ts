/** Bundles @opm/core's browser entry into one minified ES module at `out` (default packages/core/dist/bundle/opm-core.browser.js); returns its path. */
export function bundleBrowser(out?: string): Promise<string>;
