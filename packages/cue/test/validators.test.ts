import { describe, expect, it } from 'vitest';
import { compile, errAt, errOf } from './eval-helpers.js';

describe('builtins used as validators', () => {
  it('a builtin whose only parameter is the value is a validator when written bare', () => {
    const src = 'import ("encoding/json", "list")\na: json.Valid\na: "3"\nb: json.Valid\nb: "{"\nc: list.UniqueItems & [1, 2]\nd: list.UniqueItems & [1, 1]';
    expect(compile(src).lookup('a').string()).toBe('3');
    expect(errAt(src, 'b')).toContain('does not satisfy json.Valid');
    expect(compile(src).lookup('c').toJS()).toEqual([1, 2]);
    expect(errAt(src, 'd')).toContain('equal value (1) at position 0 and 1');
  });

  it('a field holding a bare validator can still be called; a called one cannot be called again', () => {
    const src = 'import "encoding/json"\na: json.Valid\nb: a("3")\nc: a()\nd: c()';
    const v = compile(src);
    expect(v.lookup('b').bool()).toBe(true);
    expect(v.lookup('c').toCUE()).toBe('json.Valid()');
    expect(errAt(src, 'd')).toBe('cannot call previously called validator');
  });

  it('matchN checks a struct that the validator itself is part of', () => {
    const src = '#X: matchN(1, [{b: int}])\na: #X\na: b: 1\nbad: #X\nbad: b: "x"';
    expect(compile(src).lookup('a').toJS()).toEqual({ b: 1 });
    expect(errAt(src, 'bad')).toContain('0 matched, expected 1');
  });

  it('a schema with a required field the value lacks does not match', () => {
    const src = '#X: matchN(1, [{a!: string}, {c!: string}])\nx: #X\nx: c: "c"\ny: #X\ny: {a: "a", c: "c"}';
    expect(compile(src).lookup('x').toJS()).toEqual({ c: 'c' });
    expect(errAt(src, 'y')).toContain('2 matched, expected 1');
  });

  it('struct.MinFields on a struct that a pattern lets grow is incomplete, not an error', () => {
    const src = 'import "struct"\n#T: {kv: [string]: string, kv: struct.MinFields(1)}\nt: #T';
    expect(compile(src).lookupPath('t.kv').err()?.code).toBe('incomplete');
  });

  it('a list argument of strings or numbers with a non-concrete element is incomplete, or wrong once it cannot become one', () => {
    const src = 'import ("strings", "list")\nx: [string, ...string]\na: strings.Join(x, " ")\ny: [int, "b"]\nb: strings.Join(y, " ")\nc: list.Avg([string])\nd: list.Sum([int, 2])\ne: strings.Join(["a", "b"], "-")';
    expect(errOf(src, 'a').code).toBe('incomplete');
    expect(errOf(src, 'a').detail).toContain('non-concrete value string for element 0 of string list argument 0');
    expect(errOf(src, 'b').code).toBe('eval');
    expect(errOf(src, 'b').detail).toContain('cannot use value int (int) as string');
    expect(errOf(src, 'c').code).toBe('eval');
    expect(errOf(src, 'c').detail).toContain('invalid list element 0 in argument 0');
    expect(errOf(src, 'd').code).toBe('incomplete');
    expect(compile(src).lookup('e').string()).toBe('a-b');
  });
});

describe('the kind of a builtin validator', () => {
  // As in CUE, a validator has the kind of its builtin's first parameter.
  const v = compile('import "strings"\nimport "encoding/json"\ns: strings.ContainsAny("dd")\nj: json.Valid\nn: strings.MinRunes(3) & 5\nok: strings.MinRunes(3) & "abcd"');

  it('is that of the value it validates, and is left implied when printed', () => {
    expect(v.lookupPath('s').incompleteKinds()).toEqual(['string']);
    expect(v.lookupPath('s').toCUE()).toBe('strings.ContainsAny("dd")');
    expect(v.lookupPath('j').incompleteKinds().sort()).toEqual(['bytes', 'string']);
    expect(v.lookupPath('ok').toJS()).toBe('abcd');
  });

  it('makes a value of another kind a conflict', () => {
    const e = v.lookupPath('n').err();
    expect(e?.code).toBe('eval');
    expect(e?.detail).toContain('mismatched types string and int');
  });
});
