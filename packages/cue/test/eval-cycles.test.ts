// Reference cycles, structural cycles and self references (cycle/ in the conformance corpus).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

function cue(src: string, path: string): string {
  return compile(src).lookupPath(path).toCUE({ definitions: true });
}

describe('self references in disjunctions', () => {
  it('a disjunct referring to its own field stands for top, in either order', () => {
    expect(cue('#A: string | #A\nx: #A', 'x')).toBe('string | _');
    expect(cue('#A: #A | string\nx: #A', 'x')).toBe('_ | string');
    expect(cue('x: #A\n#A: #A | string', '#A')).toBe('_ | string');
  });
});

describe('reference cycles', () => {
  it('reports an unresolved arithmetic cycle with the code cycle, and resolves it when a value is given', () => {
    const v = compile('a: b + 100\nb: a - 100\nx: 200\nx: y + 100\ny: x - 100');
    expect(v.lookupPath('a').err()?.code).toBe('cycle');
    expect(v.lookupPath('b').err()?.code).toBe('cycle');
    expect(v.lookupPath('y').toJS()).toBe(100);
    // Like an incomplete value, a cycle is no error unless concrete values are required.
    expect(v.validate()).toEqual([]);
    expect(v.validate({ concrete: true }).map((e) => e.code)).toContain('cycle');
  });
});

describe('cycles through defaults and bounds', () => {
  it('does not resolve a cycle by choosing the default of a value still being evaluated', () => {
    const v = compile('a1: *0 | 1\na1: a3 - a2\na2: *0 | 1\na2: a3 - a1\na3: 1');
    expect(v.lookupPath('a1').err()?.code).toBe('cycle');
    expect(v.lookupPath('a2').err()?.code).toBe('cycle');
  });

  it('keeps a conjunct that stays incomplete once the cycle is resolved', () => {
    const v = compile('#R: {\n\tmin: *1 | int\n\tmin: <max\n\tmax: >min\n}\nr: #R & {min: 3}');
    expect(v.lookupPath('r.min').err()?.code).toBe('incomplete');
    expect(v.lookupPath('r.max').toCUE()).toBe('>3');
  });
});

describe('lets in reference cycles', () => {
  const schema = 'import "strings"\n#S: {\n\tlet splits = strings.Split(id, "_")\n\tlet prefix = splits[0]\n\t#ID: =~"^\\(prefix)$"\n\tid: #ID\n\tsubid: =~"^\\(prefix):sub$"\n}\n';
  it('a let that refers back to itself through a field is a cycle that the field\'s other conjuncts resolve', () => {
    const v = compile('import "strings"\nx: "B"\nid: "A:B"\nlet s = strings.Split(id, ":")\nlet b = s[1]\nid!: "\\(s[0]):\\(b)"\nx!: "\\(b)"');
    expect(v.toJS()).toEqual({ x: 'B', id: 'A:B' });
  });

  it('does not keep a let value computed while the cycle was unresolved, whatever the order of lookups', () => {
    for (const order of [['id', 'subid', '#ID'], ['subid', 'id', '#ID'], ['#ID', 'subid']]) {
      const v = compile(`${schema}c: #S & {subid: "foo:sub", id: "foo"}`);
      for (const p of order) expect(v.lookupPath(`c.${p}`).err(), `${order.join(',')}: ${p}`).toBeUndefined();
      expect(v.lookupPath('c.#ID').toCUE()).toBe('=~"^foo$"');
    }
  });
});

describe('values that need themselves', () => {
  it('an embedding incomplete before the comprehensions ran is evaluated again after them', () => {
    const v = compile('A: a: _\nD: {\n\t#n: 1\n\tif #n == 1 {\n\t\tfuncs: "0": A\n\t}\n\tfuncs: {}\n\tfuncs["0"]\n}');
    expect(v.lookupPath('D').toCUE({ definitions: true })).toBe('#n: 1\nfuncs: {\n\t"0": {\n\t\ta: _\n\t}\n}\na: _');
  });

  it('a list whose constraint needs its own length is evaluated again once the length is known', () => {
    const src = '_Q: [{pos: 0}, {pos: 1}]\na: [rn=string]: _Q[0:len(a[rn])]\na: ben: [{}]\n#d: [rn=string]: [...{pos: uint}] & _Q[0:len(#d[rn])]\n#d: ben: [{}]\nf: [rn=string]: _Q[0:len(f[rn])+1]\nf: ben: [{}]';
    const v = compile(src);
    expect(v.lookupPath('a.ben').toJS()).toEqual([{ pos: 0 }]);
    expect(v.lookupPath('#d.ben').toCUE()).toBe('[\n\t{\n\t\tpos: 0\n\t},\n]');
    expect(v.lookupPath('f.ben').err()?.message).toContain('incompatible list lengths (1 and 2)');
  });
});

