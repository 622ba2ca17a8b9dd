// The browser entry of @opm/core ('@opm/core/browser'): the model evaluated
// from sources held in memory (a catalog snapshot), with no file system and
// no Node built-ins. The same modules as the CLI's, so the same checks and
// messages; only how sources are found differs (see node-session.ts).
import type { Context } from '@opm/cue';
import { Session } from './session.js';
import { SnapshotCatalog, snapshotShipped, type CatalogSnapshot } from './snapshot.js';

export { Session, parseCatalogImport, type SessionOptions, type ShippedSources } from './session.js';
export { SNAPSHOT_FORMAT, SnapshotCatalog, catalogSnapshot, parseCatalogSnapshot, snapshotShipped, type CatalogSnapshot, type SnapshotModule } from './snapshot.js';
export { validateValues, validateRelease, type ValidateValuesOptions, type ValuesCheck, type ValuesIssue } from './validate-values.js';
export { schemaTree, exprFacts, type SchemaTree, type SchemaNode, type SchemaGroup, type SchemaField, type SchemaLock, type FieldType, type Bound, type Pattern, type ValueFacts } from './schema-tree.js';
export { renderReleaseInput, resolveReleaseValues, releaseInputFromParts, type ReleaseParts, type RenderOptions, type RenderedRelease } from './release.js';
export { readReleaseFile, type ReleaseInput } from './release-file.js';
export { loadModule, moduleLabel, type LoadedModule } from './module.js';
export { loadPlatform, environmentFor, type PlatformRules, type Environment } from './platform.js';
export { sortVersions, resolveVersion, matchVersions, type CatalogSource, type CatalogModuleFiles } from './catalog.js';
export { maskValues, formatPath, splitPath, SECRET_MASK, type Plain, type PlainObject } from './paths.js';
export { ValidationError, PolicyError, CatalogError, NotSupportedError } from './errors.js';
export { cueContext } from './engine.js';

/** A session over a snapshot (see snapshot.ts): what a browser validates and renders with. */
export function snapshotSession(snapshot: CatalogSnapshot, opts: { noPlatformRules?: boolean; context?: Context } = {}): Session {
  return new Session({ catalog: new SnapshotCatalog(snapshot), shipped: snapshotShipped(snapshot), ...(opts.context ? { context: opts.context } : {}), noPlatformRules: opts.noPlatformRules ?? false });
}
