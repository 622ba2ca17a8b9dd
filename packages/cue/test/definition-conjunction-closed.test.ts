// A definition written as a conjunction of struct literals is closed like the
// same definition written as one literal or declared twice: `#A: X & Y` is
// `#A: X; #A: Y` (unification is associative), and referencing a definition
// closes it recursively (cue-spec.md, "Definitions and hidden fields").
// Found by the invariance checker (split-conjunction, merge-fields, duplicate).
import { describe, expect, it } from 'vitest';
import { compile, errAt, json } from './eval-helpers.js';

// Each way of writing #A with fields a and c.
const forms: Record<string, string> = {
  conjunction: '#A: {a: int} & {c: int}',
  repeated: '#A: {a: int}\n#A: {c: int}',
  'one literal': '#A: {a: int, c: int}',
  'duplicated conjunct': '#A: {a: int, c: int} & {a: int, c: int}',
  'parenthesized': '#A: ({a: int} & {c: int})',
  'conjunction with a concrete value': '#A: {a: int, c: int} & {a: 1}',
};

describe('a definition written as a conjunction of literals', () => {
  for (const [name, def] of Object.entries(forms)) {
    it(`${name}: rejects a field it does not declare`, () => {
      expect(errAt(`${def}\nx: #A & {d: 1}`, 'x')).toBe('field not allowed');
      expect(compile(def).lookupPath('#A').isClosed()).toBe(true);
    });
    it(`${name}: accepts the fields it declares`, () => {
      expect(json(`${def}\nx: #A & {a: 1, c: 2}`)).toEqual({ x: { a: 1, c: 2 } });
    });
  }

  it('closes nested conjunctions too', () => {
    for (const def of ['#D: a: {b: int} & {c: int}', '#D: a: {b: int}\n#D: a: {c: int}']) {
      expect(errAt(`${def}\nx: #D & {a: d: 1}`, 'x.a')).toBe('field not allowed');
      expect(errAt(`${def}\nz: #D.a & {d: 1}`, 'z')).toBe('field not allowed');
      expect(json(`${def}\nx: #D & {a: {b: 1, c: 2}}`)).toEqual({ x: { a: { b: 1, c: 2 } } });
    }
  });

  it('still lets an open operand through (`...`)', () => {
    expect(json('#A: {a: int} & {c: int, ...}\nx: #A & {a: 1, c: 2}')).toEqual({ x: { a: 1, c: 2 } });
    expect(json('#B: {a: int, ...}\n#A: #B & {c: int}\nx: #A & {a: 1, c: 2}')).toEqual({ x: { a: 1, c: 2 } });
  });

  it('keeps a literal operand from adding fields to a closed definition', () => {
    expect(errAt('#B: {a: int}\n#A: #B & {c: int}', '#A')).toBe('field not allowed');
  });
});
