// A reference from within a definition to a field of the same definition
// (`#K: {R: _, input: R}`) brings what that field got from outside the
// definition (`#K & {R: ...}`) as it is: a struct literal written outside
// definitions does not become one of the definition's declarations, so it
// does not widen what the definition's closed structs allow (spec: "Closed
// structs"; definitions close recursively). It did: `u.input` accepted a field
// that `u.R` rejected, and a closed default disjunct survived there.
import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

describe('a reference to a field of the same definition', () => {
  it('keeps the definition\'s nested structs closed against what came from outside', () => {
    const src = '#K: {\n\tR: spec: {o: {other: 1}}\n\tinput: R\n}\nu: #K & {R: spec: o: refs: "d"}';
    expect(errAt(src, 'u.R.spec.o.refs')).toMatch(/field not allowed/);
    expect(errAt(src, 'u.input.spec.o.refs')).toMatch(/field not allowed/);
    const viaDef = '#y: {o: {other: 1}}\n#K: {\n\tR: #y\n\tinput: R\n}\nu: #K & {R: o: refs: "d"}';
    expect(errAt(viaDef, 'u.input.o.refs')).toMatch(/field not allowed/);
  });

  it('whether it is a field, an embedding, a comprehension\'s value, a let or a selector', () => {
    const defn = '#K: {\n\tR: spec: {o: {other: 1}}\n\ti1: R.spec\n\tlet L = R\n\ti2: L\n\ti3: [for _, v in R {v}]\n\ti4: {R}\n\ti5: R & {}\n}\nu: #K & {R: spec: o: refs: "d"}';
    for (const p of ['u.i1.o.refs', 'u.i2.spec.o.refs', 'u.i3[0].o.refs', 'u.i4.spec.o.refs', 'u.i5.spec.o.refs']) {
      expect(errAt(defn, p), p).toMatch(/field not allowed/);
    }
  });

  it('what came from outside as a conjunction is allowed where the definition is open', () => {
    // c is `_` in #S: whatever c got from outside is allowed in x too.
    for (const src of ['#S: {c: _, x: test: c}\nout: #S & {c: {n: "c"} & {n: string}}', '#S: {c: _, x: test: c}\nout: #S\nout: c: {n: "c"} & {n: string}']) {
      expect(compile(src).lookupPath('out').toJS(), src).toEqual({ c: { n: 'c' }, x: { test: { n: 'c' } } });
    }
  });

  it('so a closed default disjunct is eliminated there as it is in the field itself', () => {
    const src = '#x: *[{other: 1}] | [...{refs: string}]\n#K: {\n\tR: [_]: spec!: #x\n\tinput: R\n}\nu: #K & {R: k: spec: [{refs: "d"}]}';
    const u = compile(src).lookupPath('u').toJS() as { R: unknown; input: unknown };
    expect(u.R).toEqual({ k: { spec: [{ refs: 'd' }] } });
    expect(u.input).toEqual(u.R);
  });

  it('still widens the definition with what it declares itself, and allows what came from outside where the definition is open', () => {
    expect(compile('#S: {f: {n: 3} & g, g: {}}\ns: #S').lookupPath('s.f').toJS()).toEqual({ n: 3 });
    expect(compile('#K: {R: {...}, input: R}\nu: #K & {R: a: 1}').lookupPath('u.input').toJS()).toEqual({ a: 1 });
  });
});