describe('recursive schemas over deep data', () => {
  // Data of any depth feeds the recursion at every level: no structural cycle
  // (the value itself does not repeat), however deep the data goes.
  const nest = (depth: number, leaf: (i: number) => string, wrap: (i: number, inner: string) => string): string => {
    let s = leaf(depth);
    for (let i = depth - 1; i >= 1; i--) s = wrap(i, s);
    return s;
  };

  it('through an optional field', () => {
    const data = nest(12, (i) => `{v: ${i}}`, (i, inner) => `{v: ${i}, next: ${inner}}`);
    const v = compile(`#N: {v: int, next?: #N}\nx: #N & ${data}`);
    let x = v.lookupPath('x').toJS() as { v: number; next?: unknown };
    let depth = 1;
    while (x.next) {
      x = x.next as typeof x;
      depth++;
    }
    expect(depth).toBe(12);
    expect(x.v).toBe(12);
    // The schema still applies at the deepest level.
    const bad = nest(9, () => '{v: "s"}', (i, inner) => `{v: ${i}, next: ${inner}}`);
    expect(compile(`#N: {v: int, next?: #N}\nx: #N & ${bad}`).lookupPath('x').validate({ all: true }).length).toBeGreaterThan(0);
    expect(compile(`#N: {v: int, next?: #N}\nx: #N & ${nest(8, () => '{w: 1}', (i, inner) => `{v: ${i}, next: ${inner}}`)}`).lookupPath('x').validate({ all: true })[0]?.detail).toBe('field not allowed');
  });

  it('through a pattern constraint and a list', () => {
    const tree = nest(10, () => '{}', (i, inner) => `{c${i}: ${inner}}`);
    expect(compile(`#T: [string]: #T\nx: #T & ${tree}`).lookupPath('x').validate({ all: true })).toEqual([]);
    const list = nest(10, (i) => `{v: ${i}}`, (i, inner) => `{v: ${i}, c: [${inner}]}`);
    expect(compile(`#L: {v: int, c?: [...#L]}\nx: #L & ${list}`).lookupPath('x').validate({ all: true })).toEqual([]);
  });

  it('through a disjunction, ending where the data ends', () => {
    const data = nest(8, (i) => `{head: ${i}, tail: null}`, (i, inner) => `{head: ${i}, tail: ${inner}}`);
    expect(compile(`#L: {head: int, tail: null | #L}\nx: #L & ${data}`).lookupPath('x').validate({ concrete: true, all: true })).toEqual([]);
  });

  it('a value that repeats by itself is still a structural cycle', () => {
    expect(compile('#L: {head: 1, tail: #L}\nx: #L').lookupPath('x').validate({ all: true })[0]?.code).toBe('structural cycle');
    expect(compile('a: b: a').lookupPath('a').validate({ all: true })[0]?.code).toBe('structural cycle');
  });
});

describe('values computed while a reference cycle is open', () => {
  const src = 'e1: e2 & 8 | e4 & 9 | e5 & 9\ne2: e3 + 2\ne3: 6 & e1-2\ne4: e2 + 1\ne5: e2 + 2\ne1: 9';

  it('keeps a scalar computed inside the cycle and checks only the cyclic conjunct once the cycle closes', () => {
    const v = compile(src);
    expect(v.lookupPath('e1').toJS()).toBe(9);
    expect(v.lookupPath('e2').toJS()).toBe(8);
    expect(v.lookupPath('e4').toJS()).toBe(9);
    expect(v.lookupPath('e5').toJS()).toBe(10);
    expect(v.lookupPath('e3').err()?.detail).toBe('conflicting values 7 and 6');
  });

  it('gives the same values whichever field is looked up first (top-level fields evaluate in declaration order)', () => {
    for (const first of ['e2', 'e3', 'e4', 'e5', 'e1']) {
      const v = compile(src);
      v.lookupPath(first);
      expect([v.lookupPath('e1').toJS(), v.lookupPath('e2').toJS(), v.lookupPath('e5').toJS()]).toEqual([9, 8, 10]);
    }
  });
});

describe('inline values that are selected from', () => {
  it('a reference from inside one to the enclosing field is a reference cycle, not a structural one', () => {
    expect(cue('x: { a: x }.a', 'x')).toBe('_');
    const v = compile('#L: {in: {...}, out: [for _, v in in if v.show != _|_ {v}]}\nroot: {self: show: true, others: (#L & {in: root}).out}');
    expect(v.lookupPath('root.others').toJS()).toEqual([{ show: true }]);
  });

  it('a value put back into the field still repeats: a structural cycle', () => {
    expect(compile('x: { a: b: x }.a').validate().map((e) => e.code)).toContain('structural cycle');
    // Call arguments are part of the value they produce.
    expect(compile('a: close({b: string | a})\nx: a').lookupPath('a.b').err()).toBeUndefined();
  });
});

