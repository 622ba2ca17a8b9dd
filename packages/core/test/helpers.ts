// Shared by the engine-backed tests: one session on the bundled catalog, temp
// files, and validation of manifests against the Kubernetes OpenAPI schemas.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSession, type RenderOptions, type Session } from '../src/index.js';
import { BUNDLED_CATALOG_DIR } from '../src/shipped.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const RELEASES_DIR = path.join(REPO, 'examples/releases');
export const EXAMPLES = ['web-app-dev', 'web-app-prod', 'ecommerce-staging', 'ecommerce-analytics', 'ecommerce-tenant-acme'];

let shared: Promise<Session> | undefined;
export function bundledSession(): Promise<Session> {
  shared ??= openSession({ catalog: BUNDLED_CATALOG_DIR });
  return shared;
}

export function exampleText(name: string): string {
  return readFileSync(path.join(RELEASES_DIR, `${name}.cue`), 'utf8');
}

/** Writes a release file (by default: an example with `edit` applied) into a temp dir. */
export function tempRelease(text: string, name = 'release.cue'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opm-rel-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A copy of the bundled catalog with `edit` applied to one file. */
export function tempCatalog(rel: string, edit: (s: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opm-cat-'));
  cpSync(BUNDLED_CATALOG_DIR, dir, { recursive: true });
  const f = path.join(dir, rel);
  writeFileSync(f, edit(readFileSync(f, 'utf8')));
  return dir;
}

export async function opts(): Promise<RenderOptions> {
  return { session: await bundledSession() };
}

/** Validates a manifest with kubernetes-models (OpenAPI schemas of Kubernetes). */
export async function validateManifest(obj: { apiVersion: string; kind: string }): Promise<void> {
  const mod = (await import(/* @vite-ignore */ `kubernetes-models/${obj.apiVersion}`)) as Record<string, new (x: unknown) => { validate(): void }>;
  const Model = mod[obj.kind];
  if (!Model) throw new Error(`no kubernetes-models schema for ${obj.apiVersion} ${obj.kind}`);
  new Model(obj).validate();
}

/** The error p rejects with; fails the test when p resolves. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}
