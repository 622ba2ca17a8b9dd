// `x != _|_` on a field whose value is `_` holds: the field is there. The
// open-platform-model catalog's platform experiment (experiments/
// 002-platform-construct, 22_platform.cue) indexes transformers by the
// resources they require, declared as `requiredResources: (fqn): _`, with
// `if t.requiredResources[fqn] != _|_ {t}`; its tests, which pass under CUE
// v0.16, expect one candidate per resource. opm (and CUE v0.4) took `_` for
// a missing value and found none. Current CUE's validate treats a value whose
// kind may still be a struct or list (as `_`'s may) as the field it came
// from, an error only if that field's own value is one.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('a field holding _ exists for != _|_', () => {
  it('indexes a map of requirements declared as (key): _', () => {
    const src = [
      '#T: {kind: "C", req?: [string]: _}',
      'ts: {',
      '\ta: #T & {req: "x@v1": _}',
      '\tb: #T & {req: "y@v1": _}',
      '\tc: #T',
      '}',
      'keys: {for _, t in ts if t.req != _|_ for k, _ in t.req {(k): _}}',
      'cands: {for k, _ in keys {(k): [for n, t in ts if t.req != _|_ if t.req[k] != _|_ {n}]}}',
      'none: [for n, t in ts if t.req != _|_ if t.req["z@v1"] != _|_ {n}]',
    ].join('\n');
    const v = compile(src);
    expect(v.lookupPath('cands').toJS()).toEqual({ 'x@v1': ['a'], 'y@v1': ['b'] });
    expect(v.lookupPath('none').toJS()).toEqual([]);
  });

  it('tells _ from a scalar type, a missing field and an error', () => {
    const v = compile('r: {a: _, b: string, d?: _, e: 1 & 2}\nta: r.a != _|_\ntb: r.b != _|_\ntd: r.d != _|_\nte: r.e == _|_\nua: r.a == _|_');
    expect(['ta', 'tb', 'td', 'te', 'ua'].map((p) => v.lookupPath(p).toJS())).toEqual([true, false, false, true, false]);
  });
});
