// @opm/core: the OPM model offline — catalog, value cascade, validation,
// policy and rendering. No network, no cluster.
// The Node entry; '@opm/core/browser' (browser.ts) is the browser-safe one.
export { renderReleaseInput, releaseInputFromParts, type RenderOptions, type RenderedRelease, type ReleaseParts, type Lock } from './release.js';
export { renderReleaseFile, renderRelease, openSession, NodeSession as Session, type NodeSessionOptions as SessionOptions } from './node-session.js';
export { readReleaseFile, type ReleaseInput } from './release-file.js';
export { resolveReleaseValues } from './release.js';
export { validateValues, validateRelease, type ValidateValuesOptions, type ValuesCheck, type ValuesIssue } from './validate-values.js';
export { schemaTree, exprFacts, type SchemaTree, type SchemaNode, type SchemaGroup, type SchemaField, type SchemaLock, type FieldType, type Bound, type Pattern, type ValueFacts } from './schema-tree.js';
export { SNAPSHOT_FORMAT, SnapshotCatalog, catalogSnapshot, parseCatalogSnapshot, snapshotShipped, type CatalogSnapshot, type SnapshotModule } from './snapshot.js';
export { snapshotSession } from './browser.js';
export { parseCatalogImport, type ShippedSources } from './session.js';
export { sortVersions, resolveVersion, matchVersions, type CatalogSource, type CatalogModuleFiles } from './catalog.js';
export {
  DirectoryCatalog,
  openDirectoryCatalog,
  resolveCatalogLocation,
  directoryCatalogFor,
  untrustedBecause,
  type CatalogOrigin,
  type CatalogLocation,
  type DirectoryCatalogOptions,
} from './directory-catalog.js';
export { loadModule, moduleLabel, type LoadedModule } from './module.js';
export { loadPlatform, environmentFor, type PlatformRules, type PlatformRulesRef, type Environment } from './platform.js';
export { checkReleasePolicy, checkObjectPolicy, imageFromRegistry, type ReleaseMeta } from './policy.js';
export { loadTransformers, renderModule, sortObjects, stampObjects, checkSecretLeaks, type KubeObject, type RenderContext, type RenderModuleOptions, type Transformer } from './render.js';
export { mergeValues, type Origin } from './merge.js';
export { maskValues, formatPath, splitPath, getPath as getValuesPath, hasPath, samePath, leaves, SECRET_MASK, type Plain, type PlainObject } from './paths.js';
export { Redactor, redactorFor, stripUrlCredentials } from './redact.js';
export { secretPathsOf, secretPathsIn, checkLayer, describeValueError, schemaLeaves, type SchemaLeaf } from './values.js';
export { quoteHyphenatedLabels } from './dialect.js';
export { parseQuantity } from './quantity.js';
export { readSecretSpecs } from './secrets.js';
export { buildModuleDir, vetModuleDir, type ModuleDirOptions } from './moddir.js';
export { ValidationError, PolicyError, CatalogError, NotSupportedError } from './errors.js';
export { nodeFileSystem, type FileSystem, type DirEntry, type PathInfo } from './fs.js';
export { CORE_IMPORT_PATH, FILE_READ_CONCURRENCY, mapBounded } from './sources.js';
export { SCHEMA_DIR, KUBERNETES_PROVIDER_DIR, BUNDLED_CATALOG_DIR, shippedFromDisk, builtinPackage } from './shipped.js';
export { KUBERNETES_PROVIDER_IMPORT_PATH, shippedPackage } from './builtin-packages.js';
