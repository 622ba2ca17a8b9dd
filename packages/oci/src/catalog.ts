// A catalog served from an OCI registry: `oci://REGISTRY/PREFIX`.
//
// Each module is the repository `PREFIX/<module-name>`; each version is a tag
// (the semver version, `+` stored as `_`); each tag points to an opm module
// artifact (see pack.ts). Tags are mutable, digests are not: a release records
// the digest it used, `fetch` can pull by that digest without asking the
// registry again, and `verify` tells whether the tag still points there.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { cacheLookup, cacheStore, defaultCacheDir } from './cache.js';
import { removeLegacyBlobs } from './cache-prune.js';
import { removeLeftoverTemps, tempName, tempRoot } from './cache-temp.js';
import { RegistryClient } from './client.js';
import { DigestMismatchError, OciError } from './errors.js';
import { ANNOTATION_MODULE_VERSION, ANNOTATION_VERSION, LAYER_MEDIA_TYPE, MAX_CONFIG_BYTES, MAX_LAYER_BYTES, contentDigestOf, parseModuleManifest, unpackLayerFile, type ImageManifest, type ModuleConfig } from './pack.js';
import type { RegistryOptions } from './publish.js';
import { assertDigest, formatOciReference, isValidRepository, parseOciReference, tagToVersion, versionToTag } from './reference.js';

export interface OciCatalogOptions extends RegistryOptions {
  /** Cache root; default `$OPM_CACHE_DIR/oci` or `~/.cache/opm/oci`. */
  cacheDir?: string;
  /**
   * Let ranges match prerelease versions. Default true: platform builds are
   * versioned `1.2.0-platform.1`, a prerelease in semver terms, and
   * `>=1.0.0 <2.0.0` should find them (by their release part 1.2.0, so
   * `2.0.0-platform.1` stays out of that range). False: plain semver rules.
   */
  includePrerelease?: boolean;
  /** Page size for list requests (tests use small pages to exercise paging). */
  pageSize?: number;
}

export interface ResolvedModule {
  name: string;
  /** Exact semver version. */
  version: string;
  tag: string;
  /** Manifest digest: what a release pins. */
  digest: string;
  /** `oci://REGISTRY/PREFIX/NAME:TAG@DIGEST`. */
  ref: string;
}

export interface FetchedModule extends ResolvedModule {
  /** Unpacked module files in the cache. Treat as read-only: it is shared. */
  dir: string;
  manifest: ImageManifest;
  config: ModuleConfig;
  /** True when served from the cache without downloading. */
  cached: boolean;
}

export class OciCatalog {
  /** `oci://REGISTRY/PREFIX` as given (normalised). */
  readonly url: string;
  readonly registry: string;
  /** Repository prefix; '' for a catalog at the registry root. */
  readonly prefix: string;
  readonly cacheDir: string;
  private readonly client: RegistryClient;
  private readonly includePrerelease: boolean;

  constructor(url: string, opts: OciCatalogOptions = {}) {
    const r = parseOciReference(url, { allowEmptyRepository: true });
    if (r.tag || r.digest) throw new OciError(`catalog ${url}: give oci://REGISTRY/PREFIX without a tag or digest`, 'INVALID');
    this.registry = r.registry;
    this.prefix = r.repository;
    this.url = formatOciReference({ registry: r.registry, repository: r.repository });
    this.cacheDir = opts.cacheDir ?? defaultCacheDir(opts.env);
    this.includePrerelease = opts.includePrerelease ?? true;
    this.client = new RegistryClient({
      registry: r.registry,
      ...(opts.insecure !== undefined ? { insecure: opts.insecure } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
    });
  }

  /** True for strings this class accepts as a catalog location. */
  static isOciUrl(s: string): boolean {
    return s.startsWith('oci://');
  }

  /** The repository holding module `name`. */
  repositoryOf(name: string): string {
    if (!isValidRepository(name)) throw new OciError(`invalid module name ${JSON.stringify(name)} for an OCI catalog`, 'INVALID');
    return this.prefix ? `${this.prefix}/${name}` : name;
  }

  /** `oci://REGISTRY/PREFIX/NAME[:TAG][@DIGEST]`. */
  refOf(name: string, tag?: string, digest?: string): string {
    return formatOciReference({ registry: this.registry, repository: this.repositoryOf(name), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) });
  }

  /** Module names (repositories under the prefix), sorted. Needs the registry's `_catalog` endpoint. */
  async listModules(): Promise<string[]> {
    const under = this.prefix ? `${this.prefix}/` : '';
    const repos = await this.client.listRepositories(this.prefix);
    return repos.map((r) => r.slice(under.length)).sort();
  }

