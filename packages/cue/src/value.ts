// The public Value (api.ts) over the evaluator's vertices and values.
import type { Attribute, Pos } from './ast.js';
import { ANY_STRING, type FieldInfo, type FieldsOptions, type Kind, type Selector, type ValidateOptions, type Value } from './api.js';
import { CueError, CueErrorList } from './errors.js';
import { fromJS, dataVertex } from './eval/data.js';
import { disjDefault } from './eval/disjunction.js';
import {
  expand,
  keepsArcs,
  resetWork,
  selectable,
  unifyValues,
  valEqual,
  vertexAccepts,
  vertexClosed,
  vertexDefault,
} from './eval/evaluator.js';
import { concreteDefault } from './eval/operators.js';
import { bottom, type Bottom, isBottom, kindOf, show, type Val, INT, FLOAT, NULL, BOOL, STRING, BYTES, LIST, STRUCT, ALL } from './eval/values.js';
import { fieldLabel, hasRegularLabel, isDefLabel, isHiddenLabel, isRegularLabel, listElems, newEnv, valConj, Vertex } from './eval/vertex.js';
import { bottomToError, DATA, type Data, type DataBuilder, extract, PLAIN } from './export/data.js';
import { patternLabels, toCUEFile } from './export/cue.js';
import { withImports } from './export/cue-imports.js';
import { dataToJSON } from './export/json.js';
import { dataToYAML } from './export/yaml.js';
import { parseExpr } from './parser.js';

/**
 * A scalar disjunction embedded beside definitions or hidden fields
 * (`{#d: *"X" | string, #d}`) is one disjunct per term, each with those
 * fields (CUE splits the vertex: `*{"X", #d: ...} | {string, #d: ...}`):
 * the term t as such a disjunct, sharing v's (finished) arcs.
 */
function withArcs(v: Vertex, t: Val): Val {
  if (v.arcs.size === 0 || t.t === 'vertex' || isBottom(t)) return t;
  const d = new Vertex(v.parent, v.label);
  d.fieldKind = v.fieldKind;
  d.arcs = v.arcs;
  d.base = t;
  d.scalarEmbedded = true;
  d.positions = v.positions;
  d.roots = v.roots;
  d.status = 3;
  return d;
}

/** Runs an API operation, turning a blown work budget into an error value. */
function guarded<T>(f: () => T, onErr: (e: CueError) => T): T {
  resetWork();
  try {
    return f();
  } catch (e) {
    if (e instanceof CueError) return onErr(e);
    if (e instanceof RangeError) return onErr(new CueError('structural cycle', `evaluation too deep: ${e.message}`));
    throw e;
  }
}

function errVal(e: CueError): Bottom {
  return bottom(e.code, e.detail, e.positions);
}

/** Package roots whose top-level fields were not evaluated yet (see evaluateInOrder). */
const pendingRoots = new WeakSet<Vertex>();

/** Marks a freshly built package root: its fields are evaluated in declaration order before the first lookup. */
export function markRoot(v: Vertex): void {
  pendingRoots.add(v);
}

/**
 * Evaluates a root's top-level fields in declaration order, as CUE evaluates
 * a whole instance before it is looked into. Where fields depend on each
 * other through a reference cycle, the result depends on which field the
 * cycle is entered from; the declaration order makes it the same whichever
 * field is asked for first.
 */
function evaluateInOrder(root: Vertex): void {
  pendingRoots.delete(root);
  expand(root);
  for (let i = 0, xs = [...root.arcs.values()]; i < xs.length; i++) {
    const a = xs[i];
    guarded(() => expand(a), () => undefined);
  }
}

export class ValueImpl implements Value {
  /** @internal */ readonly __val: Val;
  /** @internal */ readonly sel: Selector[];

  constructor(v: Val, path: Selector[] = []) {
    this.__val = v;
    this.sel = path;
  }

  private get v(): Val {
    return this.__val;
  }

  private resolved(): Val {
    const v = this.v;
    if (v.t === 'vertex') guarded(() => expand(v), () => undefined);
    return v;
  }

