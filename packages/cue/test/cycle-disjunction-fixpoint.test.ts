// Reference cycles through disjunctions (CUE spec, "Cycles", field values):
// a reference that closes the cycle is ignored, and every node of the cycle
// takes the fixed point. A disjunct is evaluated within its vertex's split,
// where a reference to the vertex means that disjunct; evaluating it again
// on its own afterwards (as a reader of a value in the cycle) made every
// disjunct of a the same.
import { describe, expect, it } from 'vitest';
import { compile, permutations } from './eval-helpers.js';

const decls = ['a: b & {x: 1} | {y: 1}', 'b: {x: 2} | c & {z: 2}', 'c: a & {y: 3} | {z: 3}'];
const orders = permutations([0, 1, 2]);

/** The disjuncts of a value, as JSON sets of fields (order of fields and disjuncts aside). */
function disjuncts(cue: string): string[] {
  return cue
    .split('} | {')
    .map((d) => d.replace(/[{}\s]/g, '').split(/(?=[a-z]:)/).sort().join(','))
    .sort();
}

describe('reference cycles through disjunctions', () => {
  it('give the spec example in every field order and whichever field is asked first', () => {
    for (const o of orders) {
      for (const first of ['a', 'b', 'c']) {
        const v = compile(o.map((i) => decls[i]).join('\n'));
        v.lookupPath(first);
        const at = `${o.join()} ${first}`;
        expect(disjuncts(v.lookupPath('a').toCUE()), at).toEqual(['x:1,y:3,z:2', 'y:1']);
        expect(disjuncts(v.lookupPath('b').toCUE()), at).toEqual(['x:1,y:3,z:2', 'x:2']);
        expect(disjuncts(v.lookupPath('c').toCUE()), at).toEqual(['x:1,y:3,z:2', 'z:3']);
      }
    }
  });

  it('of structs without disjunctions, all nodes of the cycle are one value', () => {
    const v = compile('a: b & {x: 1}\nb: c & {y: 2}\nc: a & {z: 3}');
    for (const p of ['a', 'b', 'c']) expect(v.lookupPath(p).toJS()).toEqual({ x: 1, y: 2, z: 3 });
  });
});
