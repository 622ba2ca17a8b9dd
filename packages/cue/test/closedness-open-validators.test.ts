// matchN and matchIf are open validators (CUE v3: NonConcrete builtins): a
// struct group that embeds one leaves its fields to the validator and allows
// any label, as `...` would (definitions/typocheck embed.openValidator).
// Other validators only add a check: the group stays closed.
import { describe, expect, it } from 'vitest';
import { errAt, json } from './eval-helpers.js';

describe('an embedded matchN or matchIf', () => {
  it('opens the definition literal that embeds it', () => {
    expect(errAt('#X: {matchN(0, []), a?: int, b?: int}\nx: #X\nx: err: 1', 'x.err')).toBeUndefined();
    expect(errAt('#X: {matchIf({}, {}, {}), a?: int}\nx: #X & {b: 1}', 'x.b')).toBeUndefined();
  });

  it('through a reference and a nested embedding', () => {
    expect(errAt('M: matchN(0, [])\n#X: {a?: int, M}\nx: #X & {b: 1}', 'x.b')).toBeUndefined();
    expect(errAt('#X: {a?: int, {matchN(0, [])}}\nx: #X & {b: 1}', 'x.b')).toBeUndefined();
  });

  it('below a field, in that definition\'s group only', () => {
    expect(errAt('#X: {a: {matchN(0, [])}, a: c?: int}\nx: #X & {a: b: 1}', 'x.a.b')).toBeUndefined();
    // #Y declares x.a in a group of its own, which matchN in #X does not open.
    expect(errAt('#X: a: {matchN(0, [])}\n#Y: a: c?: int\nx: #X & #Y & {a: b: 1}', 'x.a.b')).toBe('field not allowed');
  });

  it('as a field value written in the definition, in its group only', () => {
    expect(errAt('#X: {a: matchN(0, []), a: c?: int}\nx: #X & {a: b: 1}', 'x.a.b')).toBeUndefined();
    expect(errAt('#X: a: matchN(0, [])\n#Y: a: c?: int\nx: #X & #Y & {a: b: 1}', 'x.a.b')).toBe('field not allowed');
    expect(errAt('#Y: a: c?: int\n#X: a: matchN(0, [])\nx: #X & #Y & {a: b: 1}', 'x.a.b')).toBe('field not allowed');
    expect(errAt('#X: {a: c?: int}\nx: #X & {a: b: 1} & {a: matchN(0, [])}', 'x.a.b')).toBe('field not allowed');
  });

  it('as a field value that refers to such a call, in its group only', () => {
    expect(errAt('M: matchN(1, [{d: int}])\n#X: {s: M, s: c?: int}\nx: #X & {s: d: 1}', 'x.s.d')).toBeUndefined();
    expect(errAt('S: x: matchN(1, [{d: int}])\n#X: {s: S.x, s: c?: int}\nx: #X & {s: d: 1}', 'x.s.d')).toBeUndefined();
    expect(errAt('M: matchN(1, [{d: int}])\n#X: {s: M, s: c?: int}\nx: #X & {s: d: "no"}', 'x.s')).toContain('does not satisfy matchN');
    expect(errAt('M: matchN(0, [])\n#X: a: M\n#Y: a: c?: int\nx: #X & #Y & {a: b: 1}', 'x.a.b')).toBe('field not allowed');
    // A reference to another validator leaves the group closed.
    expect(errAt('import "struct"\nM: struct.MaxFields(3)\n#X: {s: M, s: c?: int}\nx: #X & {s: d: 1}', 'x.s.d')).toContain('field not allowed');
  });

  it('still validates the value', () => {
    expect(errAt('#X: {matchN(0, [{b: int}]), a?: int}\nx: #X & {b: 1}', 'x')).toContain('does not satisfy matchN');
  });
});

describe('what stays closed', () => {
  it('a definition unified with matchN outside its literal', () => {
    expect(errAt('#X: {a?: int}\nx: #X & {b: 1} & matchN(0, [])', 'x.b')).toBe('field not allowed');
  });

  it('a literal embedding another validator', () => {
    expect(errAt('import "struct"\n#X: {struct.MaxFields(2), a?: int}\nx: #X & {b: 1}', 'x.b')).toContain('field not allowed');
    expect(json('import "struct"\n#X: {struct.MaxFields(2), a?: int}\nx: #X & {a: 1}')).toEqual({ x: { a: 1 } });
  });
});