  kind(): Kind {
    return guarded(() => {
      const v = this.resolved();
      return kindOfVal(v);
    }, () => 'bottom' as Kind);
  }

  incompleteKinds(): Kind[] {
    return guarded(() => {
      const v = this.resolved();
      const k = v.t === 'vertex' ? v.kindMask() : kindOf(v);
      const out: Kind[] = [];
      if (k & NULL) out.push('null');
      if (k & BOOL) out.push('bool');
      if (k & INT) out.push('int');
      if (k & FLOAT) out.push('float');
      if (k & STRING) out.push('string');
      if (k & BYTES) out.push('bytes');
      if (k & LIST) out.push('list');
      if (k & STRUCT) out.push('struct');
      if (k === 0) out.push('bottom');
      return out;
    }, () => ['bottom' as Kind]);
  }

  pos(): Pos | undefined {
    return this.positions()[0];
  }

  positions(): Pos[] {
    const v = this.v;
    if (v.t === 'vertex') return v.positions.slice();
    if (v.t === 'bottom') return v.pos.slice();
    const p = (v as { pos?: Pos }).pos;
    return p ? [p] : [];
  }

  path(): Selector[] {
    return this.sel.slice();
  }

  lookup(...path: Selector[]): Value {
    return guarded(
      () => {
        let cur: Val = this.v;
        if (cur.t === 'vertex' && pendingRoots.has(cur)) evaluateInOrder(cur);
        const done: Selector[] = [...this.sel];
        for (let i = 0; i < path.length; i++) {
          const s = path[i];
          // A struct in error only because of one of its fields (`b` not allowed) still has its other fields.
          const arc = withFieldError(cur)?.arcs.get(String(s));
          if (arc) {
            cur = arc;
            done.push(s);
            continue;
          }
          const x = selectable(cur);
          // The error of a value above: reported where it arose, not below the selector.
          if (isBottom(x)) return new ValueImpl({ ...x, sub: undefined, at: [...done.map(String), ...(x.sub ?? [])] }, [...done, s]);
          if (x.t !== 'vertex') {
            return new ValueImpl(bottom('incomplete', `field ${String(s)} not found: ${show(x)} is not a struct or list`), [...done, s]);
          }
          const a = x.arcs.get(String(s));
          if (!a) return new ValueImpl(bottom('incomplete', `field not found: ${String(s)}`), [...done, s]);
          cur = a;
          done.push(s);
        }
        return new ValueImpl(cur, done);
      },
      (e) => new ValueImpl(errVal(e), [...this.sel, ...path]),
    );
  }

  lookupPath(p: string): Value {
    const sels = parsePath(p);
    if (sels instanceof CueError) return new ValueImpl(errVal(sels), this.sel);
    return this.lookup(...sels);
  }

  exists(): boolean {
    const v = this.v;
    return !(v.t === 'bottom' && v.code === 'incomplete' && /not found/.test(v.msg));
  }

  fields(opts: FieldsOptions = {}): FieldInfo[] {
    return guarded(() => {
      // A struct in error only because of one of its fields still lists them all (that one holds the error).
      const x = withFieldError(this.v) ?? selectable(this.v);
      if (x.t !== 'vertex') return [];
      const out: FieldInfo[] = [];
      for (const kv of x.arcs) {
        const l = kv[0];
        const a = kv[1];
        // A list's index arcs are its elements(); a list embedded with definitions or hidden fields has those as fields.
        if (x.isList && isRegularLabel(l)) continue;
        const definition = isDefLabel(l);
        const hidden = !definition && isHiddenLabel(l);
        if (definition && !opts.definitions) continue;
        if (hidden && !opts.hidden) continue;
        if (a.fieldKind !== 'regular' && !opts.optional) continue;
        out.push({
          label: l,
          value: new ValueImpl(a, [...this.sel, l]),
          optional: a.fieldKind === 'optional',
          required: a.fieldKind === 'required',
          definition,
          hidden,
          attrs: a.attrs.slice(),
        });
      }
      return out;
    }, () => []);
  }

