import { describe, expect, it } from 'vitest';
import { newContext } from '../src/engine-index.js';
import { CueErrorList } from '../src/errors.js';

const ctx = newContext();
const compile = (text: string) => ctx.compile({ filename: 'x.cue', text });

describe('JSON export', () => {
  it('keeps CUE field order, selects defaults, drops non-data fields', () => {
    const v = compile('#D: {z: int, a: *"x" | string}\nout: #D & {z: 1}\n_h: 1\nopt?: 2\nb: 2');
    expect(v.toJSON()).toBe('{\n  "out": {\n    "z": 1,\n    "a": "x"\n  },\n  "b": 2\n}');
    expect(v.toJSON(0)).toBe('{"out":{"z":1,"a":"x"},"b":2}');
  });

  it('formats numbers like CUE: exact ints, floats with a fraction or exponent', () => {
    const v = compile('i: 12345678901234567890123\nf: 1.0\ng: 1.5\nh: 1e30\nk: 0.1 + 0.2\nm: 4.0 / 2');
    expect(JSON.parse(v.toJSON(0).replace(/12345678901234567890123/, '0'))).toBeTruthy();
    expect(v.toJSON(0)).toBe('{"i":12345678901234567890123,"f":1.0,"g":1.5,"h":1e+30,"k":0.3,"m":2.0}');
  });

  it('encodes bytes as base64 and escapes strings', () => {
    expect(compile("b: 'hi'\ns: \"a\\\"b\\n\"").toJSON(0)).toBe('{"b":"aGk=","s":"a\\"b\\n"}');
  });

  it('fails with every non-concrete path and its position', () => {
    const v = compile('a: int\nb: {c: string, d: 1}\ne: "x" | "y"\nf: 1 & 2');
    let err: unknown;
    try {
      v.toJSON();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CueErrorList);
    const list = (err as CueErrorList).errors;
    expect(list.map((e) => e.path.join('.'))).toEqual(['a', 'b.c', 'e', 'f']);
    expect(list.map((e) => e.code)).toEqual(['incomplete', 'incomplete', 'incomplete', 'eval']);
    expect(list[0]!.positions[0]).toMatchObject({ file: 'x.cue', line: 1, col: 1 });
    expect(list[3]!.detail).toBe('conflicting values 1 and 2');
  });

  it('reports required fields that are not present', () => {
    expect(() => compile('a!: int').toJSON()).toThrow(/field is required but not present/);
    expect(compile('a!: int\na: 1').toJS()).toEqual({ a: 1 });
  });

  it('exports lists and nested values to JS', () => {
    expect(compile('l: [1, {a: [true, null]}]\nbig: 9007199254740993').toJS()).toEqual({ l: [1, { a: [true, null] }], big: 9007199254740993n });
  });
});

describe('YAML export', () => {
  it('prints block style and quotes strings that look like other types', () => {
    const y = compile('a: 1\nb: "true"\nc: "1.5"\nd: [1, "x"]\ne: {f: null}\ng: 2.0\nh: []\ni: "plain"').toYAML();
    expect(y).toBe('a: 1\nb: "true"\nc: "1.5"\nd:\n  - 1\n  - x\ne:\n  f: null\ng: 2.0\nh: []\ni: plain\n');
  });

  it('indents list items under their key, as cue export does', () => {
    const y = compile('spec: containers: [{name: "x", ports: [80, 443]}, [1, [2]]]').toYAML();
    expect(y).toBe('spec:\n  containers:\n    - name: x\n      ports:\n        - 80\n        - 443\n    - - 1\n      - - 2\n');
  });

  it('fails like JSON export on incomplete values', () => {
    expect(() => compile('a: string').toYAML()).toThrow(CueErrorList);
  });
});

