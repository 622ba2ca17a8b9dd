// The layers of the value cascade below the release, for one release: which
// default layers and locks apply in its environment, read from the module as
// evaluated in the release's context (so a module's `#immutable` written with
// `if #definition.#context.namespace == ...` takes effect instead of being
// read once with the context's defaults), each checked against the values
// schema, with conflicts between them reported instead of one quietly winning.
//
// definition defaults (CUE `*`, and the Module's own #values)
//   ← module #overrides ← platform environment `defaults`
//   ← module #environments.<env>.overrides
//   ← locks: module #immutable, module #environments.<env>.immutable, platform environment `immutable`
//   ← release values.
import type { Source, Value } from '@opm/cue';
import { ValidationError } from './errors.js';
import { moduleLabel, type LoadedModule } from './module.js';
import { deepEqual, formatPath, getPath, hasPath, isObject, leaves, setPath, show, type Plain, type PlainObject } from './paths.js';
import type { Environment, PlatformRules } from './platform.js';
import type { Redactor } from './redact.js';
import { checkLayer } from './values.js';
import { baseName } from './sources.js';

export interface Lock {
  path: string[];
  value: Plain;
  by: string;
}

/** A layer of default values (lowest first in Cascade.defaults). */
export interface DefaultsLayer {
  /** How `values --explain` and messages name it: `module web 1.0.0 #overrides`. */
  label: string;
  values: PlainObject;
  positionOf(p: string[]): { file: string; line: number } | undefined;
}

export interface Cascade {
  defaults: DefaultsLayer[];
  locks: Lock[];
}

function plainAt(v: Value, ...p: string[]): PlainObject {
  const x = v.lookup(...p);
  if (!x.exists()) return {};
  const js = x.toJS();
  return isObject(js) ? js : {};
}

/** Only the paths the module has: platform-wide layers apply to the values a module declares. */
function ownPaths(mod: LoadedModule, values: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const l of leaves(values)) if (l.path.length && mod.schema.lookup(...l.path).exists()) setPath(out, l.path, l.value);
  return out;
}

const at = (pos: { file: string; line: number } | undefined) => (pos ? ` (${baseName(pos.file)} line ${pos.line})` : '');

/**
 * The default layers and locks for a release of `mod` in `env`, from the module
 * evaluated in the release's context (`inCtx`). Throws a ValidationError naming
 * the layer, the path and the constraint for a layer that breaks the schema,
 * an environment name the platform does not have, and conflicting locks.
 */
