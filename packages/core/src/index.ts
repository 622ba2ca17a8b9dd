// @opm/core: the OPM model offline — catalog, value cascade, validation,
// policy and rendering. No network, no cluster.
export { renderReleaseFile, renderRelease, renderReleaseInput, openSession, type RenderOptions, type RenderedRelease, type Lock } from './release.js';
export { readReleaseFile, type ReleaseInput } from './release-file.js';
export { Session, parseCatalogImport } from './session.js';
export {
  DirectoryCatalog,
  openDirectoryCatalog,
  resolveCatalogLocation,
  directoryCatalogFor,
  untrustedBecause,
  sortVersions,
  resolveVersion,
  matchVersions,
  type CatalogSource,
  type CatalogModuleFiles,
  type CatalogOrigin,
  type CatalogLocation,
  type DirectoryCatalogOptions,
} from './catalog.js';
export { loadModule, moduleLabel, type LoadedModule } from './module.js';
export { loadPlatform, environmentFor, type PlatformRules, type PlatformRulesRef, type Environment } from './platform.js';
export { checkReleasePolicy, checkObjectPolicy, imageFromRegistry, type ReleaseMeta } from './policy.js';
export { loadTransformers, renderModule, sortObjects, stampObjects, checkSecretLeaks, type KubeObject, type RenderContext, type Transformer } from './render.js';
export { mergeValues, type Origin } from './merge.js';
export { maskValues, formatPath, splitPath, getPath, hasPath, leaves, SECRET_MASK, type Plain, type PlainObject } from './paths.js';
export { Redactor, redactorFor, stripUrlCredentials } from './redact.js';
export { secretPathsOf, checkLayer, describeValueError, schemaLeaves, type SchemaLeaf } from './values.js';
export { quoteHyphenatedLabels } from './dialect.js';
export { parseQuantity } from './quantity.js';
export { readSecretSpecs } from './secrets.js';
export { buildModuleDir, vetModuleDir, type ModuleDirOptions } from './moddir.js';
export { ValidationError, PolicyError, CatalogError, NotSupportedError } from './errors.js';
export { nodeFileSystem, type FileSystem, type DirEntry, type PathInfo } from './fs.js';
export { builtinPackage, KUBERNETES_PROVIDER_IMPORT_PATH } from './builtin-packages.js';
export { CORE_IMPORT_PATH, SCHEMA_DIR, KUBERNETES_PROVIDER_DIR, BUNDLED_CATALOG_DIR, FILE_READ_CONCURRENCY, mapBounded } from './sources.js';
