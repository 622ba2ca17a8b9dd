/**
 * Server-side apply field ownership, modelled on sigs.k8s.io/structured-merge-diff:
 * field sets (paths of `f:`/`k:`/`v:`/`i:` elements), the FieldsV1 encoding, merge, prune and the
 * conflict rules of Apply vs Update operations.
 */
import { apiError } from './errors.js';
import { canon, clone, deepEqual, isObj } from './json.js';
import type { TypeInfo } from './schema.js';

export type Path = string[]; // elements: 'f:name', 'k:{"name":"x"}', 'v:"x"', 'i:0'
export type PathSet = Set<string>; // JSON-encoded Paths

const enc = (p: Path): string => JSON.stringify(p);
const dec = (s: string): Path => JSON.parse(s) as Path;

type EntryKind = 'map' | 'item' | 'leaf';
interface FlatEntry {
  kind: EntryKind;
  value?: string;
}

/** Path element → the schema path step used by TypeInfo ('[]' for list items). */
function schemaStep(el: string): string {
  return el.startsWith('f:') ? el.slice(2) : '[]';
}

function schemaPathOf(p: Path): string[] {
  return p.map(schemaStep);
}

/** Flattens an object into all of its field paths. Maps yield 'map' entries, list items 'item', others 'leaf'. */
export function flatten(obj: unknown, ti: TypeInfo): Map<string, FlatEntry> {
  const out = new Map<string, FlatEntry>();
  const walk = (v: unknown, path: Path, spath: string[]): void => {
    if (isObj(v)) {
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (path.length > 0 && (keys.length === 0 || ti.atomicMap(spath))) {
        out.set(enc(path), { kind: 'leaf', value: canon(v) });
        return;
      }
      if (path.length > 0) out.set(enc(path), { kind: 'map' });
      for (const k of keys) walk(v[k], [...path, `f:${k}`], [...spath, k]);
      return;
    }
    if (Array.isArray(v)) {
      const lt = ti.list(spath);
      if (lt.type === 'set' && v.every((x) => !isObj(x) && !Array.isArray(x))) {
        out.set(enc(path), { kind: 'map' });
        for (const item of v) out.set(enc([...path, `v:${canon(item)}`]), { kind: 'leaf', value: canon(item) });
        return;
      }
      if (lt.type === 'map' && v.every((x) => isObj(x))) {
        out.set(enc(path), { kind: 'map' });
        for (const item of v) {
          const ip = [...path, keyElement(item, lt.keys, lt.defaults)];
          out.set(enc(ip), { kind: 'item' });
          for (const k of Object.keys(item)) {
            if (item[k] === undefined) continue;
            walk(item[k], [...ip, `f:${k}`], [...spath, '[]', k]);
          }
        }
        return;
      }
      out.set(enc(path), { kind: 'leaf', value: canon(v) });
      return;
    }
    out.set(enc(path), { kind: 'leaf', value: canon(v) });
  };
  walk(obj, [], []);
  return out;
}

