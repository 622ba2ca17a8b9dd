// Disjuncts that declare lets: CUE keeps a let as an arc of the struct that
// declares it, so a disjunct with a let is not a duplicate of an otherwise
// equal one without it (`_ | {let x = 1, _}` has two disjuncts).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const count = (src: string, path: string) => compile(src).lookupPath(path).disjuncts?.()?.length;

describe('disjuncts with lets', () => {
  it('stay apart from equal disjuncts without them', () => {
    const src = 'ok: true\nX: _ | {\n\tlet Ok = ok\n\t_ | {x: Ok}\n}\nfoo: X & {X}';
    expect(count(src, 'X')).toBe(3);
    expect(count(src, 'foo')).toBe(3);
  });

  it('merge with equal disjuncts that declare the same lets', () => {
    const src = '#S: {\n\t_ok: bool\n\t{} | {\n\t\t_ok: true\n\t\tlet Ok = _ok\n\t\t{} | {x: Ok}\n\t}\n}\n[string]: #S\nfoo: bar\nbar: {}';
    expect(count(src, 'foo')).toBe(3);
    expect(count(src, 'bar')).toBe(3);
    // Without lets nothing changes: equal disjuncts merge.
    expect(count('X: _ | {_ | {x: 1}}', 'X')).toBe(2);
  });
});
