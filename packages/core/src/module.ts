// Loading a catalog module: build its package, check that it is what the
// catalog says it is, and validate the platform layer (#overrides,
// #immutable) against the definition's values schema before any release uses it.
import type { Source, Value } from '@opm/cue';
import { CatalogError, ValidationError } from './errors.js';
import { isObject, leaves, type Plain, type PlainObject } from './paths.js';
import type { Session } from './session.js';
import { checkLayer, secretPathsOf } from './values.js';

export interface LoadedModule {
  name: string;
  version: string;
  digest?: string;
  /** Exact artifact reference when the catalog gives one (OCI: `oci://REGISTRY/REPO:TAG@DIGEST`). */
  ref?: string;
  /** Import path opm uses for it internally. */
  importPath: string;
  files: Source[];
  /** The evaluated #Module. */
  value: Value;
  /** Its values schema (types, constraints, definition defaults). */
  schema: Value;
  definition: { name: string; version: string };
  overrides: PlainObject;
  immutable: PlainObject;
  secretPaths: string[];
}

export function moduleLabel(m: { name: string; version: string }): string {
  return `${m.name} ${m.version}`;
}

function plainOrEmpty(v: Value): PlainObject {
  if (!v.exists()) return {};
  const js = v.toJS();
  return isObject(js) ? (js as PlainObject) : {};
}

const cache = new WeakMap<Session, Map<string, Promise<LoadedModule>>>();

export function loadModule(session: Session, name: string, version: string): Promise<LoadedModule> {
  let m = cache.get(session);
  if (!m) cache.set(session, (m = new Map()));
  const key = `${name}@${version}`;
  let p = m.get(key);
  if (!p) {
    p = doLoad(session, name, version);
    m.set(key, p);
    p.catch(() => m!.delete(key));
  }
  return p;
}

async function doLoad(session: Session, name: string, version: string): Promise<LoadedModule> {
  const { files, digest, ref } = await session.fetchModule(name, version);
  const importPath = `opm.local/catalog/${name}:${version}`;
  const label = moduleLabel({ name, version });
  // Imported the way a release imports it, so the engine's import cache serves both.
  const pkg = await session.ctx.build(
    [{ filename: `<opm: module ${label}>`, text: `package opm\n\nimport m "${importPath}"\n\nmodule: m.#Module\n` }],
    { resolver: session.resolver },
  );
  const value = pkg.lookup('module');
  if (!value.exists()) throw new CatalogError(`module ${label} in ${session.catalog.location}: its package declares no #Module`);
  const errs = value.validate({ all: true });
  if (errs.length) throw new ValidationError(errs.map((e) => `module ${label}: ${e.message}`), 'module');

  const declared = {
    name: value.lookup('#metadata', 'name').toJS() as string,
    version: value.lookup('#metadata', 'version').toJS() as string,
  };
  if (declared.name !== name || declared.version !== version) {
    throw new CatalogError(
      `module ${label} in ${session.catalog.location} declares ${declared.name} ${declared.version} in its #metadata`,
    );
  }
  const definition = {
    name: value.lookup('#definition', '#metadata', 'name').toJS() as string,
    version: value.lookup('#definition', '#metadata', 'version').toJS() as string,
  };
  const schema = value.lookup('values');
  const overrides = plainOrEmpty(value.lookup('#overrides'));
  const immutable = plainOrEmpty(value.lookup('#immutable'));
  const schemaFiles = [...files, ...(await session.coreSchemaFiles())];
  const encode = (x: unknown) => session.ctx.encode(x);
  const problems = [
    ...checkLayer(encode, schema, { subject: `module ${label}`, field: '#overrides', values: overrides, moduleLabel: label, files: schemaFiles }),
    ...checkLayer(encode, schema, { subject: `module ${label}`, field: '#immutable', values: immutable, moduleLabel: label, files: schemaFiles }),
  ];
  // A value the platform locks must also be the value it sets.
  for (const { path, value: v } of leaves(immutable)) {
    const o = getIn(overrides, path);
    if (o !== undefined && JSON.stringify(o) !== JSON.stringify(v)) {
      problems.push(`module ${label}: #immutable.${path.join('.')} locks ${JSON.stringify(v)} but #overrides sets ${JSON.stringify(o)}`);
    }
  }
  if (problems.length) throw new ValidationError(problems, 'module');
  return {
    name,
    version,
    ...(digest ? { digest } : {}),
    ...(ref ? { ref } : {}),
    importPath,
    files,
    value,
    schema,
    definition,
    overrides,
    immutable,
    secretPaths: secretPathsOf(schema),
  };
}

function getIn(v: PlainObject, path: string[]): Plain | undefined {
  let cur: Plain | undefined = v;
  for (const s of path) cur = isObject(cur) ? cur[s] : undefined;
  return cur;
}
