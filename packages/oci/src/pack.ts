// Packing a catalog module directory (`<catalog>/<module>/<version>/`) into an
// OCI artifact, and unpacking its content layer.
//
// Artifact layout:
//   manifest  application/vnd.oci.image.manifest.v1+json, artifactType application/vnd.opm.module.v1
//   config    application/vnd.opm.module.config.v1+json   {schemaVersion, name, version, files, contentDigest}
//   layer     application/vnd.opm.module.content.v1.tar+gzip, the directory's files
// The config and layer are deterministic: same files → same digests (sorted
// entries, zeroed mtimes/ids, normalised modes, fixed gzip header). The
// manifest carries the `created` annotation, so two publishes of the same
// content differ only in the manifest unless `created` (or
// SOURCE_DATE_EPOCH) is fixed.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { sha256Digest } from './digest.js';
import { OciError } from './errors.js';
import { MEDIA_TYPE_OCI_MANIFEST } from './client.js';
import { DEFAULT_TAR_LIMITS, readTar, writeTar, type TarEntry } from './tar.js';

export const ARTIFACT_TYPE = 'application/vnd.opm.module.v1';
export const CONFIG_MEDIA_TYPE = 'application/vnd.opm.module.config.v1+json';
export const LAYER_MEDIA_TYPE = 'application/vnd.opm.module.content.v1.tar+gzip';

export const ANNOTATION_TITLE = 'org.opencontainers.image.title';
export const ANNOTATION_VERSION = 'org.opencontainers.image.version';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
export const ANNOTATION_SOURCE = 'org.opencontainers.image.source';
export const ANNOTATION_MODULE_NAME = 'dev.opm.module.name';
export const ANNOTATION_MODULE_VERSION = 'dev.opm.module.version';

/** Limits that catch "published the wrong directory" before anything is uploaded. */
const MAX_FILES = 10_000;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** Bound on the unpacked size of a downloaded layer (gzip bombs): the tar limits' data plus two blocks per header. */
const MAX_UNPACKED_BYTES = DEFAULT_TAR_LIMITS.maxTotalBytes + DEFAULT_TAR_LIMITS.maxEntries * 1024 + 1024 * 1024;
/** Largest compressed module layer and config blob downloaded (whatever their descriptors say). */
export const MAX_LAYER_BYTES = 64 * 1024 * 1024;
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ModuleConfig {
  schemaVersion: 1;
  name: string;
  version: string;
  /** Paths in the content layer, sorted. */
  files: string[];
  /** sha256 of the uncompressed tar: identifies the content independently of the gzip implementation. */
  contentDigest: string;
}

export interface PackedModule {
  manifest: ImageManifest;
  manifestBytes: Buffer;
  config: ModuleConfig;
  configBytes: Buffer;
  layer: Buffer;
}

export interface PackOptions {
  name: string;
  version: string;
  /** RFC 3339; default SOURCE_DATE_EPOCH when set, else now. */
  created?: string;
  /** URL of the module's source, for `org.opencontainers.image.source`. */
  source?: string;
  env?: Record<string, string | undefined>;
}

/** Reads every regular file under `dir` (recursively). Symlinks and special files are refused. */
export async function collectFiles(dir: string): Promise<TarEntry[]> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new OciError(`module directory ${dir} does not exist or is not a directory`, 'INVALID');
  const out: TarEntry[] = [];
  let total = 0;
  async function walk(abs: string, rel: string): Promise<void> {
    const names = (await readdir(abs)).sort();
    for (const name of names) {
      const p = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = await lstat(p);
      if (s.isDirectory()) await walk(p, r);
      else if (s.isFile()) {
        if (out.length >= MAX_FILES) throw new OciError(`module directory ${dir} has more than ${MAX_FILES} files: is it the right directory?`, 'INVALID');
        total += s.size;
        if (total > MAX_TOTAL_BYTES) throw new OciError(`module directory ${dir} holds more than ${MAX_TOTAL_BYTES} bytes: is it the right directory?`, 'INVALID');
        out.push({ path: r, data: await readFile(p), mode: s.mode & 0o777 });
      } else if (s.isSymbolicLink()) {
        throw new OciError(`not supported yet: symbolic links in a module directory (${r})`, 'UNSUPPORTED');
      } else {
        throw new OciError(`not supported yet: special file ${r} in a module directory`, 'UNSUPPORTED');
      }
    }
  }
  await walk(dir, '');
  if (out.length === 0) throw new OciError(`module directory ${dir} has no files`, 'INVALID');
  return out;
}