  elements(): Value[] {
    return guarded(() => {
      const x = selectable(this.v);
      if (x.t !== 'vertex' || !x.isList) return [];
      // Index arcs only: a list embedded with definitions (`{[1, 2], #foo: 1}`) carries those too.
      return listElems(x).map((a, i) => new ValueImpl(a, [...this.sel, i]));
    }, () => []);
  }

  attrs(): Attribute[] {
    return this.v.t === 'vertex' ? this.v.attrs.slice() : [];
  }

  default(): Value {
    return guarded(() => {
      const v = this.resolved();
      if (v.t === 'vertex') {
        if (v.disjuncts) return new ValueImpl(vertexDefault(v), this.sel);
        if (!v.isStruct && !v.isList && v.base.t === 'disj') {
          const d = disjDefault(v.base);
          return new ValueImpl(d ? withArcs(v, d) : v, this.sel);
        }
        return this;
      }
      if (v.t === 'disj') return new ValueImpl(disjDefault(v) ?? v, this.sel);
      return this;
    }, () => this);
  }

  hasDefault(): boolean {
    return guarded(() => {
      const v = this.resolved();
      if (v.t === 'vertex') {
        if (v.disjuncts) return vertexDefault(v) !== v;
        if (!v.isStruct && !v.isList && v.base.t === 'disj') return !!disjDefault(v.base);
        return false;
      }
      if (v.t === 'disj') return !!disjDefault(v);
      return false;
    }, () => false);
  }

  disjuncts(): { value: Value; isDefault: boolean }[] | undefined {
    const v = this.resolved();
    if (v.t === 'vertex' && v.disjuncts) {
      const ds = v.disjuncts.map((d, i) => ({ value: new ValueImpl(d, this.sel) as Value, isDefault: v.disjMarked && !!v.disjMarks![i] }));
      return [...ds.filter((d) => d.isDefault), ...ds.filter((d) => !d.isDefault)];
    }
    const b = v.t === 'vertex' && !v.isList && !hasRegularLabel(v) ? v.base : v;
    if (b.t === 'disj') {
      const ds = b.terms.map((t, i) => ({ value: new ValueImpl(v.t === 'vertex' ? withArcs(v, t) : t, this.sel) as Value, isDefault: b.marked && !!b.marks[i] }));
      return [...ds.filter((d) => d.isDefault), ...ds.filter((d) => !d.isDefault)];
    }
    return undefined;
  }

  unify(other: Value): Value {
    const o = (other as ValueImpl).__val;
    return guarded(() => new ValueImpl(unifyWith(this.v, o), this.sel), (e) => new ValueImpl(errVal(e), this.sel));
  }

  fill(x: unknown, ...path: Selector[]): Value {
    return guarded(
      () => {
        let val: Val = x instanceof ValueImpl ? x.__val : fromJS(x);
        for (let i = path.length - 1; i >= 0; i--) {
          const s = path[i]!;
          val = dataVertex('struct', [[String(s), val]]);
        }
        return new ValueImpl(unifyWith(this.v, val), this.sel);
      },
      (e) => new ValueImpl(errVal(e), this.sel),
    );
  }

  err(): CueError | undefined {
    return guarded(() => {
      const v = this.resolved();
      if (v.t === 'bottom') return bottomToError(v, this.sel.map(String));
      if (v.t === 'vertex') {
        if (v.err) return bottomToError(v.err, this.sel.map(String));
        if (isBottom(v.base)) return bottomToError(v.base, this.sel.map(String));
        if (v.incompleteErr) return bottomToError(v.incompleteErr, this.sel.map(String));
      }
      return undefined;
    }, (e) => e);
  }

  validate(opts: ValidateOptions = {}): CueError[] {
    return guarded(() => {
      const errs: CueError[] = [];
      validateVal(this.v, this.sel.map(String), opts, errs, 0, ++walks);
      return opts.all === false ? errs.slice(0, 1) : errs;
    }, (e) => [e]);
  }

  isConcrete(): boolean {
    const k = this.kind();
    return k !== 'incomplete' && k !== 'bottom';
  }