describe('comprehensions over a struct still being evaluated', () => {
  it('may not add fields to the struct they range over', () => {
    const v = compile('a: {\n\tx: 1\n\tfor k, v in a {\n\t\t(k+"q"): v\n\t}\n}');
    expect(v.lookupPath('a').err()?.detail).toBe('adding field xq not allowed as field set was already referenced');
  });

  it('ranging over such a struct again sees the fields it had when it was first ranged over', () => {
    const v = compile('a: x: 1\nb: y: 1\na: {for k, v in b {(k+"q"): v}}\nb: {for k, v in a {(k): v}}');
    expect(v.lookupPath('a').err()?.detail).toContain('adding field yq not allowed');
    expect(v.lookupPath('b').toJS()).toEqual({ y: 1, x: 1 });
  });

  it('may make existing fields more specific', () => {
    expect(compile('a: {\n\tx: int\n\tfor k, v in a {(k): 1}\n}').lookupPath('a').toJS()).toEqual({ x: 1 });
  });
});

describe('structural cycles and what takes precedence over them', () => {
  it('a builtin argument list holding the call\'s own field is a structural cycle, not an incomplete value', () => {
    const v = compile('import "list"\na: ["1", "2"]\na: list.Concat([a, ["3"]])');
    expect(v.lookupPath('a').err()?.code).toBe('structural cycle');
    expect(v.lookupPath('a').err()?.detail).toBe('error in call to list.Concat: structural cycle');
  });

  it('a scalar unified with a reference to its unfinished list ancestor is a conflict', () => {
    const v = compile('b: x & {a: [1]}\nx: a: [a]');
    expect(v.lookup('b', 'a', 0).err()?.code).toBe('eval');
    expect(v.lookup('b', 'a', 0).err()?.detail).toBe('conflicting values 1 and [...] (mismatched types int and list)');
    expect(v.lookup('x', 'a', 0).err()?.code).toBe('structural cycle');
  });
});

describe('comprehensions that depend on what other comprehensions add', () => {
  it('a list comprehension ranging over its own list sees the elements the other conjuncts give', () => {
    const v = compile('panels: [\n\tfor i, _ in panels {\n\t\tid: i\n\t}\n]\npanels: [{}, {}, {}]');
    expect(v.lookupPath('panels').toJS()).toEqual([{ id: 0 }, { id: 1 }, { id: 2 }]);
  });

  it('runs the comprehensions a retried comprehension yields', () => {
    const src = 'D: "logging": _\ndeployment: _\nfor k, v in deployment {\n\tfor k1, v2 in v.env2 {\n\t\tdeployment: (k): env: (k1): v2\n\t}\n}\nfor id, v in D {\n\tdeployment: (id): env2: ENV: "True"\n}';
    expect(compile(src).lookupPath('deployment').toJS()).toEqual({ logging: { env2: { ENV: 'True' }, env: { ENV: 'True' } } });
  });
});

describe('ranging over a list that is still being computed', () => {
  it('is incomplete when the list has no elements but those being computed', () => {
    const v = compile('B: {\n\ta: {\n\t\tparent: ""\n\t\tchildren: [for k, v in B for _, w in v.children {k}]\n\t}\n}');
    const e = v.lookupPath('B.a.children').err();
    expect(e?.code).toBe('incomplete');
    expect(e?.detail).toBe('cannot range over v.children (incomplete type list)');
  });
});

describe('looking into a value where a list and a struct met', () => {
  it('finds the fields with their own errors, as Go does', () => {
    const v = compile('a: [a]\na: c: a');
    expect(v.lookupPath('a').err()?.detail).toBe('conflicting values list and struct (mismatched types list and struct)');
    expect(v.lookupPath('a.c').err()?.code).toBe('structural cycle');
  });
});

describe('an embedded list that needs the value it is embedded in', () => {
  const schema = '@experiment(aliasv2)\nimport "list"\n#Pairs: {list.Repeat([int, string], div(len(self), 2))}\n';
  it('is computed once the cycle closes, and checks the data', () => {
    const ok = compile(schema + 'x: #Pairs & [1, "a", 2, "b"]');
    expect(ok.lookupPath('x').toJS()).toEqual([1, 'a', 2, 'b']);
    expect(ok.lookupPath('#Pairs').toJS()).toEqual([]);
    const bad = compile(schema + 'x: #Pairs & [1, "a", "b", 2]');
    expect(bad.lookupPath('x[2]').err()?.code).toBe('eval');
    expect(bad.lookupPath('x[2]').err()?.detail).toContain('conflicting values');
  });
});

