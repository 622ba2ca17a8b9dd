// `|` is associative: `X | (Y | Z)` is `X | Y | Z`. A parenthesized
// disjunction among struct terms used to be evaluated on its own before the
// field's other conjuncts could rule its terms out; with a term that refers
// back to the field (`t & {...}`) that recursed until the size limit, while
// the same terms written flat evaluate at once. Found by the invariance
// checker (commute on cycle/issue4373).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const X = '{a: [_], out: (t & {a: a[0]}).out}';
const Y = '{a: [_], out: ({a: a[0]} & t).out}';
const Z = '{a: 0, out: 1}';

describe('a nested disjunction with a term that refers back to its field', () => {
  const shapes = [`${X} | ${Y} | ${Z}`, `${X} | (${Y} | ${Z})`, `(${X} | ${Y}) | ${Z}`, `${Z} | (${X} | ${X})`, `${X} | (${Z} | ${X})`, `*${Z} | (${X} | ${Y})`];
  for (const t of shapes) {
    it(t.replaceAll(X, 'X').replaceAll(Y, 'Y').replaceAll(Z, 'Z'), () => {
      expect(compile(`t: ${t}\nout: (t & {a: 0}).out`).lookupPath('out').toJS()).toBe(1);
    });
  }
});

describe('defaults of a nested disjunction of structs are counted as before', () => {
  const cases: [string, unknown][] = [
    ['(*{a: 1} | {b: 1}) | null', { a: 1 }],
    ['{c: 1} | (*{a: 1} | {b: 1})', { a: 1 }],
    ['*{c: 1} | (*{a: 1} | {b: 1})', { c: 1 }],
    ['{c: 1} | *({a: 1} | {b: 1})', undefined],
    ['{c: 1} | *(*{a: 1} | {b: 1})', { a: 1 }],
    ['{c: 1} | ({a: 1} | (*{b: 1} | {d: 1}))', { b: 1 }],
  ];
  for (const [src, want] of cases) {
    it(src, () => {
      const v = compile(`x: ${src}`).lookupPath('x');
      if (want === undefined) expect(v.default().isConcrete() && v.hasDefault() && v.disjuncts?.()?.filter((d) => d.isDefault).length === 1).toBe(false);
      else expect(v.default().toJS()).toEqual(want);
    });
  }
});
