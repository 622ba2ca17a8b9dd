// Loading a catalog module: build its package, check that it is what the
// catalog says it is, and validate the platform layer (#overrides,
// #immutable) against the definition's values schema before any release uses it.
import type { Context, Source, Value } from '@opm/cue';
import { CatalogError, ValidationError } from './errors.js';
import { formatPath, isObject, leaves, setPath, type Plain, type PlainObject } from './paths.js';
import type { Session } from './session.js';
import { checkLayer, schemaLeaves, secretPathsOf } from './values.js';
import { baseName } from './sources.js';
import { patternsMatching } from './value-patterns.js';
import { filesMayMarkSecrets } from './secret-sources.js';

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
  /**
   * Whether a value of the module can be a secret at all: false when no file
   * it is built from (its own, what they import) holds a `@secret()`
   * attribute, and then no walk for secret fields is needed (secret-sources.ts).
   */
  secretsPossible: boolean;
  /**
   * The values the platform owns (the Module's #values), by the shortest path
   * the definition does not have: `platform.backup` when the definition has
   * `platform` but not `platform.backup`.
   */
  platformValuePaths: string[][];
  /** The module's per-environment defaults and locks (#environments), as read without a release's context. */
  environments: Record<string, { overrides?: PlainObject; immutable?: PlainObject }>;
}

export function moduleLabel(m: { name: string; version: string }): string {
  return `${m.name} ${m.version}`;
}

function plainOrEmpty(v: Value): PlainObject {
  if (!v.exists()) return {};
  const js = v.toJS();
  return isObject(js) ? (js as PlainObject) : {};
}

/** Per session and module: the loaded module, and (apart) the check of the whole evaluated #Module. */
const cache = new WeakMap<Session, Map<string, Promise<LoadedModule>>>();
const values = new WeakMap<Session, Map<string, Promise<Value>>>();
const checks = new WeakMap<Session, Map<string, Promise<string[]>>>();

function memo<T>(table: WeakMap<Session, Map<string, Promise<T>>>, session: Session, key: string, make: () => Promise<T>): Promise<T> {
  let m = table.get(session);
  if (!m) table.set(session, (m = new Map()));
  let p = m.get(key);
  if (!p) {
    p = make();
    m.set(key, p);
    p.catch(() => m!.delete(key));
  }
  return p;
}

/**
 * A catalog module, checked whole (moduleProblems) before anything else is
 * read from it. `check: false` leaves that check to the caller: a render
 * whose every output is itself checked (release.ts, `moduleCheck`).
 */
export async function loadModule(session: Session, name: string, version: string, opts: { check?: boolean } = {}): Promise<LoadedModule> {
  if (opts.check !== false) {
    const problems = await moduleProblems(session, name, version);
    if (problems.length) throw new ValidationError(problems, 'module');
  }
  return memo(cache, session, `${name}@${version}`, () => doLoad(session, name, version));
}

/**
 * Errors anywhere in the module's evaluated #Module (a conflict, a field its
 * schema does not allow), each as `module NAME VERSION: ...`; empty when
 * there are none. It evaluates the whole module without a release, a cost
 * of its own: the cold `opm release build` runs it only once a render
 * failed (release.ts), `opm mod vet`, `opm catalog show`, the portal and
 * every other caller of loadModule before using the module.
 */
export function moduleProblems(session: Session, name: string, version: string): Promise<string[]> {
  return memo(checks, session, `${name}@${version}`, async () => {
    const label = moduleLabel({ name, version });
    return (await moduleValue(session, name, version)).validate({ all: true }).map((e) => `module ${label}: ${e.message}`);
  });
}

function moduleValue(session: Session, name: string, version: string): Promise<Value> {
  return memo(values, session, `${name}@${version}`, async () => {
    await session.fetchModule(name, version); // unknown module or version: its CatalogError, listing versions
    const importPath = `opm.local/catalog/${name}:${version}`;
    const label = moduleLabel({ name, version });
    // Imported the way a release imports it, so the engine's import cache serves both.
    const pkg = await session.ctx.build(
      [{ filename: `<opm: module ${label}>`, text: `package opm\n\nimport m "${importPath}"\n\nmodule: m.#Module\n` }],
      { resolver: session.resolver },
    );
    const value = pkg.lookup('module');
    if (!value.exists()) throw new CatalogError(`module ${label} in ${session.catalog.location}: its package declares no #Module`);
    return value;
  });
}