  /** Semver versions of a module, ascending; tags that are not versions (`latest`) are left out. Unknown module → []. */
  async listVersions(name: string): Promise<string[]> {
    const tags = await this.client.listTags(this.repositoryOf(name));
    const versions = tags.map(tagToVersion).filter((v) => semver.valid(v) === v);
    return [...new Set(versions)].sort(semver.compare);
  }

  /** Every module with its versions (for `opm catalog list`). */
  async list(): Promise<{ name: string; versions: string[] }[]> {
    const out: { name: string; versions: string[] }[] = [];
    for (const name of await this.listModules()) out.push({ name, versions: await this.listVersions(name) });
    return out;
  }

  /**
   * An exact version, or a semver range (`>=1.0.0 <2.0.0`, `^1.2`, `*` or
   * `latest`) resolved to the highest matching version, with its digest.
   */
  async resolve(name: string, versionOrRange: string): Promise<ResolvedModule> {
    const exact = semver.valid(versionOrRange);
    let version: string;
    if (exact) {
      version = exact;
    } else {
      const spec = versionOrRange === 'latest' ? '*' : versionOrRange;
      const range = semver.validRange(spec, { includePrerelease: this.includePrerelease });
      if (!range) throw new OciError(`${JSON.stringify(versionOrRange)} is neither a version nor a semver range`, 'INVALID');
      const versions = await this.listVersions(name);
      const best = versions.filter((v) => this.satisfies(v, spec, range)).pop();
      if (!best) {
        throw new OciError(
          `no version of ${name} in ${this.url} matches ${versionOrRange} (available: ${versions.length ? versions.join(', ') : 'none'})`,
          'NOT_FOUND',
        );
      }
      version = best;
    }
    const tag = versionToTag(version);
    const head = await this.client.headManifest(this.repositoryOf(name), tag);
    if (!head) {
      const versions = await this.listVersions(name);
      throw new OciError(
        `${name}@${version} is not in ${this.url} (${versions.length ? `available: ${versions.join(', ')}` : 'no versions published'})`,
        'NOT_FOUND',
      );
    }
    return { name, version, tag, digest: head.digest, ref: this.refOf(name, tag, head.digest) };
  }

  /**
   * The version an artifact known only by its digest (`NAME@sha256:…`) was published as (its
   * `dev.opm.module.version` annotation, else `org.opencontainers.image.version`), so it can be fetched pinned
   * (`fetch(name, version, { digest })`). The manifest is checked against the digest.
   */
  async versionAt(name: string, digest: string): Promise<string> {
    const ref = this.refOf(name, undefined, assertDigest(digest));
    const m = await this.client.getManifest(this.repositoryOf(name), digest);
    const a = parseModuleManifest(m.body, ref).annotations ?? {};
    const version = a[ANNOTATION_MODULE_VERSION] ?? a[ANNOTATION_VERSION];
    if (!version || semver.valid(version) !== version) throw new OciError(`${ref} does not say which version it is (no ${ANNOTATION_MODULE_VERSION} annotation)`, 'INVALID');
    return version;
  }

  /**
   * Metadata of one version without pulling its content (`opm catalog show`):
   * manifest annotations (created, source, …) and the config (file list).
   */
  async inspect(name: string, versionOrRange: string): Promise<ResolvedModule & { annotations: Record<string, string>; config: ModuleConfig }> {
    const resolved = await this.resolve(name, versionOrRange);
    const repo = this.repositoryOf(name);
    const m = await this.client.getManifest(repo, resolved.digest);
    const manifest = parseModuleManifest(m.body, resolved.ref);
    const configBytes = await this.client.getBlob(repo, manifest.config.digest, { size: manifest.config.size, maxSize: MAX_CONFIG_BYTES });
    const config = this.result(resolved, '', m.body, configBytes, false).config;
    return { ...resolved, annotations: manifest.annotations ?? {}, config };
  }

