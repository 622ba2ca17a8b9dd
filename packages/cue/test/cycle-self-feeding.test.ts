// Repeats through optional fields and patterns that only feed each other are
// a structural cycle (CUE's cycle.go, "two optional conjuncts end up feeding
// each other"); data of any depth still feeds a recursive schema.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

/** The structural cycle errors of a program, and how deep the deepest one is. */
function cycles(src: string): { n: number; depth: number } {
  const errs = compile(src).validate({ all: true }).filter((e) => e.code === 'structural cycle');
  return { n: errs.length, depth: Math.max(0, ...errs.map((e) => e.path.length)) };
}

describe('optional repeats that feed each other', () => {
  it('are a structural cycle, found within a few levels, in any field order', () => {
    for (const src of ['y1: c?: c: y1\nx1: y1\nx1: c: y1', 'x1: c: y1\nx1: y1\ny1: c?: c: y1']) {
      const r = cycles(src);
      expect(r.n, src).toBeGreaterThan(0);
      expect(r.depth, src).toBeLessThan(10);
    }
  });

  it('through definitions, patterns and lists, and nested in a field', () => {
    for (const src of [
      '#Y: c?: c: #Y\nx: #Y\nx: c: #Y',
      'y2: [string]: b: y2\nx2: y2\nx2: b: y2',
      '#Y: l?: [{l: [#Y]}]\nx: #Y & {l: [#Y]}',
      'o: {y1: c?: c: y1, x1: y1, x1: c: y1}',
    ]) {
      const r = cycles(src);
      expect(r.n, src).toBeGreaterThan(0);
      expect(r.depth, src).toBeLessThan(14);
    }
  });

  it('while data fed from elsewhere, however deep, is no cycle', () => {
    let d = '{v: 0}';
    for (let i = 1; i <= 15; i++) d = `{v: ${i}, next: ${d}}`;
    expect(cycles(`d: ${d}\n#N: {v: int, next?: #N}\nx: #N & d`).n).toBe(0);
    let ab = '{}';
    for (let i = 0; i < 15; i++) ab = `{b: {a: ${ab}}}`;
    expect(cycles(`#A: {b?: #B}\n#B: {a?: #A}\nx: #A & ${ab}`).n).toBe(0);
    let t = '{name: "leaf"}';
    for (let i = 0; i < 12; i++) t = `{name: "n", children: [${t}, {name: "z"}]}`;
    expect(cycles(`#T: {name: string, children?: [...#T]}\nx: #T & ${t}`).n).toBe(0);
  });
});