/** tar + gzip, deterministic. */
export function packLayer(entries: readonly TarEntry[]): { layer: Buffer; tar: Buffer } {
  const tar = writeTar(entries);
  const layer = gzipSync(tar, { level: 9 });
  // The gzip header's OS byte depends on the platform zlib was built for;
  // fix it to 255 ("unknown") so macOS and Linux publish the same bytes.
  layer[9] = 0xff;
  return { layer, tar };
}

/** The digest a module config's `contentDigest` records for a set of files (their deterministic tar). */
export function contentDigestOf(entries: readonly TarEntry[]): string {
  return sha256Digest(writeTar(entries));
}

export function unpackLayer(layer: Buffer): TarEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(layer, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (err) {
    throw new OciError(`module content layer is not valid gzip (or unpacks to more than ${MAX_UNPACKED_BYTES} bytes): ${(err as Error).message}`, 'INVALID');
  }
  return readTar(tar);
}

/** unpackLayer for a layer on disk: read and decompressed as a stream, so only the (bounded) tar is ever in memory. */
export async function unpackLayerFile(file: string): Promise<TarEntry[]> {
  const chunks: Buffer[] = [];
  let total = 0;
  const gunzip = createGunzip();
  try {
    await pipeline(createReadStream(file), gunzip, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        total += chunk.length;
        if (total > MAX_UNPACKED_BYTES) throw new OciError(`module content layer unpacks to more than ${MAX_UNPACKED_BYTES} bytes`, 'INVALID');
        chunks.push(chunk);
      }
    });
  } catch (err) {
    if (err instanceof OciError) throw err;
    throw new OciError(`module content layer is not valid gzip: ${(err as Error).message}`, 'INVALID');
  }
  return readTar(Buffer.concat(chunks));
}

function createdTimestamp(opts: PackOptions): string {
  if (opts.created) return opts.created;
  const epoch = (opts.env ?? process.env).SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString().replace(/\.000Z$/, 'Z');
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Packs files into the three parts of a module artifact. */
export function packEntries(entries: readonly TarEntry[], opts: PackOptions): PackedModule {
  const { layer, tar } = packLayer(entries);
  const files = entries.map((e) => e.path).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const config: ModuleConfig = { schemaVersion: 1, name: opts.name, version: opts.version, files, contentDigest: sha256Digest(tar) };
  const configBytes = Buffer.from(JSON.stringify(config));
  const annotations: Record<string, string> = {
    [ANNOTATION_TITLE]: opts.name,
    [ANNOTATION_VERSION]: opts.version,
    [ANNOTATION_CREATED]: createdTimestamp(opts),
  };
  if (opts.source) annotations[ANNOTATION_SOURCE] = opts.source;
  annotations[ANNOTATION_MODULE_NAME] = opts.name;
  annotations[ANNOTATION_MODULE_VERSION] = opts.version;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_OCI_MANIFEST,
    artifactType: ARTIFACT_TYPE,
    config: { mediaType: CONFIG_MEDIA_TYPE, digest: sha256Digest(configBytes), size: configBytes.length },
    layers: [
      {
        mediaType: LAYER_MEDIA_TYPE,
        digest: sha256Digest(layer),
        size: layer.length,
        annotations: { [ANNOTATION_TITLE]: `${opts.name}-${opts.version}.tar.gz` },
      },
    ],
    annotations,
  };
  return { manifest, manifestBytes: Buffer.from(JSON.stringify(manifest)), config, configBytes, layer };
}

export async function packModule(dir: string, opts: PackOptions): Promise<PackedModule> {
  return packEntries(await collectFiles(dir), opts);
}

/** Parses and checks a manifest as an opm module artifact. */
export function parseModuleManifest(bytes: Buffer, where: string): ImageManifest {
  let m: ImageManifest;
  try {
    m = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  } catch {
    throw new OciError(`${where}: manifest is not valid JSON`, 'INVALID');
  }
  if (m?.mediaType === 'application/vnd.oci.image.index.v1+json') {
    throw new OciError(`not supported yet: ${where} is an image index, not a single opm module artifact`, 'UNSUPPORTED');
  }
  const type = m?.artifactType ?? m?.config?.mediaType;
  if (m?.schemaVersion !== 2 || (type !== ARTIFACT_TYPE && m?.config?.mediaType !== CONFIG_MEDIA_TYPE)) {
    throw new OciError(`${where} is not an opm module artifact (artifact type ${JSON.stringify(type ?? null)}, expected ${ARTIFACT_TYPE})`, 'INVALID');
  }
  const layers = (m.layers ?? []).filter((l) => l.mediaType === LAYER_MEDIA_TYPE);
  if (layers.length !== 1) throw new OciError(`${where}: expected exactly one ${LAYER_MEDIA_TYPE} layer, found ${layers.length}`, 'INVALID');
  return m;
}