  /**
   * Pulls a module into the cache and returns its directory. With
   * `opts.digest` (a pinned release) the cache is consulted first and the
   * registry is not contacted at all on a hit; the artifact pulled is exactly
   * that digest. Without it the tag is resolved (one HEAD request) and a
   * cached copy of that digest is reused.
   */
  async fetch(name: string, versionOrRange: string, opts: { digest?: string } = {}): Promise<FetchedModule> {
    const repo = this.repositoryOf(name);
    let resolved: ResolvedModule;
    if (opts.digest) {
      const digest = assertDigest(opts.digest);
      const version = semver.valid(versionOrRange);
      if (!version) throw new OciError(`fetch by digest needs an exact version, not ${JSON.stringify(versionOrRange)}`, 'INVALID');
      const tag = versionToTag(version);
      resolved = { name, version, tag, digest, ref: this.refOf(name, tag, digest) };
    } else {
      resolved = await this.resolve(name, versionOrRange);
    }

    const hit = await cacheLookup(this.cacheDir, resolved.digest);
    if (hit) return this.result(resolved, hit.dir, hit.manifestBytes, hit.configBytes, true);

    // Pull by digest, never by tag: the tag may move between our requests.
    const m = await this.client.getManifest(repo, resolved.digest);
    const manifest = parseModuleManifest(m.body, resolved.ref);
    const layer = manifest.layers.find((l) => l.mediaType === LAYER_MEDIA_TYPE)!;
    const configBytes = await this.client.getBlob(repo, manifest.config.digest, { size: manifest.config.size, maxSize: MAX_CONFIG_BYTES });
    const config = parseConfig(configBytes, resolved.ref);
    // The layer is streamed to a temporary file and verified there (blob-file.ts); its files are
    // checked in memory (bounded by unpackLayerFile) before anything is written to the module cache.
    // The cache keeps unpacked modules only: the layer is deleted once unpacked, kept or refused.
    const layerFile = await this.downloadLayer(repo, layer);
    try {
      const files = await unpackLayerFile(layerFile);
      if (contentDigestOf(files) !== config.contentDigest) {
        throw new OciError(`module ${resolved.ref}: its content layer does not match the contentDigest of its config`, 'DIGEST_MISMATCH');
      }
      const entry = await cacheStore(this.cacheDir, resolved.digest, m.body, configBytes, files);
      return this.result(resolved, entry.dir, entry.manifestBytes, entry.configBytes, false);
    } finally {
      await rm(layerFile, { force: true });
    }
  }

  /**
   * Downloads the layer blob to a private temporary file under `.tmp/` (named so that
   * the next run removes it should this process be killed before it does). Each pull
   * first clears what killed processes left there, and layer blobs an older opm kept.
   */
  private async downloadLayer(repo: string, layer: { digest: string; size: number }): Promise<string> {
    await removeLeftoverTemps(this.cacheDir);
    await removeLegacyBlobs(this.cacheDir);
    const file = join(tempRoot(this.cacheDir), tempName('layer', layer.digest));
    await this.client.downloadBlob(repo, layer.digest, file, { size: layer.size, maxSize: MAX_LAYER_BYTES, tmpDir: tempRoot(this.cacheDir) });
    return file;
  }

  /**
   * Checks that `name:version` still points to `expectedDigest` (as pinned by
   * a release). Throws DigestMismatchError naming both digests when the tag
   * was re-pushed with other content; the caller re-pins on purpose by
   * calling `resolve` and recording the new digest.
   */
  async verify(name: string, version: string, expectedDigest: string): Promise<ResolvedModule> {
    assertDigest(expectedDigest);
    const exact = semver.valid(version);
    if (!exact) throw new OciError(`verify needs an exact version, not ${JSON.stringify(version)}`, 'INVALID');
    const tag = versionToTag(exact);
    const head = await this.client.headManifest(this.repositoryOf(name), tag);
    const where = this.refOf(name, tag);
    if (!head) throw new OciError(`${where} no longer exists in the registry (the release pinned ${expectedDigest})`, 'NOT_FOUND');
    if (head.digest !== expectedDigest) {
      throw new DigestMismatchError(
        `${where} changed since it was pinned: it now points to ${head.digest}, but ${expectedDigest} was pinned.`,
        expectedDigest,
        head.digest,
      );
    }
    return { name, version: exact, tag, digest: head.digest, ref: this.refOf(name, tag, head.digest) };
  }

  /**
   * A platform build `1.2.0-platform.1` is a semver prerelease but, for the
   * platform, a release of 1.2.0: unless the range names a prerelease itself,
   * it is judged by its release part, so `>=1.0.0 <2.0.0` takes
   * `1.2.0-platform.1` and not `2.0.0-platform.1` (same rule as @opm/core's matchVersions).
   */
  private satisfies(version: string, spec: string, range: string): boolean {
    const p = semver.parse(version);
    if (!p) return false;
    if (!this.includePrerelease || /\d+\.\d+\.\d+-/.test(spec)) return semver.satisfies(p, range, { includePrerelease: this.includePrerelease });
    return semver.satisfies(`${p.major}.${p.minor}.${p.patch}`, range);
  }

  private result(r: ResolvedModule, dir: string, manifestBytes: Buffer, configBytes: Buffer, cached: boolean): FetchedModule {
    const manifest = parseModuleManifest(manifestBytes, r.ref);
    return { ...r, dir, manifest, config: parseConfig(configBytes, r.ref), cached };
  }
}

function parseConfig(configBytes: Buffer, ref: string): ModuleConfig {
  let config: ModuleConfig;
  try {
    config = JSON.parse(configBytes.toString('utf8')) as ModuleConfig;
  } catch {
    throw new OciError(`${ref}: module config is not valid JSON`, 'INVALID');
  }
  if (!config || typeof config !== 'object') throw new OciError(`${ref}: module config is not a JSON object`, 'INVALID');
  return config;
}