  isClosed(): boolean {
    return guarded(() => {
      const x = selectable(this.v);
      return x.t === 'vertex' ? vertexClosed(x) : false;
    }, () => false);
  }

  allows(label: Selector): boolean {
    return guarded(() => {
      const x = selectable(this.v);
      // An unresolved disjunction allows what any of its disjuncts allows.
      if (x.t === 'bottom' && this.v.t === 'vertex' && this.v.disjuncts) return vertexAccepts(this.v, String(label), label === ANY_STRING);
      if (x.t !== 'vertex') return false;
      if (x.isList) {
        if (typeof label !== 'number') return false;
        return label < x.arcs.size || x.listOpen;
      }
      return vertexAccepts(x, String(label), label === ANY_STRING);
    }, () => false);
  }

  patterns(): string[] {
    return guarded(() => patternLabels(this.v), () => []);
  }

  equals(other: Value): boolean {
    return guarded(() => valEqual(this.v, (other as ValueImpl).__val, 0), () => false);
  }

  subsumes(other: Value): boolean {
    return guarded(() => {
      const o = (other as ValueImpl).__val;
      const u = unifyWith(this.v, o);
      if (isBottom(u)) return false;
      if (u.t === 'vertex' && u.err) return false;
      return toCUEFile(u, { definitions: true, optional: true }) === toCUEFile(o, { definitions: true, optional: true });
    }, () => false);
  }

  /** The concrete data of the value, built by `b` (Data for the exporters, plain JS for toJS). */
  private extracted<T>(b: DataBuilder<T>): T {
    return guarded(
      () => {
        const errs: CueError[] = [];
        const d = extract(this.v, this.sel.map(String), errs, b);
        if (errs.length || d === undefined) throw new CueErrorList(errs.length ? errs : [new CueError('incomplete', 'value is not concrete')]);
        return d;
      },
      (e) => {
        throw new CueErrorList([e]);
      },
    );
  }

  private data(): Data {
    return this.extracted(DATA);
  }

  toJS(): unknown {
    return this.extracted(PLAIN);
  }

  toJSChecked(): unknown {
    return guarded(
      () => {
        const errs: CueError[] = [];
        const walk = ++walks;
        // Hidden fields are not exported, but validate() checks them: so does this walk.
        const hidden = (a: Vertex, path: string[], concrete: boolean) => validateVal(a, path, { concrete, all: true }, errs, 1, walk);
        const js = extract(this.v, this.sel.map(String), errs, PLAIN, hidden);
        if (!errs.length && js !== undefined) return js;
        // Not valid: report exactly what validate() reports.
        const all = this.validate({ concrete: true, all: true });
        throw new CueErrorList(all.length ? all : errs.length ? errs : [new CueError('incomplete', 'value is not concrete')]);
      },
      (e) => {
        throw new CueErrorList([e]);
      },
    );
  }

  toJSON(indent = 2): string {
    return dataToJSON(this.data(), indent);
  }

  toYAML(): string {
    return dataToYAML(this.data());
  }

  toCUE(opts: { definitions?: boolean; optional?: boolean; hidden?: boolean; attributes?: boolean; imports?: boolean } = {}): string {
    return guarded(() => (opts.imports ? withImports(toCUEFile(this.v, opts)) : toCUEFile(this.v, opts)), (e) => `_|_ // ${e.detail}`);
  }

  string(): string {
    const v = this.concrete();
    if (v.t === 'string') return v.s;
    throw this.kindErr('string', v);
  }

  int(): bigint {
    const v = this.concrete();
    if (v.t === 'int') return v.i;
    throw this.kindErr('int', v);
  }

  number(): number {
    const v = this.concrete();
    if (v.t === 'int') return Number(v.i);
    if (v.t === 'float') return v.d.toNumber();
    throw this.kindErr('number', v);
  }

  bool(): boolean {
    const v = this.concrete();
    if (v.t === 'bool') return v.b;
    throw this.kindErr('bool', v);
  }