/** fieldpath ordering: element by element, field names < keys < values < indexes, then by text. */
export function comparePaths(a: Path, b: Path): number {
  const rank = (el: string) => ({ f: 0, k: 1, v: 2, i: 3 })[el[0] as 'f' | 'k' | 'v' | 'i'] ?? 4;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (rank(x) !== rank(y)) return rank(x) - rank(y);
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function keyElement(item: Record<string, any>, keys: string[], defaults?: Record<string, unknown>): string {
  const k: Record<string, unknown> = {};
  for (const key of [...keys].sort()) {
    if (item[key] !== undefined) k[key] = item[key];
    else if (defaults?.[key] !== undefined) k[key] = defaults[key];
  }
  return `k:${canon(k)}`;
}

/**
 * The set a manager owns when applying `obj` (typed.ToFieldSet): scalars, atomic lists/maps and list items;
 * never plain map nodes, and not empty structs (an applied `{}` owns nothing).
 */
export function ownableSet(obj: unknown, ti: TypeInfo, ignore: (p: Path) => boolean): PathSet {
  const s: PathSet = new Set();
  for (const [k, e] of flatten(obj, ti)) {
    if (e.kind === 'map') continue;
    if (e.kind === 'leaf' && e.value === '{}' && !ti.atomicMap(schemaPathOf(dec(k)))) continue;
    if (ignore(dec(k))) continue;
    s.add(k);
  }
  return s;
}

export interface Comparison {
  added: PathSet;
  modified: PathSet;
  removed: PathSet;
}

/**
 * typed.Compare over leaves and list items. With `nodes`, maps and lists that appear (or disappear) as a whole
 * are reported too, unless they exist in the Go zero value anyway (ti.zeroPresent) — that is where the `.`
 * entries of Update managers come from.
 */
export function compare(a: unknown, b: unknown, ti: TypeInfo, ignore: (p: Path) => boolean, nodes = false): Comparison {
  const fa = flatten(a ?? {}, ti);
  const fb = flatten(b ?? {}, ti);
  const added: PathSet = new Set();
  const modified: PathSet = new Set();
  const removed: PathSet = new Set();
  if (nodes) {
    const wanted = (k: string) => !ignore(dec(k)) && !ti.zeroPresent(schemaPathOf(dec(k)));
    for (const [k, e] of fb) if (e.kind === 'map' && !fa.has(k) && wanted(k)) added.add(k);
    for (const [k, e] of fa) if (e.kind === 'map' && !fb.has(k) && wanted(k)) removed.add(k);
  }
  for (const [k, e] of fb) {
    if (e.kind === 'map' || ignore(dec(k))) continue;
    const old = fa.get(k);
    if (!old || old.kind === 'map') added.add(k);
    else if (old.kind !== e.kind || old.value !== e.value) modified.add(k);
  }
  for (const [k, e] of fa) {
    if (e.kind === 'map' || ignore(dec(k))) continue;
    const nw = fb.get(k);
    if (!nw || nw.kind === 'map') removed.add(k);
  }
  return { added, modified, removed };
}

/* ---------- FieldsV1 encoding ---------- */

interface Node {
  self: boolean;
  children: Map<string, Node>;
}

export function toFieldsV1(set: PathSet): Record<string, unknown> {
  const root: Node = { self: false, children: new Map() };
  for (const s of set) {
    let n = root;
    for (const el of dec(s)) {
      let c = n.children.get(el);
      if (!c) n.children.set(el, (c = { self: false, children: new Map() }));
      n = c;
    }
    n.self = true;
  }
  const render = (n: Node): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    if (n.self && n.children.size > 0) o['.'] = {};
    for (const k of [...n.children.keys()].sort()) o[k] = render(n.children.get(k)!);
    return o;
  };
  return render(root);
}

export function fromFieldsV1(f: unknown): PathSet {
  const out: PathSet = new Set();
  const walk = (n: unknown, path: Path): void => {
    if (!isObj(n)) return;
    const keys = Object.keys(n);
    if (path.length > 0 && (keys.length === 0 || keys.includes('.'))) out.add(enc(path));
    for (const k of keys) if (k !== '.') walk(n[k], [...path, k]);
  };
  walk(f, []);
  return out;
}

/** `.spec.template.spec.containers[name="nginx"].image`, as fieldpath.Path.String() prints it. */
export function pathString(p: Path): string {
  return p
    .map((el) => {
      const v = el.slice(2);
      if (el.startsWith('f:')) return `.${v}`;
      if (el.startsWith('k:')) {
        const o = JSON.parse(v) as Record<string, unknown>;
        return `[${Object.keys(o)
          .map((k) => `${k}=${JSON.stringify(o[k])}`)
          .join(',')}]`;
      }
      if (el.startsWith('v:')) return `[=${v}]`;
      return `[${v}]`;
    })
    .join('');
}

export function pathStringOf(encoded: string): string {
  return pathString(dec(encoded));
}

/* ---------- merge / remove ---------- */

