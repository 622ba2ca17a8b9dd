// The web app's files: built by scripts/bundle-portal.js into dist/web and
// shipped in the package; nothing is fetched from elsewhere at run time.
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Both from src/ (tests) and from dist/ (the built package), the bundle is in dist/web. */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/**
 * Serves `pathname` from `dir`; paths the app routes itself (no extension) get index.html.
 * Returns false when there is no such file.
 */
export async function serveAsset(dir: string, pathname: string, res: ServerResponse): Promise<boolean> {
  let rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  if (rel.startsWith('..')) return false;
  if (rel === '' || extname(rel) === '') rel = 'index.html';
  const file = join(dir, rel);
  let body: Buffer;
  try {
    if (!(await stat(file)).isFile()) return false;
    body = await readFile(file);
  } catch {
    if (rel === 'index.html') {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`the portal's web app is not built (${file} is missing): run npm run build\n`);
      return true;
    }
    return false;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    // index.html names the bundle; it must never be cached past a rebuild.
    'cache-control': 'no-cache',
  });
  res.end(body);
  return true;
}
