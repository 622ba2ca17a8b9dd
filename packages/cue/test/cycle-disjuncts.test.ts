// Disjuncts eliminated by a structural cycle depend on where the disjunction
// is evaluated: a reference from elsewhere evaluates the disjunction again
// there (eval/conjuncts.ts, `again`; eval/cycle.ts, checkAgain).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('disjuncts eliminated by a structural cycle', () => {
  it('a struct disjunct that is a cycle where it is declared is valid where it is referenced', () => {
    const v = compile('d: int | string | {b: d}\no: d & {b: 2}\np: d & "s"');
    expect(v.lookupPath('d').toCUE()).toBe('int | string');
    expect(v.lookupPath('o').toJS()).toEqual({ b: 2 });
    expect(v.lookupPath('p').toJS()).toBe('s');
  });

  it('also when one disjunct is all that is left where it is declared', () => {
    const v = compile('d: int | {b: d}\no: d & {b: 2}');
    expect(v.lookupPath('d').toCUE()).toBe('int');
    expect(v.lookupPath('o').toJS()).toEqual({ b: 2 });
  });

  it('a recursive list type is fed by data but not unfolded without it', () => {
    const v = compile('#A: string | [#A]\nx: #A\ny: x\ny: [[["s"]]]');
    expect(v.lookupPath('x').toCUE()).toBe('string');
    expect(v.lookupPath('y').toJS()).toEqual([[['s']]]);
    expect(compile('#A: string | [#A]\ny: #A & [[1]]').lookupPath('y').err()).toBeDefined();
  });

  it('an or() over a struct that refers back to the disjunction', () => {
    const src = 'd: or([for x, y in #A {y}])\no: d & {b: 2}\n#A: {d1: int, d2: string, d3: b: d}';
    expect(compile(src).lookupPath('o').toJS()).toEqual({ b: 2 });
  });
});

describe('a disjunct that reaches its own disjunction through another field', () => {
  it('is a structural cycle where the disjunction is declared, and valid where it is referenced', () => {
    const src = [
      'o: #Out & {retry: reject: "ok"}',
      '#All: {reject: string, resource: string, retry: #Out}',
      '#Out: or([for name, config in #All {(name): config}])',
    ].join('\n');
    const v = compile(src);
    expect(v.lookupPath('#Out').toCUE().replace(/\s+/g, ' ')).toBe('{ reject: string } | { resource: string }');
    expect(v.lookupPath('o').toJS()).toEqual({ retry: { reject: 'ok' } });
  });

  it('also one level down, where the struct holding the reference would otherwise be shared', () => {
    const src = [
      'o: #Out & {retry: output: reject: "ok"}',
      '#All: {reject: string, resource: string, retry: output: #Out}',
      '#Out: or([for name, config in #All {(name): config}])',
    ].join('\n');
    const v = compile(src);
    expect(v.lookupPath('#Out').toCUE().replace(/\s+/g, ' ')).toBe('{ reject: string } | { resource: string }');
    expect(v.lookupPath('o').toJS()).toEqual({ retry: { output: { reject: 'ok' } } });
    expect(v.lookupPath('#All.retry.output').toCUE().replace(/\s+/g, ' ')).toBe('{ reject: string } | { resource: string }');
  });
});

describe('a disjunct not known because of a reference cycle', () => {
  it('leaves the disjunction undecided: the other disjuncts do not win by default', () => {
    const v = compile('a: (b - 2) | 1\nb: a + 2');
    expect(v.lookupPath('a').err()?.code).toBe('cycle');
    expect(v.lookupPath('b').err()?.code).toBe('cycle');
  });

  it('a disjunct that fails, or is known, still decides as before', () => {
    expect(compile('a: (b & 8) | (c & 9)\nb: c - 2\nc: 10').lookupPath('a').toJS()).toBe(8);
    expect(compile('a: (b + 0) | 3\nb: 4').lookupPath('a').toCUE()).toBe('4 | 3');
    // A cycle that resolves through the other conjuncts (CUE's `xa1` shape).
    const v = compile('x1: (x2 & 8) | (x4 & 9)\nx2: x3 + 2\nx3: 6 & x1-2\nx4: x2 + 2');
    expect([v.lookupPath('x1').toJS(), v.lookupPath('x3').toJS(), v.lookupPath('x4').toJS()]).toEqual([8, 6, 10]);
  });
});
