// @opm/oci: catalog distribution over OCI registries. Stands alone: it
// imports no other opm package (see scripts/check-deps.js).
export { OciCatalog, type OciCatalogOptions, type ResolvedModule, type FetchedModule } from './catalog.js';
export { publish, type PublishOptions, type PublishResult, type RegistryOptions } from './publish.js';
export {
  RegistryClient,
  nextLink,
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_DOCKER_MANIFEST,
  type RegistryClientOptions,
  type ManifestResult,
  type ManifestHead,
} from './client.js';
export {
  ARTIFACT_TYPE,
  CONFIG_MEDIA_TYPE,
  LAYER_MEDIA_TYPE,
  ANNOTATION_TITLE,
  ANNOTATION_VERSION,
  ANNOTATION_CREATED,
  ANNOTATION_SOURCE,
  ANNOTATION_MODULE_NAME,
  ANNOTATION_MODULE_VERSION,
  collectFiles,
  packEntries,
  packModule,
  packLayer,
  unpackLayer,
  parseModuleManifest,
  type Descriptor,
  type ImageManifest,
  type ModuleConfig,
  type PackedModule,
  type PackOptions,
} from './pack.js';
export {
  basicAuthorization,
  credentialsFromDockerConfig,
  defaultCredentialProvider,
  dockerConfigPath,
  loadDockerConfig,
  parseDockerConfig,
  parseWwwAuthenticate,
  type Challenge,
  type CredentialProvider,
  type Credentials,
  type DockerConfig,
} from './auth.js';
export { cacheEntryDir, cacheLookup, cacheStore, defaultCacheDir, type CacheEntry } from './cache.js';
export { pruneCache, type PruneOptions, type PruneResult, type PrunedItem } from './cache-prune.js';
export { STALE_TEMP_MS, isLeftover, removeLeftoverTemps, tempName } from './cache-temp.js';
export { readTar, writeTar, safeRelativePath, type TarEntry } from './tar.js';
export { sha256Digest, digestMatches } from './digest.js';
export { OciError, DigestMismatchError, type OciErrorCode } from './errors.js';
export {
  parseOciReference,
  formatOciReference,
  isLoopbackRegistry,
  isValidRepository,
  isValidTag,
  isValidDigest,
  hostName,
  versionToTag,
  tagToVersion,
  type OciReference,
} from './reference.js';
