// Conversions between plain data (JS values, builtin Concrete values) and
// evaluator values.
import { Decimal } from 'decimal.js';
import type { Concrete, CStruct, Opaque } from '../builtins/types.js';
import { byteStringOf, bytesOfByteString } from '../byte-string.js';
import { CueError } from '../errors.js';
import { Dec } from './numbers.js';
import { bottom, type Bottom, incomplete, isBottom, isScalar, show, type Val } from './values.js';
import { type Env, fieldLabel, isRegularLabel, labelName, listElems, newEnv, valConj, Vertex } from './vertex.js';
import { expand, regularArcs } from './evaluator.js';
import { concreteDefault } from './operators.js';

export interface OpaqueVal extends Opaque {
  readonly opaque: true;
  val: Val;
}

export function isOpaqueVal(x: unknown): x is OpaqueVal {
  return typeof x === 'object' && x !== null && (x as OpaqueVal).opaque === true && 'val' in (x as object);
}

/** A vertex built from data: arcs carry their values as conjuncts so that they can be re-added elsewhere. */
export function dataVertex(kind: 'list' | 'struct', entries: [string, Val][], parent?: Vertex, label = ''): Vertex {
  const v = dataNode(kind, entries.length, parent, label);
  let env: Env | undefined;
  for (let i = 0; i < entries.length; i++) {
    const kv = entries[i];
    const l = kv[0];
    const x = kv[1];
    env = dataArc(v, l, x, false, env);
  }
  return v;
}

/**
 * A struct or list vertex of plain data; dataArc adds its arcs. A struct or
 * list value built for this node alone (`own`) becomes the arc itself instead
 * of the value of a wrapper arc: plain data needs no wrapper, and referring to
 * it then copies it once, not twice. Such arcs have no conjuncts; the
 * evaluator copies their arcs (copyArcs).
 */
function dataNode(kind: 'list' | 'struct', n: number, parent?: Vertex, label = ''): Vertex {
  const v = new Vertex(parent, label);
  if (kind === 'list') {
    v.isList = true;
    v.listParts = [{ n, open: false }];
  } else v.isStruct = true;
  v.status = 2;
  v.plainData = true;
  return v;
}

const CONCRETE_SCALARS = new Set<Val['t']>(['null', 'bool', 'int', 'float', 'string', 'bytes']);

/**
 * Adds arc `l` to data node `v`. Wrapper arcs (for values that still need
 * evaluating) share one environment per node: callers pass back the one
 * returned for the previous arc.
 */
function dataArc(v: Vertex, l: string, x: Val, own: boolean, env?: Env): Env | undefined {
  // Plain data only while it holds nothing but plain data: an API value's
  // vertex (not adopted), an opaque value or an open `_` may be incomplete.
  const scalar = CONCRETE_SCALARS.has(x.t);
  if (x.t === 'vertex' ? !own || !x.plainData : !scalar) v.plainData = false;
  if (own && x.t === 'vertex') {
    x.parent = v;
    x.label = l;
    v.arcMap().set(l, x);
    return env;
  }
  if (scalar) {
    // A concrete scalar needs no conjunct to evaluate: a finished leaf.
    const a = new Vertex(v, l);
    a.base = x;
    a.status = 2;
    v.arcMap().set(l, a);
    return env;
  }
  env ??= newEnv(v);
  const a = new Vertex(v, l);
  a.addConjunct(valConj(env, false, x));
  v.arcMap().set(l, a);
  return env;
}

export function fromConcrete(c: Concrete | Opaque): Val {
  if (isOpaqueVal(c)) return c.val;
  if (c === null) return { t: 'null' };
  if (typeof c === 'boolean') return { t: 'bool', b: c };
  if (typeof c === 'string') return { t: 'string', s: c };
  if (typeof c === 'bigint') return { t: 'int', i: c };
  if (typeof c === 'number') return Number.isInteger(c) ? { t: 'int', i: BigInt(c) } : { t: 'float', d: new Dec(c) };
  if (Decimal.isDecimal(c)) return { t: 'float', d: new Dec((c as Decimal).toString()) };
  if (c instanceof Uint8Array) return { t: 'bytes', s: byteStringOf(c) };
  if (Array.isArray(c)) {
    const v = dataNode('list', c.length);
    let env: Env | undefined;
    for (let i = 0; i < c.length; i++) env = dataArc(v, String(i), fromConcrete(c[i] as Concrete), !isOpaqueVal(c[i]), env);
    return v;
  }
  if (c instanceof Map) {
    const v = dataNode('struct', (c as CStruct).size);
    let env: Env | undefined;
    for (const kv of c as CStruct) {
      const k = kv[0];
      const x = kv[1];
      env = dataArc(v, fieldLabel(k), fromConcrete(x), !isOpaqueVal(x), env);
    }
    return v;
  }
  if (typeof c === 'object' && c && (c as Opaque).opaque) return bottom('eval', 'not supported yet: foreign opaque value');
  return bottom('eval', `cannot convert ${String(c)} to a CUE value`);
}

