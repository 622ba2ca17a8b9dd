// matchN over a value that is not concrete yet: the count may still change,
// so a mismatch is incomplete rather than a failure.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const errOf = (src: string, path: string) => compile(src).lookupPath(path).err();

describe('matchN', () => {
  it('is incomplete while the value is not concrete', () => {
    const e = errOf('x: {a: int} & matchN(0, [{a: 1}])', 'x');
    expect(e?.code).toBe('incomplete');
  });

  it('fails once the value is concrete', () => {
    const e = errOf('x: {a: 1} & matchN(0, [{a: 1}])', 'x');
    expect(e?.code).toBe('eval');
    expect(e?.detail).toContain('does not satisfy matchN');
    expect(errOf('x: {a: 1} & matchN(1, [{a: 1}])', 'x')).toBeUndefined();
  });
});
