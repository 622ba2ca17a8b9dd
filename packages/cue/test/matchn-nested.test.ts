// matchN and matchIf check the whole value against each schema, nested values
// included: a recursive schema (`#S: matchN(1, [{next?: #S}, ...])`, as
// JSON Schema's oneOf/anyOf/not become) checks every level of the value. The
// call used to count as top wherever it met itself, so only the outermost
// level was checked.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultLimits, setLimits } from '../src/engine-index.js';
import { compile } from './eval-helpers.js';

const errOf = (src: string, path: string) => compile(src).lookupPath(path).err();

/** `{n: 1, next: {n: 2, ... next: leaf}}`, depth levels of next. */
function chain(depth: number, leaf: string): string {
  let s = leaf;
  for (let i = depth; i >= 1; i--) s = `{n: ${i}, next: ${s}}`;
  return s;
}

afterEach(() => {
  setLimits(defaultLimits);
});

describe('matchN on nested values', () => {
  const oneOf = '#S: matchN(1, [{n: int, next?: #S}, string])\n';

  it('checks every level of a recursive value (oneOf)', () => {
    for (let depth = 1; depth <= 6; depth++) {
      expect(errOf(`${oneOf}x: #S & ${chain(depth, '"end"')}`, 'x'), `depth ${depth}`).toBeUndefined();
      const e = errOf(`${oneOf}x: #S & ${chain(depth, '{n: "no"}')}`, 'x');
      expect(e?.code, `depth ${depth}`).toBe('eval');
      expect(e?.detail).toContain('0 matched, expected 1');
      expect(errOf(`${oneOf}x: #S & ${chain(depth, '4')}`, 'x')?.code, `depth ${depth}`).toBe('eval');
    }
  });

  it('anyOf: at least one schema at every level', () => {
    const anyOf = '#A: matchN(>=1, [{a?: #A, x!: int}, {a?: #A, y!: int}])\n';
    expect(errOf(`${anyOf}v: #A & {x: 1, a: {y: 2, a: {x: 3, y: 4}}}`, 'v')).toBeUndefined();
    expect(errOf(`${anyOf}v: #A & {x: 1, a: {y: 2, a: {x: "no"}}}`, 'v')?.code).toBe('eval');
  });

  it('oneOf: two schemas matching a nested value fail it', () => {
    const src = '#O: matchN(1, [{a?: #O, b!: int}, {a?: #O, c!: int}])\n';
    expect(errOf(`${src}v: #O & {b: 1, a: {c: 2}}`, 'v')).toBeUndefined();
    expect(errOf(`${src}v: #O & {b: 1, a: {c: 2, b: 3}}`, 'v')?.code).toBe('eval');
  });

  it('not: a schema that must not match, at every level', () => {
    const not = '#P: matchN(1, [{a?: #P} & matchN(0, [{bad!: _}])])\n';
    expect(errOf(`${not}v: #P & {a: {a: {good: 1}}}`, 'v')).toBeUndefined();
    expect(errOf(`${not}v: #P & {a: {a: {bad: 1}}}`, 'v')?.detail).toContain('0 matched, expected 1');
  });

  it('lists of schemas recurse through list elements too', () => {
    const src = '#L: matchN(1, [[int, #L], [int, string]])\n';
    expect(errOf(`${src}l: #L & [1, [2, [3, "x"]]]`, 'l')).toBeUndefined();
    expect(errOf(`${src}l: #L & [1, [2, [3, 4]]]`, 'l')?.code).toBe('eval');
  });

  it('a nested value that is not concrete yet makes the call incomplete, not failed', () => {
    expect(errOf(`${oneOf}x: #S & {n: 1, next: {n: int}}`, 'x')).toBeUndefined();
    expect(errOf(`${oneOf}x: #S & {n: 1, next: {n: 2, next: {n: string}}}`, 'x')?.code).toBe('incomplete');
  });

  it('matchIf checks nested values', () => {
    const src = '#M: matchIf({t: "a"}, {v: #M}, {v: int})\n';
    expect(errOf(`${src}m: #M & {t: "a", v: {t: "b", v: 1}}`, 'm')).toBeUndefined();
    expect(errOf(`${src}m: #M & {t: "a", v: {t: "a", v: 1}}`, 'm')?.code).toBe('eval');
  });

  it('checks a field several schemas reach once, not once per schema and level', () => {
    // Three schemas reach `a` at each of 18 levels: 3^18 checks without reuse.
    let v = '{}';
    for (let i = 0; i < 18; i++) v = `{a: ${v}}`;
    setLimits({ maxWork: 200_000 });
    const src = `#T: matchN(>=1, [{a?: #T, b?: #T}, {a?: #T, c?: #T}, {a?: #T, d?: #T}])\ny: #T & ${v}`;
    expect(errOf(src, 'y')).toBeUndefined();
  });

  it('reuses a result only for the same value, required and optional fields included', () => {
    // Each call checks the value unified with the other's schemas: {a!: string} & x and
    // {c!: string} & x hold the same data but match differently.
    const m = 'matchN(1, [{a!: string}, {c!: string}])';
    expect(errOf(`x: ${m} & ${m} & {c: "c"}`, 'x')).toBeUndefined();
    expect(errOf(`x: ${m} & ${m} & {b: "b"}`, 'x')?.detail).toContain('0 matched, expected 1');
  });

  it('stops a value nested beyond the depth limit with that error', () => {
    let v = '{}';
    for (let i = 0; i < 150; i++) v = `{a: ${v}}`;
    setLimits({ maxDepth: 100 });
    const e = errOf(`#T: matchN(1, [{a?: #T}, string])\ny: #T & ${v}`, 'y');
    expect(e?.detail).toContain('evaluation too deep');
  });
});
