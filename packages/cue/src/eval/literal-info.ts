// What the evaluator derives once per struct literal (or file), whatever the
// vertex it is added to: its scope (scope.ts) and its shape (fields.ts), in
// one record per literal. A WeakMap entry per literal and per fact cost more
// than the facts: every parse makes new literals, and putting a new key into
// a long-lived WeakMap costs about a microsecond (V8 keeps dead keys until a
// full collection and rehashes as the table grows); an evaluation of a
// 200-line document made some 240 of them.
import type { LitShape } from './fields.js';
import type { Scope } from './vertex.js';

export interface LitInfo {
  /** The literal's scope (scope.ts scopeOf, presetScope). */
  scope?: Scope;
  /** What addStruct asks of the literal's declarations (fields.ts shapeOf). */
  shape?: LitShape;
}

const infos = new WeakMap<object, LitInfo>();

export function litInfo(lit: object): LitInfo {
  let i = infos.get(lit);
  if (!i) {
    i = {};
    infos.set(lit, i);
  }
  return i;
}
