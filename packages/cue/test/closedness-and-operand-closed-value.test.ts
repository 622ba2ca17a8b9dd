// A value closed by itself (a definition, a close() result) restricts the
// fields of whatever it is unified with, wherever it is met: as a conjunct of
// a field, or inside one operand of `&` (spec, "Closed structs": the closed
// struct's fields are the only ones allowed, and unification intersects).
// Inside an operand it was taken as one member of the operand's group, where
// a pattern of a literal beside it (`[_]: _`) allowed any label.
import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

describe('a closed value inside an operand of &', () => {
  const defs = [
    '#T: {[_]: _} & close({a: string})',
    '#T: [_]: _\n#T: close({a: string})',
    '#U: {a: string}\n#T: {[_]: _} & #U',
  ];

  it('rejects a field it does not declare, as a separate conjunct does', () => {
    for (const d of defs) {
      expect(errAt(`${d}\nx: #T & {b: 1}`, 'x.b'), d).toMatch(/field not allowed/);
      expect(errAt(`${d}\nx: #T\nx: {b: 1}`, 'x.b'), d).toMatch(/field not allowed/);
      expect(errAt(`${d}\nx: {b: 1} & #T`, 'x.b'), d).toMatch(/field not allowed/);
    }
  });

  it('allows the fields it declares', () => {
    for (const d of defs) expect(compile(`${d}\nx: #T & {a: "s"}`).lookupPath('x').toJS(), d).toEqual({ a: 's' });
  });

  it('embedded in a literal, it still widens that literal (no intersection across an embedding)', () => {
    const src = '@experiment(explicitopen)\n#D: {x: y: int}\nfoo: close({b: {}})\na: __reclose({\n\t#D...\n\tfoo...\n})\nt: a & {x: y: 5, b: c: 1}';
    expect(compile(src).lookupPath('t').toJS()).toEqual({ x: { y: 5 }, b: { c: 1 } });
  });
});