describe('indexing a struct that is still being evaluated', () => {
  it('is incomplete while it has no fields (an embedding may still make it a list)', () => {
    const v = compile('@experiment(aliasv2)\nl: [10, for _ in [1] {self[0]}]');
    expect(v.lookupPath('l[1]').err()?.code).toBe('incomplete');
  });

  it('is an error once the struct has fields', () => {
    expect(compile('x: {a: 1}\ny: x[0]').lookupPath('y').err()?.code).toBe('eval');
  });
});

describe('len() of a struct whose enclosing struct is still being evaluated', () => {
  it('fixes its field set: a comprehension adding a field to it afterwards is an error', () => {
    const src = 'a: {\n\tx: {y: 1}\n\tfor k, v in a if len(v) > 0 {\n\t\t(k): {z: 1}\n\t}\n}';
    const e = compile(src).lookupPath('a.x').err();
    expect(e?.code).toBe('eval');
    expect(e?.detail).toContain('adding field z not allowed as field set was already referenced');
  });

  it('is fine when nothing is added afterwards', () => {
    expect(compile('a: {\n\tx: {y: 1}\n\tif len(x) > 0 {n: len(x)}\n}').lookupPath('a').toJS()).toEqual({ x: { y: 1 }, n: 1 });
  });
});

describe('a lookup into an inline value that repeats an enclosing one', () => {
  it('is made in the value it repeats: the lookup is evidence against the cycle', () => {
    expect(compile('r: {p: {x: p, y: 1}}.p.x.y').lookupPath('r').toJS()).toBe(1);
    expect(compile('r: {p: {x: p, y: {z: 2}}}.p.x.y.z').lookupPath('r').toJS()).toBe(2);
  });

  it('but the repeated value itself, or one that stands in the configuration, is still a structural cycle', () => {
    expect(compile('r: {p: {x: p, y: 1}}.p.x').lookupPath('r').err()?.code).toBe('structural cycle');
    const v = compile('a: p: {x: a.p, y: 1}\nb: a.p.x.y');
    expect(v.lookupPath('a.p.x').err()?.code).toBe('structural cycle');
    expect(v.lookupPath('b').err()?.code).toBe('structural cycle');
  });
});

describe('a disjunct whose operand is in a reference cycle', () => {
  it('leaves the disjunction unresolved: a cycle error, not the other operand', () => {
    // q & 3 needs s, whose disjuncts need p (being evaluated) and r (a cycle
    // through q): neither disjunct of s can be decided, so none is taken.
    const v = compile('p: (q & 3) | (r & 4)\nq: s + 1\ns: (2 & (p - 1)) | (r & 4)\nr: q + 1');
    for (const f of ['p', 'q', 's', 'r']) expect(v.lookupPath(f).err()?.detail, f).toMatch(/cycle/);
    expect(compile('a: (b & 9) | 1\nb: a - 0').lookupPath('a').err()?.detail).toMatch(/cycle/);
  });

  it('still resolves where a field gets a concrete value from its other conjuncts', () => {
    expect(compile('xa1: (xa2 & 8) | (xa4 & 9)\nxa2: xa3 + 2\nxa3: 6 & xa1-2\nxa4: xa2 + 2').toJS()).toEqual({ xa1: 8, xa2: 8, xa3: 6, xa4: 10 });
    expect(compile('a: b & 9\nb: a - 0').toJS()).toEqual({ a: 9, b: 9 });
  });
});

describe('an `== _|_` test of a value in a reference cycle', () => {
  // (Orders that evaluate M first still fail: M.key is then read from M
  // itself while it is nothing yet, and taken as missing.)
  it('waits for the cycle instead of taking the value for an error, whichever of K or #sub comes first', () => {
    const decls = [
      'K: "key: v1"',
      '#sub: {\n\tif M.key == _|_ {key: ""}\n\tif M.key != _|_ {key: "key: " + M.key}\n}',
      'M: regexp.FindNamedSubmatch(#re, K)',
      'K: #sub.key',
    ];
    const perms = (xs: string[]): string[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
    for (const p of perms(decls).filter((p) => !p[0]!.startsWith('M') && !(p[0]!.startsWith('#sub') && p[1]!.startsWith('M')))) {
      const src = `import "regexp"\n#re: #"^(key: (?P<key>.*))?$"#\n${p.join('\n')}`;
      expect(compile(src).toJS(), src).toEqual({ K: 'key: v1', M: { key: 'v1' } });
    }
  });
});
