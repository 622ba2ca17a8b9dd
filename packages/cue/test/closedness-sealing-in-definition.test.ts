// A literal that embeds a definition is closed at every depth once its
// embeddings are in (CUE's typo check of a struct embedding a definition):
// also when it is an operand of `&` beside a reference inside a definition
// (`#D: #X & {#E, s: a?: int}`), where it used to join the definition's
// group and so allow whatever #X allows (conjuncts.ts sealingOperand).
import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

const ok = (src: string, path: string) => {
  const v = compile(src).lookupPath(path);
  expect(v.err(), `${path}: ${v.toCUE()}`).toBeUndefined();
  return v.toJS();
};

describe('a literal embedding a definition, beside a reference in a definition', () => {
  const base = '#X: {s: {...}, ...}\n#E: e: {}\n';

  it('allows below it only what it or its embeddings declare', () => {
    expect(errAt(base + '#D: #X & {#E, s: a?: int}\nx: #D & {s: b: 1}', 'x.s.b')).toBe('field not allowed');
    expect(errAt(base + '#D: {#E, s: a?: int} & #X\nx: #D & {s: b: 1}', 'x.s.b')).toBe('field not allowed');
    expect(errAt(base + '#D: #X & {#E, s: a?: int}\nx: #D\nx: s: b: 1', 'x.s.b')).toBe('field not allowed');
    expect(ok(base + '#D: #X & {#E, s: a?: int}\nx: #D & {s: a: 1}', 'x')).toEqual({ e: {}, s: { a: 1 } });
  });

  it('is not sealed where it declares `...`, nor without an embedded definition', () => {
    expect(ok(base + '#D: #X & {#E, s: {a?: int, ...}}\nx: #D & {s: b: 1}', 'x')).toEqual({ e: {}, s: { b: 1 } });
    expect(ok(base + '#D: #X & {s: a?: int}\nx: #D & {s: b: 1}', 'x')).toEqual({ s: { b: 1 } });
    // An embedded plain struct is no definition: the literal stays open below.
    expect(ok('#Y: s: {a?: int, ...}\n_b: {}\n#D: #Y & {_b, s: {c: 1}}\nx: #D & {s: e: 1}', 'x')).toEqual({ s: { c: 1, e: 1 } });
  });

  it('rejects what a pattern of the reference adds below a field it does not declare', () => {
    const src = `#AddObjsExtra: {
	objs: [string]: {
		extra: unused: "foo"
		...
	}
	...
}
#EmbedUnused: unused: {}
#AddTwo: #AddObjsExtra & {
	#EmbedUnused
	objs: two: name: "Two"
}
out: #AddTwo & {objs: one: name: "One"}
`;
    expect(errAt(src, 'out.objs.one.name')).toBe('field not allowed');
    expect(errAt(src, 'out.objs.one.extra')).toBe('field not allowed');
    expect(errAt(src, 'out.objs.two.extra.unused')).toBe('field not allowed');
    expect(errAt(src, '#AddTwo.objs.two.extra')).toBe('field not allowed');
    expect(ok(src, '#AddTwo.objs.two.name')).toBe('Two');
  });
});