describe('CUE output', () => {
  it('prints evaluated values like cue eval', () => {
    const v = compile('#A: {x: int | *1, y?: string}\na: #A & {x: 2}\nb: >=1 & <10\nc: "s"');
    expect(v.toCUE()).toBe('a: {\n\tx: 2\n}\nb: >=1 & <10\nc: "s"');
    expect(v.toCUE({ definitions: true, optional: true })).toBe(
      '#A: {\n\tx: int | *1\n\ty?: string\n}\na: {\n\tx: 2\n\ty?: string\n}\nb: >=1 & <10\nc: "s"',
    );
  });

  it('writes the aliases of a pattern constraint, which its printed value refers to', () => {
    for (const [src, label] of [
      ['#S: [Name=string]: {name: Name}\nx: #S & {a: {}}', '[Name=string]'],
      ['#S: X=[string]: {n: X.k, k: int}\nx: #S & {a: {k: 1}}', 'X=[string]'],
    ] as const) {
      const out = compile(src).toCUE({ definitions: true });
      expect(out, src).toContain(`${label}: {`);
      // The output is CUE again, with the same data (it referred to an unbound alias before).
      expect(compile(out).toJSON(0), out).toBe(compile(src).toJSON(0));
    }
  });

  it('imports the builtin packages its validators and calls print with, when asked (cue def, eval)', () => {
    const one = compile('import "struct"\n#S: struct.MaxFields(2)\nx: #S').toCUE({ definitions: true, imports: true });
    // Not by default: messages quote constraints as printed.
    expect(compile('import "struct"\n#S: struct.MaxFields(2)\nx: #S').toCUE()).toBe('x: struct.MaxFields(2)');
    expect(one).toBe('import "struct"\n\n#S: struct.MaxFields(2)\nx: struct.MaxFields(2)');
    const two = compile('import ("list", "encoding/json")\na: list.MinItems(1)\nb: json.Valid').toCUE({ imports: true });
    expect(two.startsWith('import (\n\t"encoding/json"\n\t"list"\n)\n\n'), two).toBe(true);
    expect(compile(two).toCUE({ imports: true })).toBe(two);
    // Nothing to import: the text is as printed.
    expect(compile('a: "list.x"\nb: 1').toCUE({ imports: true })).toBe('a: "list.x"\nb: 1');
  });

  it('prints errors as bottom with their message', () => {
    expect(compile('a: 1 & 2').toCUE()).toBe('a: _|_ // conflicting values 1 and 2');
  });
});

describe('OPM benchmark document', () => {
  it('exports bench/fixtures/opm-200.cue with the same data as Go CUE', async () => {
    const { readFileSync } = await import('node:fs');
    const dir = new URL('../../../bench/fixtures/', import.meta.url);
    const text = readFileSync(new URL('opm-200.cue', dir), 'utf8');
    const expected = JSON.parse(readFileSync(new URL('opm-200.expected.json', dir), 'utf8'));
    const sortKeys = (x: unknown): unknown =>
      Array.isArray(x)
        ? x.map(sortKeys)
        : x && typeof x === 'object'
          ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]))
          : x;
    const got = JSON.parse(newContext().compile({ filename: 'opm-200.cue', text }).toJSON());
    expect(sortKeys(got)).toEqual(sortKeys(expected));
  });
});

describe('field order', () => {
  // CUE orders fields by first appearance in the declarations; what an `if`
  // or `for` comprehension, an embedding or a dynamic field produces stands
  // at the position of that declaration.
  const keys = (src: string, path: string) => JSON.stringify(Object.keys(compile(src).lookupPath(path).toJS() as object));

  it('puts comprehension, embedding and dynamic field results at their declaration', () => {
    expect(keys('x: {\n\ta: 1\n\tif true {b: 2}\n\tc: 3\n\tfor k in ["p", "q"] {(k): k}\n\tz: 0\n}', 'x')).toBe('["a","b","c","p","q","z"]');
    expect(keys('#E: {b: 2}\nx: {\n\ta: 1\n\t#E\n\tc: 3\n}', 'x')).toBe('["a","b","c"]');
    expect(keys('k: "b"\nx: {a: 1, (k): 2, c: 3}', 'x')).toBe('["a","b","c"]');
    expect(keys('y: {if true {m: 1}\n\tn: 2}', 'y')).toBe('["m","n"]');
    expect(JSON.stringify(JSON.parse(compile('x: {a: 1, if true {b: 2}, c: 3}').toJSON()))).toBe('{"x":{"a":1,"b":2,"c":3}}');
  });

  it('keeps first appearance across conjuncts', () => {
    expect(keys('#D: {e?: int, f?: int}\nw: #D & {if true {f: 1}\n\te: 2}', 'w')).toBe('["e","f"]');
    expect(keys('x: {d: 0}\nx: {a: 1, if true {b: 2}, c: 3}', 'x')).toBe('["d","a","b","c"]');
  });
});
