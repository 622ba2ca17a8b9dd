// A scalar kept while a reference cycle was open (`end: 10.0`) whose cyclic
// conjunct (`start + duration`) still cannot be evaluated once every cycle is
// closed is incomplete, as CUE reports it (cycle/issue3118 eg3). It stayed
// 10.0 when `end` was declared before the fields it waits on, and was
// incomplete otherwise: the answer depended on declaration order (found by the
// invariance checker, permute on cycle/issue3118).
import { describe, expect, it } from 'vitest';
import { compile, permutations } from './eval-helpers.js';

const fields = ['start: end - duration', 'end: start + duration', 'duration: end - start'];

describe('a kept scalar whose cyclic conjunct stays undecided', () => {
  for (const order of permutations(fields)) {
    it(order.join('; '), () => {
      const v = compile(`#T: {\n${order.join('\n')}\n}\nx: #T & {end: 10.0}`);
      // (An unresolved reference cycle, as start and duration are.)
      expect(['incomplete', 'cycle']).toContain(v.lookupPath('x.end').err()?.code);
    });
  }
  it('is decided when the cycle is (start given)', () => {
    const v = compile(`#T: {\n${fields.join('\n')}\n}\nx: #T & {end: 10.0, start: 4.0}`);
    expect(v.lookupPath('x').toJS()).toEqual({ start: 4, end: 10, duration: 6 });
  });
  it('a two-field cycle with one value is decided', () => {
    expect(compile('a: b + 1\nb: a - 1\na: 2').toJS()).toEqual({ a: 2, b: 1 });
  });
});
