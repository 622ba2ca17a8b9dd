// `publish(dir, ref, {version, force})`: pack a catalog module directory and
// push it as `REPO:VERSION`.
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import semver from 'semver';
import type { CredentialProvider, Credentials } from './auth.js';
import { RegistryClient, MEDIA_TYPE_OCI_MANIFEST } from './client.js';
import { OciError } from './errors.js';
import { packModule } from './pack.js';
import { formatOciReference, parseOciReference, versionToTag } from './reference.js';

/** How to reach a registry; shared by publish and OciCatalog. */
export interface RegistryOptions {
  /** Allow plain http to a non-loopback registry. */
  insecure?: boolean;
  /** Explicit credentials (or a provider); default: REGISTRY_AUTH_FILE / ~/.docker/config.json. */
  credentials?: Credentials | CredentialProvider;
  /** Environment for auth file, cache dir and SOURCE_DATE_EPOCH lookups; default process.env. */
  env?: Record<string, string | undefined>;
  /** For tests: observe or stub HTTP. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface PublishOptions extends RegistryOptions {
  /** Semver version, pushed as the tag (`+` stored as `_`). Defaults to the tag of `ref`. */
  version?: string;
  /** Replace an existing tag. */
  force?: boolean;
  /** Module name for the annotations and config; default: last segment of the repository. */
  name?: string;
  /** RFC 3339 creation time; default SOURCE_DATE_EPOCH, else now. */
  created?: string;
  /** Source URL annotation; default: the git remote `origin` of `dir`, if any (credentials stripped). */
  source?: string;
}

export interface PublishResult {
  /** Manifest digest: what a release pins. */
  digest: string;
  /** `oci://REGISTRY/REPO:TAG@DIGEST`. */
  ref: string;
  registry: string;
  repository: string;
  tag: string;
  name: string;
  version: string;
  /** Digest the tag pointed to before, when `force` replaced it. */
  replaced?: string;
}

export async function publish(dir: string, ref: string, opts: PublishOptions = {}): Promise<PublishResult> {
  const r = parseOciReference(ref);
  if (r.digest) throw new OciError(`publish to ${ref}: give a repository (and version), not a digest`, 'INVALID');
  const version = opts.version ?? (r.tag ? r.tag.replace(/_/g, '+') : undefined);
  if (!version) throw new OciError(`publish to ${ref}: a version is required (--version)`, 'INVALID');
  if (opts.version && r.tag && versionToTag(opts.version) !== r.tag) {
    throw new OciError(`publish to ${ref}: the tag ${r.tag} and --version ${opts.version} disagree`, 'INVALID');
  }
  if (semver.valid(version) !== version) {
    throw new OciError(`version ${JSON.stringify(version)} is not a semantic version (like 1.2.0 or 1.2.0-platform.1)`, 'INVALID');
  }
  const tag = versionToTag(version);
  const name = opts.name ?? basename(r.repository);
  const source = opts.source ?? (await gitSource(dir));
  const packed = await packModule(dir, {
    name,
    version,
    ...(opts.created ? { created: opts.created } : {}),
    ...(source ? { source } : {}),
    ...(opts.env ? { env: opts.env } : {}),
  });

  if (!packed.config.files.some((f) => f.endsWith('.cue'))) {
    throw new OciError(`${dir} has no CUE files: a catalog module directory holds the Module and its ModuleDefinition`, 'INVALID');
  }

  const client = new RegistryClient({
    registry: r.registry,
    ...(opts.insecure !== undefined ? { insecure: opts.insecure } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const target = formatOciReference({ registry: r.registry, repository: r.repository, tag });
  const existing = await client.headManifest(r.repository, tag);
  if (existing && !opts.force) {
    throw new OciError(`${target} already exists (${existing.digest}); publish with --force to replace it`, 'EXISTS');
  }
  // Blobs first: a manifest may only reference blobs the repository has.
  await client.pushBlob(r.repository, packed.configBytes);
  await client.pushBlob(r.repository, packed.layer);
  const digest = await client.putManifest(r.repository, tag, packed.manifestBytes, MEDIA_TYPE_OCI_MANIFEST);
  const result: PublishResult = {
    digest,
    ref: formatOciReference({ registry: r.registry, repository: r.repository, tag, digest }),
    registry: r.registry,
    repository: r.repository,
    tag,
    name,
    version,
  };
  if (existing && existing.digest !== digest) result.replaced = existing.digest;
  return result;
}

/** The `origin` remote of the git work tree holding `dir`, with any user:password@ removed. */
function gitSource(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', dir, 'remote', 'get-url', 'origin'], { timeout: 2000 }, (err, stdout) => {
      if (err) return resolve(undefined);
      const url = stdout.trim();
      if (!url) return resolve(undefined);
      // Never publish a token embedded in a remote URL.
      resolve(url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1'));
    });
  });
}