async function doLoad(session: Session, name: string, version: string): Promise<LoadedModule> {
  const { files, digest, ref } = await session.fetchModule(name, version);
  const importPath = `opm.local/catalog/${name}:${version}`;
  const label = moduleLabel({ name, version });
  const value = await moduleValue(session, name, version);

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
  const own = platformValues(value, schema, label, encode, session.ctx);
  problems.push(...own.problems);
  if (problems.length) throw new ValidationError(problems, 'module');
  const secretsPossible = await filesMayMarkSecrets(session, files);
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
    secretPaths: secretsPossible ? secretPathsOf(schema) : [],
    secretsPossible,
    platformValuePaths: own.paths,
    environments: plainOrEmpty(value.lookup('#environments')) as LoadedModule['environments'],
  };
}

/**
 * The Module's own values (#values): new paths only (a definition's value is
 * changed with #overrides and locked with #immutable, never redeclared, which
 * would make two competing defaults), and closed like the definition's, so a
 * release cannot set a value nobody declared. Pattern constraints count on
 * both sides (value-patterns.ts): a name a definition's `[string]: …` matches
 * is the definition's, and a pattern of #values may match no value of the
 * definition; a typed pattern (`[string]: string`) is a map the platform owns,
 * one that admits any value is open.
 */
function platformValues(module: Value, schema: Value, label: string, encode: (x: unknown) => Value, ctx: Context): { paths: string[][]; problems: string[] } {
  const own = module.lookup('#values');
  if (!own.exists() || own.kind() !== 'struct') return { paths: [], problems: [] };
  const where = (p: string[]) => {
    const pos = own.lookup(...p).pos();
    return pos ? ` (${baseName(pos.file)} line ${pos.line})` : '';
  };
  const def = module.lookup('#definition', 'values');
  const paths: string[][] = [];
  const problems: string[] = [];
  const leavesOfOwn = schemaLeaves(own);
  for (const leaf of leavesOfOwn) {
    let i = 1;
    while (i <= leaf.path.length && def.lookup(...leaf.path.slice(0, i)).exists()) i++;
    const redeclared = `module ${label}: #values.${formatPath(leaf.path)}${where(leaf.path)}: the definition already declares values.${formatPath(leaf.path)}`;
    const instead = '; change its default with #overrides or lock it with #immutable instead';
    if (i > leaf.path.length) {
      problems.push(`${redeclared}${instead}`);
      continue;
    }
    // The first name the definition has no field for: its pattern constraints may declare it.
    const at = leaf.path.slice(0, i - 1);
    const patterns = patternsMatching(ctx, def.lookup(...at), leaf.path[i - 1]!);
    if (patterns.length) {
      problems.push(`${redeclared} (through its pattern constraint ${patterns.join(', ')} at values${at.length ? `.${formatPath(at)}` : ''})${instead}`);
      continue;
    }
    const p = leaf.path.slice(0, i);
    if (!paths.some((q) => q.join('\0') === p.join('\0'))) paths.push(p);
  }
  // Every struct #values declares: the root, the structs above its values, and maps (a leaf with patterns).
  const structs = new Map<string, string[]>([['', []]]);
  for (const leaf of leavesOfOwn) {
    for (let k = 0; k < leaf.path.length; k++) structs.set(leaf.path.slice(0, k).join('\0'), leaf.path.slice(0, k));
    if (own.lookup(...leaf.path).patterns().length) structs.set(leaf.path.join('\0'), leaf.path);
  }
  // A pattern of #values that matches a value of the definition redeclares it.
  for (const p of structs.values()) {
    const ownAt = own.lookup(...p);
    const defAt = def.lookup(...p);
    if (!defAt.exists()) continue;
    for (const f of defAt.fields({ optional: true })) {
      if (ownAt.lookup(f.label).exists()) continue;
      const patterns = patternsMatching(ctx, ownAt, f.label);
      if (patterns.length) {
        problems.push(
          `module ${label}: #values${p.length ? `.${formatPath(p)}` : ''}.${patterns.join(', ')}${where(p)} matches values.${formatPath([...p, f.label])}, which the definition already declares; a pattern of #values must match only values the platform owns`,
        );
      }
    }
  }
  // Open: probed on the module's values, where releases are checked. A name that takes any value at all (a
  // number, a string and a struct) is open (\`...\`, or \`[string]: _\`); a typed map (\`[string]: string\`) is not.
  for (const p of structs.values()) {
    const admits = [1, 'opm', {}].every((x) => {
      const probe: PlainObject = {};
      setPath(probe, [...p, 'opmUndeclaredProbe'], x);
      return !schema.unify(encode(probe)).validate({ all: true }).length;
    });
    if (admits) {
      problems.push(`module ${label}: #values${p.length ? `.${formatPath(p)}` : ''}${where(p)} is open (\`...\` or \`[string]: _\`): a release could set any value there; declare each value the platform owns`);
      break;
    }
  }
  return { paths, problems };
}

function getIn(v: PlainObject, path: string[]): Plain | undefined {
  let cur: Plain | undefined = v;
  for (const s of path) cur = isObject(cur) ? cur[s] : undefined;
  return cur;
}