/** Merges an applied configuration into a live object following list/map types (SSA merge). */
export function mergeApply(live: unknown, applied: unknown, ti: TypeInfo, spath: string[] = []): unknown {
  if (isObj(applied)) {
    if (!isObj(live) || (spath.length > 0 && ti.atomicMap(spath))) return clone(applied);
    const out: Record<string, unknown> = clone(live);
    for (const k of Object.keys(applied)) {
      if (applied[k] === undefined) continue;
      out[k] = mergeApply(live[k], applied[k], ti, [...spath, k]);
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const lt = ti.list(spath);
    if (!Array.isArray(live) || lt.type === 'atomic') return clone(applied);
    if (lt.type === 'set') {
      const out = clone(live) as unknown[];
      for (const item of applied) if (!out.some((x) => deepEqual(x, item))) out.push(clone(item));
      return out;
    }
    if (!applied.every(isObj) || !live.every(isObj)) return clone(applied);
    const out = clone(live) as Record<string, any>[];
    for (const item of applied as Record<string, any>[]) {
      const key = keyElement(item, lt.keys, lt.defaults);
      const idx = out.findIndex((x) => keyElement(x, lt.keys, lt.defaults) === key);
      if (idx >= 0) out[idx] = mergeApply(out[idx], item, ti, [...spath, '[]']) as Record<string, any>;
      else out.push(clone(item));
    }
    return out;
  }
  return clone(applied);
}

/** Key-field defaults used when locating list items by path (objects in storage are already defaulted). */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** Removes the field at `path` from obj (in place). Returns true if something was removed. */
export function removePath(obj: unknown, path: Path): boolean {
  let cur: any = obj;
  for (let i = 0; i < path.length; i++) {
    const el = path[i]!;
    const last = i === path.length - 1;
    const v = el.slice(2);
    if (el.startsWith('f:')) {
      if (!isObj(cur) || !(v in cur)) return false;
      if (last) {
        delete cur[v];
        return true;
      }
      cur = cur[v];
    } else {
      if (!Array.isArray(cur)) return false;
      let idx = -1;
      if (el.startsWith('k:')) {
        const key = JSON.parse(v) as Record<string, unknown>;
        idx = cur.findIndex((x: any) => isObj(x) && Object.keys(key).every((k) => deepEqual(x[k] ?? KEY_DEFAULTS[k], key[k])));
      } else if (el.startsWith('v:')) idx = cur.findIndex((x: unknown) => canon(x) === v);
      else idx = Number(v);
      if (idx < 0 || idx >= cur.length) return false;
      if (last) {
        cur.splice(idx, 1);
        return true;
      }
      cur = cur[idx];
    }
  }
  return false;
}

/** After pruning, drop maps/lists emptied by the removal along the given path (never the top-level fields). */
function dropEmptyParents(obj: unknown, path: Path): void {
  for (let n = path.length - 1; n >= 2; n--) {
    const parent = path.slice(0, n);
    const v = getPath(obj, parent);
    if ((isObj(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0)) removePath(obj, parent);
    else break;
  }
}

export function getPath(obj: unknown, path: Path): unknown {
  let cur: any = obj;
  for (const el of path) {
    const v = el.slice(2);
    if (el.startsWith('f:')) cur = isObj(cur) ? cur[v] : undefined;
    else if (Array.isArray(cur)) {
      if (el.startsWith('k:')) {
        const key = JSON.parse(v) as Record<string, unknown>;
        cur = cur.find((x: any) => isObj(x) && Object.keys(key).every((k) => deepEqual(x[k] ?? KEY_DEFAULTS[k], key[k])));
      } else if (el.startsWith('v:')) cur = cur.find((x: unknown) => canon(x) === v);
      else cur = cur[Number(v)];
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/* ---------- managed fields ---------- */

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

interface Manager {
  entry: ManagedFieldsEntry;
  set: PathSet;
  changed: boolean;
}

function sameIdentity(a: ManagedFieldsEntry, b: ManagedFieldsEntry): boolean {
  if (a.manager !== b.manager || a.operation !== b.operation || (a.subresource ?? '') !== (b.subresource ?? '')) return false;
  // Update managers are distinguished by apiVersion too; Apply managers are not.
  return a.operation === 'Apply' || a.apiVersion === b.apiVersion;
}

function parseManagers(list: unknown): Manager[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(isObj)
    .map((e) => ({ entry: clone(e) as ManagedFieldsEntry, set: fromFieldsV1(e.fieldsV1), changed: false }));
}

function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

export function conflictError(conflicts: { manager: ManagedFieldsEntry; path: string }[]): never {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathStringOf(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.manager)}: ${pathStringOf(conflicts[0]!.path)}`;
  } else {
    const by = new Map<string, string[]>();
    for (const c of conflicts) {
      const m = printManager(c.manager);
      if (!by.has(m)) by.set(m, []);
      by.get(m)!.push(pathStringOf(c.path));
    }
    // upstream sorts by the encoded manager identifier; sorting the printed form is equivalent for the common cases
    const lines: string[] = [];
    for (const m of [...by.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const p of by.get(m)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  throw apiError(409, 'Conflict', message, { causes });
}

function renderManagers(ms: Manager[], now: string): ManagedFieldsEntry[] | undefined {
  const out: ManagedFieldsEntry[] = [];
  for (const m of ms) {
    if (m.set.size === 0) continue;
    const e: ManagedFieldsEntry = {
      manager: m.entry.manager,
      operation: m.entry.operation,
      apiVersion: m.entry.apiVersion,
      time: m.changed ? now : m.entry.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(m.set),
    };
    if (m.entry.subresource) e.subresource = m.entry.subresource;
    if (e.time === undefined) delete e.time;
    out.push(e);
  }
  // internal.sortEncodedManagedFields: by operation (Apply < Update), time, manager, apiVersion, subresource
  const secs = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const cmp = (a?: string, b?: string) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  out.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      secs(p.time) - secs(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource, q.subresource),
  );
  return out.length ? out : undefined;
}

function setsEqual(a: PathSet, b: PathSet): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

export interface OpOptions {
  manager: string;
  apiVersion: string;
  subresource?: string;
  ti: TypeInfo;
  /** Paths that are not tracked (apiVersion, kind, server-set metadata, reset fields like status). */
  ignore: (p: Path) => boolean;
  now: string;
}

function withoutManaged(o: any): any {
  if (!isObj(o)) return o;
  const c = clone(o);
  if (isObj(c.metadata)) delete c.metadata.managedFields;
  return c;
}

/**
 * Server-side apply. `live` is the current object (undefined when creating); `applied` the applied
 * configuration. Returns the merged object with updated managedFields, or throws a 409 conflict.
 * `finish` lets the caller reset ignored fields (status, server-set metadata) before pruning/diffing.
 */
export function applyFields(
  live: any | undefined,
  applied: any,
  opts: OpOptions & { force: boolean },
  finish: (merged: any) => any,
): any {
  const liveBody = withoutManaged(live ?? {});
  const managers = parseManagers(live?.metadata?.managedFields);
  const appliedClean = stripNulls(withoutManaged(applied));
  const me: ManagedFieldsEntry = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion };
  if (opts.subresource) me.subresource = opts.subresource;
  let mine = managers.find((m) => sameIdentity(m.entry, me));
  const lastSet: PathSet = mine ? new Set(mine.set) : new Set();
  const appliedSet = ownableSet(appliedClean, opts.ti, opts.ignore);

  let merged = finish(mergeApply(liveBody, appliedClean, opts.ti));
  const cmp = compare(liveBody, merged, opts.ti, opts.ignore);
  const changed = new Set([...cmp.added, ...cmp.modified]);
  const conflicts: { manager: ManagedFieldsEntry; path: string }[] = [];
  for (const m of managers) {
    if (m === mine) continue;
    // merge.Updater.update: conflicts = managerSet ∩ (Modified ∪ Added)
    for (const p of m.set) if (changed.has(p)) conflicts.push({ manager: m.entry, path: p });
  }
  conflicts.sort((a, b) => {
    const ma = a.manager.manager ?? '';
    const mb = b.manager.manager ?? '';
    if (ma !== mb) return ma < mb ? -1 : 1;
    return comparePaths(dec(a.path), dec(b.path));
  });
  if (conflicts.length && !opts.force) conflictError(conflicts);
  for (const c of conflicts) {
    const m = managers.find((x) => x.entry === c.manager)!;
    m.set.delete(c.path);
    m.changed = true;
  }
  if (!mine) {
    mine = { entry: me, set: new Set(), changed: true };
    managers.push(mine);
  }
  mine.entry.apiVersion = opts.apiVersion;
  if (!setsEqual(mine.set, appliedSet)) mine.changed = true;
  mine.set = appliedSet;

  // prune: fields this manager applied before, no longer applies, and nobody else owns
  const others = new Set<string>();
  for (const m of managers) if (m !== mine) for (const p of m.set) others.add(p);
  const toRemove = [...lastSet].filter((p) => !appliedSet.has(p) && !others.has(p)).map(dec);
  // parents first: removing a list item or map removes everything below it
  toRemove.sort((a, b) => a.length - b.length);
  for (const p of toRemove) {
    if (removePath(merged, p)) dropEmptyParents(merged, p);
  }
  merged = finish(merged);

  const fin = compare(liveBody, merged, opts.ti, opts.ignore, true);
  for (const m of managers) {
    for (const p of fin.removed) if (m.set.delete(p)) m.changed = true;
  }
  const bodyChanged = fin.added.size + fin.modified.size + fin.removed.size > 0;
  if (bodyChanged) mine.changed = true;
  // kubernetes/kubernetes#131175: an applied empty atomic list (e.g. `subjects: []`) that the typed object
  // drops (omitempty) looks like a change on every apply, so the manager's timestamp (and resourceVersion)
  // move each time. Empty maps were fixed upstream (#125317) and are not affected.
  const raw = mergeApply(liveBody, appliedClean, opts.ti);
  const rawFlat = flatten(raw, opts.ti);
  const liveFlat = flatten(liveBody, opts.ti);
  for (const [k, e] of rawFlat) {
    if (e.kind === 'leaf' && e.value === '[]' && !liveFlat.has(k) && !opts.ignore(dec(k)) && getPath(merged, dec(k)) === undefined) {
      mine.changed = true;
      break;
    }
  }
  const mf = renderManagers(managers, opts.now);
  merged.metadata = merged.metadata ?? {};
  if (mf) merged.metadata.managedFields = mf;
  else delete merged.metadata.managedFields;
  return merged;
}

/** Field tracking for Update operations (create, PUT, non-apply PATCH, status writes): never conflicts. */
export function updateFields(live: any | undefined, next: any, opts: OpOptions): any {
  const liveBody = withoutManaged(live ?? {});
  let managers = parseManagers(live?.metadata?.managedFields);
  const requested = next?.metadata?.managedFields;
  const out = clone(next);
  out.metadata = out.metadata ?? {};
  if (Array.isArray(requested) && requested.length > 0 && !deepEqual(requested, live?.metadata?.managedFields)) {
    if (requested.length === 1 && isObj(requested[0]) && Object.keys(requested[0]).length === 0) {
      // managedFields: [{}] resets field tracking entirely
      delete out.metadata.managedFields;
      return out;
    }
    managers = parseManagers(requested);
  }
  delete out.metadata.managedFields;
  const cmp = compare(liveBody, out, opts.ti, opts.ignore, true);
  const me: ManagedFieldsEntry = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion };
  if (opts.subresource) me.subresource = opts.subresource;
  let mine = managers.find((m) => sameIdentity(m.entry, me));
  const touched = new Set([...cmp.added, ...cmp.modified]);
  for (const m of managers) {
    if (m === mine) continue;
    for (const p of [...touched, ...cmp.removed]) if (m.set.delete(p)) m.changed = true;
  }
  if (touched.size > 0 || cmp.removed.size > 0) {
    if (!mine) {
      mine = { entry: me, set: new Set(), changed: true };
      managers.push(mine);
    }
    for (const p of touched) mine.set.add(p);
    for (const p of cmp.removed) mine.set.delete(p);
    mine.changed = true;
  }
  const mf = renderManagers(managers, opts.now);
  if (mf) out.metadata.managedFields = mf;
  return out;
}

export function stripNulls(v: any): any {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (isObj(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) if (v[k] !== null && v[k] !== undefined) o[k] = stripNulls(v[k]);
    return o;
  }
  return v;
}
