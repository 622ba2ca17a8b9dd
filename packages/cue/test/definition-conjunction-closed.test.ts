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

  it('a literal beside a reference takes its closedness from the reference, in either order of use', () => {
    // definitions/typocheck issue4006, with `#B & #C` as well as `#C & #B`.
    const defs = '#A: {\n#B\nfieldA: string\n}\n#B: {#A}\n';
    // (`#C: #A\n#C: {}` with `#B & #C` still reports fieldA: the declarations' group loses #A's
    // labels through the #A/#B embedding cycle; a closedness bug of its own, not of `&`.)
    for (const c of ['#C: #A & {}', '#C: {} & #A', '#C: #A']) {
      for (const out of ['out: #C & #B', 'out: #B & #C', 'out: #C\nout: #B']) {
        const src = `${defs}${c}\n${out}`;
        expect(errAt(src, 'out'), src).toBeUndefined();
        expect(errAt(`${src}\nout: fieldB: "x"`, 'out'), src).toBe('field not allowed');
      }
    }
  });

  it('keeps a literal operand from adding fields to a closed definition', () => {
    expect(errAt('#B: {a: int}\n#A: #B & {c: int}', '#A')).toBe('field not allowed');
  });
});

// `#A: _` brings no closedness, so `#N: #A & {f: 1}` is `#N: _ & {f: 1}`, which is
// `#N: {f: 1}`: closed when referenced (cue-spec.md, "Definitions and hidden fields").
// Found by the invariance checker: definitions/issue497 split-conjunction
// (`#N: #A & {...}` as `#N: #A; #N: {...}`).
describe('a definition written as a literal beside a reference to `_`', () => {
  const forms: Record<string, string> = {
    'reference first': '#A: _\n#N: #A & {f: 1}',
    'reference last': '#A: _\n#N: {f: 1} & #A',
    'top itself': '#N: _ & {f: 1}',
    parenthesized: '#A: _\n#N: (#A & {f: 1})',
    'split (as written before)': '#A: _\n#N: #A\n#N: {f: 1}',
  };
  for (const [name, def] of Object.entries(forms)) {
    it(`${name}: is closed`, () => {
      expect(errAt(`${def}\nx: #N & {g: 1}`, 'x'), def).toBe('field not allowed');
      expect(json(`${def}\nx: #N & {f: 1}`), def).toEqual({ x: { f: 1 } });
      expect(compile(def).lookupPath('#N').isClosed(), def).toBe(true);
    });
  }

  it('closes recursively, at a field of the definition too', () => {
    expect(errAt('#A: _\n#N: f: #A & {g: 1}\nx: #N & {f: h: 1}', 'x.f')).toBe('field not allowed');
    expect(errAt('#A: _\n#N: #A & {f: {g: 1}}\nx: #N & {f: h: 1}', 'x.f')).toBe('field not allowed');
  });

  it('still lets a referenced regular struct widen the definition, and `...` open it', () => {
    expect(compile('A: {a: int}\n#N: A & {b: int}\nx: #N & {a: 1, b: 2}').lookupPath('x').toJS()).toEqual({ a: 1, b: 2 });
    expect(errAt('A: {a: int}\n#N: A & {b: int}\nx: #N & {c: 1}', 'x')).toBe('field not allowed');
    expect(json('#A: _\n#N: #A & {b: int, ...}\nx: #N & {b: 1, c: 2}')).toEqual({ x: { b: 1, c: 2 } });
  });
});