/** Converts plain JS data (JSON-like, bigint allowed) into a value. */
export function fromJS(x: unknown): Val {
  try {
    return encodeJS(x);
  } catch (e) {
    if (e instanceof EncodeError) throw new CueError('eval', e.message, { path: e.path.reverse() });
    throw e;
  }
}

/** An encoding failure on its way up: each level adds its label (no path is built for data that encodes). */
class EncodeError extends Error {
  path: string[] = [];
}

function encodeJS(x: unknown): Val {
  if (x === null) return { t: 'null' };
  if (x === undefined) return { t: 'top' };
  switch (typeof x) {
    case 'boolean':
      return { t: 'bool', b: x };
    case 'string':
      return { t: 'string', s: x };
    case 'bigint':
      return { t: 'int', i: x };
    case 'number':
      if (!Number.isFinite(x)) throw new EncodeError(`cannot encode non-finite number ${x}`);
      return Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER ? { t: 'int', i: BigInt(x) } : { t: 'float', d: new Dec(x) };
    case 'object': {
      if (x instanceof Uint8Array) return { t: 'bytes', s: byteStringOf(x) };
      if (Decimal.isDecimal(x)) return { t: 'float', d: new Dec((x as Decimal).toString()) };
      if (Array.isArray(x)) {
        const v = dataNode('list', x.length);
        let env: Env | undefined;
        for (let i = 0; i < x.length; i++) env = encodeArc(v, String(i), x[i], env);
        return v;
      }
      if (x instanceof Map) {
        const v = dataNode('struct', x.size);
        let env: Env | undefined;
        for (const kv of x) {
          const k = kv[0];
          const e = kv[1];
          env = encodeArc(v, String(k), e, env);
        }
        return v;
      }
      if (isValue(x)) {
        const inner = (x as { __val?: Val }).__val;
        if (inner) return inner;
      }
      const v = dataNode('struct', 0);
      let env: Env | undefined;
      for (const k in x) {
        if (!Object.prototype.hasOwnProperty.call(x, k)) continue;
        const e = (x as Record<string, unknown>)[k];
        if (e !== undefined) env = encodeArc(v, k, e, env);
      }
      return v;
    }
  }
  throw new EncodeError(`cannot encode value of type ${typeof x}`);
}

function encodeArc(v: Vertex, l: string, e: unknown, env: Env | undefined): Env | undefined {
  let x: Val;
  try {
    x = encodeJS(e);
  } catch (err) {
    if (err instanceof EncodeError) err.path.push(l);
    throw err;
  }
  // Keys of JS data name fields as written in CUE: `#x` a definition (opm passes `#context` so), `_x` a hidden field.
  return dataArc(v, l, x, !isValue(e), env);
}

/** A Value of the API (its vertex belongs to someone else: never adopted as an arc). */
function isValue(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'function' && typeof (x as { toCUE?: unknown }).toCUE === 'function';
}

/** Makes a value concrete data for a builtin argument. */
export function toConcrete(v0: Val, depth = 0): Concrete | Bottom {
  const v = concreteDefault(v0);
  if (depth > 200) return bottom('structural cycle', 'value too deep');
  switch (v.t) {
    case 'null':
      return null;
    case 'bool':
      return v.b;
    case 'int':
      return v.i;
    case 'float':
      return v.d;
    case 'string':
      return v.s;
    case 'bytes':
      return bytesOfByteString(v.s);
    case 'bottom':
      return v;
    case 'vertex': {
      expand(v);
      if (v.err) return v.err;
      if (v.disjuncts) return incomplete(`unresolved disjunction ${v.shortString()}`, v.positions.slice(0, 1));
      if (v.isList) {
        const out: Concrete[] = [];
        for (let i = 0, xs = listElems(v); i < xs.length; i++) {
          const a = xs[i];
          const c = toConcrete(a, depth + 1);
          if (isBottomC(c)) return c;
          out.push(c);
        }
        return out;
      }
      if (v.isStruct || v.arcs.size) {
        const m: CStruct = new Map();
        for (let i = 0, xs = regularArcs(v); i < xs.length; i++) {
          const kv = xs[i];
          const l = kv[0];
          const a = kv[1];
          const c = toConcrete(a, depth + 1);
          if (isBottomC(c)) return c;
          m.set(labelName(l), c);
        }
        for (const kv of v.arcs) {
          const l = kv[0];
          const a = kv[1];
          if (a.fieldKind === 'required' && isRegularLabel(l)) {
            return incomplete(`field is required but not present: ${l}`, a.positions.slice(0, 1));
          }
        }
        return m;
      }
      return toConcrete(v.base, depth + 1);
    }
    default:
      return incomplete(`non-concrete value ${show(v)}`, [(v as { pos?: never }).pos]);
  }
}

export function isBottomC(c: Concrete | Bottom): c is Bottom {
  return typeof c === 'object' && c !== null && !Array.isArray(c) && !(c instanceof Map) && !(c instanceof Uint8Array) && (c as Bottom).t === 'bottom';
}

export { isBottom, isScalar };