  private concrete(): Val {
    return guarded(() => concreteDefault(this.v), (e) => errVal(e));
  }

  private kindErr(want: string, v: Val): CueError {
    if (isBottom(v)) return bottomToError(v, this.sel.map(String));
    return new CueError(v.t === 'cons' || v.t === 'top' || v.t === 'disj' ? 'incomplete' : 'eval', `cannot use value ${show(v)} as ${want}`, {
      path: this.sel.map(String),
    });
  }
}

function unifyWith(a: Val, b: Val): Val {
  if (a.t === 'vertex' || b.t === 'vertex') {
    const parent = a.t === 'vertex' ? a.parent : undefined;
    // (Two disjuncts of one field: with that field's label the result would
    // stand for b, a disjunct of itself, and take nothing from it.)
    const siblings = a.t === 'vertex' && b.t === 'vertex' && a.parent === b.parent && a.label === b.label && (!!a.choices || !!b.choices);
    const label = a.t === 'vertex' && !siblings ? a.label : '';
    const out = new Vertex(parent, label);
    out.addConjunct(valConj(newEnv(out), false, a), valConj(newEnv(out), false, b));
    if (a.t === 'vertex') {
      out.addPosition(...a.positions);
      out.pushAttrs(...a.attrs);
    }
    if (b.t === 'vertex') out.addPosition(...b.positions);
    expand(out);
    return out;
  }
  return unifyValues(a, b);
}

function kindOfVal(v: Val): Kind {
  if (v.t === 'vertex') {
    expand(v);
    if (v.err) return 'bottom';
    if (v.disjuncts) return 'incomplete';
    if (v.isList) return 'list';
    if (v.isStruct && (v.base.t === 'top' || hasRegularLabel(v))) return 'struct';
    if (v.base.t === 'top' && v.arcs.size > 0) return 'struct';
    return kindOfVal(v.base);
  }
  switch (v.t) {
    case 'bottom':
      return 'bottom';
    case 'null':
    case 'bool':
    case 'int':
    case 'float':
    case 'string':
    case 'bytes':
      return v.t;
    default:
      return 'incomplete';
  }
}

/** `path` is a stack the walk pushes and pops: errors take a copy. */
/** Numbers validate walks: a vertex marked with the current walk's number was visited already (cheaper than a set of them). */
let walks = 0;

function validateVal(v0: Val, path: string[], opts: ValidateOptions, errs: CueError[], depth: number, walk: number): void {
  if (depth > 500) return;
  if (v0.t === 'bottom') {
    if (v0.code !== 'incomplete' || opts.concrete) errs.push(bottomToError(v0, [...path]));
    return;
  }
  if (v0.t !== 'vertex') {
    if (opts.concrete) {
      const d = concreteDefault(v0);
      if (d.t === 'cons' || d.t === 'top' || d.t === 'disj') errs.push(new CueError('incomplete', `incomplete value ${show(d)}`, { path: [...path] }));
      if (d.t === 'bottom') errs.push(bottomToError(d, [...path]));
    }
    return;
  }
  if (v0.walk === walk) {
    replayErrors(v0, path, errs, walk);
    return;
  }
  v0.walk = walk;
  const from = errs.length;
  validateVertex(v0, path, opts, errs, depth, walk);
  if (errs.length > from) {
    if (visitErrs.walk !== walk) visitErrs = { walk, at: new Map() };
    visitErrs.at.set(v0, { from, to: errs.length, prefix: path.length });
  }
}

/**
 * Errors found below each vertex in the current walk. A vertex reached again
 * by another path (a struct shared by two fields, see Share in vertex.ts) is
 * not walked again, but its errors are reported at that path too, as they
 * would be for a copy.
 */
let visitErrs: { walk: number; at: Map<Vertex, { from: number; to: number; prefix: number }> } = { walk: 0, at: new Map() };

function replayErrors(v: Vertex, path: string[], errs: CueError[], walk: number): void {
  const r = visitErrs.walk === walk ? visitErrs.at.get(v) : undefined;
  if (!r) return;
  for (let i = r.from; i < r.to; i++) {
    const e = errs[i]!;
    errs.push(new CueError(e.code, e.detail, { path: [...path, ...e.path.slice(r.prefix)], positions: e.positions }));
  }
}

