// Sessions in Node: the core schema and built-in provider read from the
// package directory, the catalog resolved as the CLI does (--catalog,
// OPM_CATALOG, opm.yaml, the bundled one), and the render entry points that
// open such a session from options.
import path from 'node:path';
import type { CatalogSource } from './catalog.js';
import { directoryCatalogFor, resolveCatalogLocation } from './directory-catalog.js';
import { NotSupportedError } from './errors.js';
import { nodeFileSystem } from './fs.js';
import { releaseInputFromParts, renderReleaseInput, type ReleaseParts, type RenderOptions, type RenderedRelease } from './release.js';
import { readReleaseFile } from './release-file.js';
import { Session, type SessionOptions } from './session.js';
import { shippedFromDisk } from './shipped.js';

export type NodeSessionOptions = Omit<SessionOptions, 'shipped'> & Partial<Pick<SessionOptions, 'shipped'>>;

/** A Session whose shipped files and release files come from the local file system unless given. */
export class NodeSession extends Session {
  constructor(opts: NodeSessionOptions) {
    super({ ...opts, shipped: opts.shipped ?? shippedFromDisk, fs: opts.fs ?? nodeFileSystem });
  }
}

/** Opens the session for options (catalog resolution as documented in directory-catalog.ts). */
export async function openSession(opts: RenderOptions = {}): Promise<Session> {
  if (opts.session) return opts.session;
  let catalog: CatalogSource;
  if (typeof opts.catalog === 'object') catalog = opts.catalog;
  else {
    const loc = await resolveCatalogLocation({ flag: opts.catalog, ...(opts.env ? { env: opts.env } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.fs ? { fs: opts.fs } : {}) });
    if (loc.location.startsWith('oci://')) throw new NotSupportedError(`OCI catalog ${loc.location} without an OCI catalog source (use the opm CLI)`);
    catalog = directoryCatalogFor(loc, opts.fs);
    return new NodeSession({ catalog, ...(opts.fs ? { fs: opts.fs } : {}), ...(loc.warnings ? { warnings: loc.warnings } : {}), noPlatformRules: opts.noPlatformRules ?? false });
  }
  return new NodeSession({ catalog, ...(opts.fs ? { fs: opts.fs } : {}), noPlatformRules: opts.noPlatformRules ?? false });
}

/** Renders one ModuleRelease file. */
export async function renderReleaseFile(file: string, opts: RenderOptions = {}): Promise<RenderedRelease> {
  const session = await openSession(opts);
  const input = await readReleaseFile(session, opts.text === undefined ? path.resolve(opts.cwd ?? process.cwd(), file) : file, opts.text);
  return renderReleaseInput(session, input, opts);
}

/** Renders a release from its parts (e.g. a stored release being re-rendered with new values). */
export async function renderRelease(parts: ReleaseParts, opts: RenderOptions = {}): Promise<RenderedRelease> {
  return renderReleaseInput(await openSession(opts), releaseInputFromParts(parts), opts);
}