export function cascadeFor(
  mod: LoadedModule,
  inCtx: Value,
  env: Environment | undefined,
  rules: PlatformRules,
  o: { encode: (x: unknown) => Value; files: Source[]; redactor: Redactor },
): Cascade {
  const label = moduleLabel(mod);
  const problems: string[] = [];
  const check = (subject: string, field: string, values: PlainObject) => {
    if (!Object.keys(values).length) return;
    problems.push(...checkLayer(o.encode, mod.schema, { subject, field, values, moduleLabel: label, files: o.files, redactor: o.redactor }));
  };
  const posIn = (root: Value, prefix: string[]) => (p: string[]) => {
    const pos = root.lookup(...prefix, ...p).pos();
    return pos ? { file: pos.file, line: pos.line } : undefined;
  };

  // The module's own layers, as evaluated for this release. Unchanged ones were checked when the module loaded.
  const overrides = plainAt(inCtx, '#overrides');
  const immutable = plainAt(inCtx, '#immutable');
  if (!deepEqual(overrides, mod.overrides)) check(`module ${label}`, '#overrides', overrides);
  if (!deepEqual(immutable, mod.immutable)) check(`module ${label}`, '#immutable', immutable);

  const perEnv = inCtx.lookup('#environments');
  const envNames = perEnv.exists() ? perEnv.fields().map((f) => f.label) : [];
  const known = rules.environments.map((e) => e.name);
  for (const n of envNames) {
    if (rules.environments.length && !known.includes(n)) {
      const pos = perEnv.lookup(n).pos();
      problems.push(`module ${label}: #environments.${n}${at(pos)}: the platform has no environment ${n} (environments: ${known.join(', ')})`);
    }
  }
  const envField = env ? `#environments.${env.name}` : '';
  const envOverrides = env && envNames.includes(env.name) ? plainAt(perEnv, env.name, 'overrides') : {};
  const envImmutable = env && envNames.includes(env.name) ? plainAt(perEnv, env.name, 'immutable') : {};
  check(`module ${label}`, `${envField}.overrides`, envOverrides);
  check(`module ${label}`, `${envField}.immutable`, envImmutable);
  const platformDefaults = env ? ownPaths(mod, env.defaults ?? {}) : {};
  const platformLocks = env ? ownPaths(mod, env.immutable) : {};
  if (env) {
    check(`platform environment ${env.name}`, 'defaults', platformDefaults);
    check(`platform environment ${env.name}`, 'immutable', platformLocks);
  }

  const defaults: DefaultsLayer[] = [{ label: `module ${label} #overrides`, values: overrides, positionOf: posIn(inCtx, ['#overrides']) }];
  if (env) {
    const envV = rules.value?.lookup('environments', env.name);
    if (Object.keys(platformDefaults).length) {
      defaults.push({ label: `platform environment ${env.name} defaults`, values: platformDefaults, positionOf: (p) => (envV ? posIn(envV, ['defaults'])(p) : undefined) });
    }
    if (Object.keys(envOverrides).length) defaults.push({ label: `module ${label} ${envField}.overrides`, values: envOverrides, positionOf: posIn(perEnv, [env.name, 'overrides']) });
  }

  const locks: Lock[] = [];
  const addLocks = (values: PlainObject, by: (p: string[]) => string) => {
    for (const l of leaves(values)) {
      if (!l.path.length) continue;
      const same = locks.find((k) => k.path.join('\0') === l.path.join('\0'));
      const lock = { ...l, by: by(l.path) };
      if (!same) locks.push(lock);
      else if (!deepEqual(same.value, l.value)) {
        problems.push(`values.${formatPath(l.path)}: locked to ${shown(o.redactor, l.path, same.value)} by ${same.by} and to ${shown(o.redactor, l.path, l.value)} by ${lock.by}: no release could satisfy both`);
      }
    }
  };
  addLocks(immutable, (p) => `module ${label}${at2('#immutable', inCtx.lookup('#immutable', ...p).pos())}`);
  if (env) {
    addLocks(envImmutable, (p) => `module ${label}${at2(`${envField}.immutable`, perEnv.lookup(env.name, 'immutable', ...p).pos())}`);
    addLocks(platformLocks, (p) => {
      const pos = rules.value?.lookup('environments', env.name, 'immutable', ...p).pos();
      return `platform environment ${env.name}${pos ? ` (${baseName(pos.file)} line ${pos.line})` : ''}`;
    });
  }

  // A default written for this very environment that a lock overrules could never apply: say so.
  // (Module-wide #overrides against #immutable are checked when the module loads; a lock that
  // depends on the context may overrule a module-wide default in one environment.)
  const conflicts: [PlainObject, string, Lock[]][] = [];
  if (env) {
    conflicts.push([envOverrides, `module ${label}: ${envField}.overrides`, locks]);
    conflicts.push([platformDefaults, `platform environment ${env.name}: defaults`, locks.filter((l) => hasPath(platformLocks, l.path))]);
  }
  for (const [values, where, ls] of conflicts) {
    for (const l of ls) {
      if (!hasPath(values, l.path)) continue;
      const v = getPath(values, l.path);
      if (!deepEqual(v, l.value)) {
        problems.push(`${where}.${formatPath(l.path)} sets ${shown(o.redactor, l.path, v)}, but values.${formatPath(l.path)} is locked to ${shown(o.redactor, l.path, l.value)} by ${l.by}`);
      }
    }
  }
  if (problems.length) throw new ValidationError(problems, 'module');
  return { defaults, locks };
}

function at2(field: string, pos: { file: string; line: number } | undefined): string {
  return ` (${field}${pos ? `, ${baseName(pos.file)} line ${pos.line}` : ''})`;
}

function shown(r: Redactor, p: string[], v: unknown): string {
  return r.isSecretPath(p) ? '"<secret>"' : show(v);
}

/** The highest default layer that sets `p`. */
export function defaultLayerOf(c: Cascade, p: string[]): DefaultsLayer | undefined {
  return [...c.defaults].reverse().find((l) => hasPath(l.values, p));
}