function validateVertex(v0: Vertex, path: string[], opts: ValidateOptions, errs: CueError[], depth: number, walk: number): void {
  expand(v0);
  // A struct is in error when it has a field it does not allow; that field
  // reports the error itself, and its siblings' errors are reported too.
  if (v0.err && !(v0.isStruct && [...v0.arcs.values()].some((a) => a.notAllowed))) {
    if (v0.err.code !== 'incomplete' || opts.concrete) errs.push(bottomToError(v0.err, [...path]));
    return;
  }
  if (v0.incompleteErr && opts.concrete) errs.push(bottomToError(v0.incompleteErr, [...path]));
  if (v0.disjuncts) {
    const d = vertexDefault(v0);
    if (d === v0) {
      if (opts.concrete) errs.push(new CueError('incomplete', `incomplete value ${v0.shortString()}`, { path: [...path], positions: v0.positions }));
      return;
    }
    validateVal(d, path, opts, errs, depth + 1, walk);
    return;
  }
  if (!v0.isStruct && !v0.isList && v0.arcs.size === 0) {
    validateVal(v0.base, path, opts, errs, depth + 1, walk);
    return;
  }
  if (isBottom(v0.base)) errs.push(bottomToError(v0.base, [...path]));
  for (const kv of v0.arcs) {
    const l = kv[0];
    const a = kv[1];
    const def = isDefLabel(l);
    if (def && !opts.definitions) continue;
    if (a.notAllowed && a.fieldKind !== 'regular') {
      // The struct is in error for this field (see above), which the walk below would skip.
      errs.push(new CueError('eval', 'field not allowed', { path: [...path, l], positions: a.notAllowed }));
      continue;
    }
    if (a.fieldKind === 'optional') continue;
    if (a.fieldKind === 'required') {
      if (opts.concrete && isRegularLabel(l)) errs.push(new CueError('incomplete', 'field is required but not present', { path: [...path, l], positions: a.positions }));
      continue;
    }
    const sub: ValidateOptions = isRegularLabel(l) || v0.isList ? opts : { ...opts, concrete: false };
    path.push(l);
    validateVal(a, path, sub, errs, depth + 1, walk);
    path.pop();
  }
}

/** v itself when it is a struct in error only because of one of its fields (`b` not allowed). */
function withFieldError(v: Val): Vertex | undefined {
  if (v.t !== 'vertex') return undefined;
  expand(v);
  return v.err && (v.err.sub || keepsArcs(v.err)) && !v.disjuncts ? v : undefined;
}

/** Parses `a.b[0]."c-d".#Def` into selectors. */
export function parsePath(p: string): Selector[] | CueError {
  if (p.trim() === '') return [];
  try {
    const e = parseExpr(p);
    const out: Selector[] = [];
    const walk = (x: typeof e): boolean => {
      switch (x.type) {
        case 'Ident':
          out.push(x.name);
          return true;
        case 'BasicLit':
          out.push(x.kind === 'string' ? fieldLabel(x.value ?? '') : x.raw);
          return true;
        case 'SelectorExpr':
          if (!walk(x.x)) return false;
          out.push(x.sel.type === 'Ident' ? x.sel.name : fieldLabel(x.sel.value ?? x.sel.raw));
          return true;
        case 'IndexExpr':
          if (!walk(x.x)) return false;
          if (x.index.type === 'BasicLit') {
            out.push(x.index.kind === 'int' ? Number(x.index.raw) : fieldLabel(x.index.value ?? x.index.raw));
            return true;
          }
          return false;
        default:
          return false;
      }
    };
    if (!walk(e)) return new CueError('eval', `invalid path ${JSON.stringify(p)}`);
    return out;
  } catch (e) {
    return e instanceof CueError ? e : new CueError('syntax', `invalid path ${JSON.stringify(p)}`);
  }
}

export { ALL };
