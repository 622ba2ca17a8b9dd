import { describe, expect, it } from 'vitest';
import { newContext } from '../src/engine-index.js';
import { CueError, CueErrorList } from '../src/errors.js';

const ctx = newContext();
const compile = (text: string) => ctx.compile({ filename: 'v.cue', text });

describe('Value navigation', () => {
  const v = compile('a: {b: [1, {c: "x"}], "d-e": 2, #D: {x: int}, _h: 3, o?: 4, r!: 5}');

  it('looks up paths and path expressions', () => {
    expect(v.lookup('a', 'b', 1, 'c').string()).toBe('x');
    expect(v.lookupPath('a.b[1].c').string()).toBe('x');
    expect(v.lookupPath('a."d-e"').int()).toBe(2n);
    expect(v.lookupPath('a.#D.x').kind()).toBe('incomplete');
    expect(v.lookup('a', 'b', 1, 'c').path()).toEqual(['a', 'b', 1, 'c']);
  });

  it('gives a list embedded with definitions and hidden fields its index arcs as elements and the rest as fields', () => {
    const l = compile('x: {[1, 2], #foo: 1, _h: "h"}').lookup('x');
    expect(l.elements().map((e) => e.toJS())).toEqual([1, 2]);
    expect(l.elements()[1]!.path()).toEqual(['x', 1]);
    expect(l.fields({ definitions: true, hidden: true }).map((f) => f.label)).toEqual(['#foo', '_h']);
    expect(l.fields()).toEqual([]);
    expect(l.toJS()).toEqual([1, 2]);
  });

  it('looks up the other fields of a struct in error only because of one field, and reports an error above where it arose', () => {
    const v = compile('#T: [_]: _\n#T: close({"a": string})\nx: #T\nx: {a: "hello", b: "foo"}\ny: 1 & 2');
    expect(v.lookup('x', 'a').toJS()).toBe('hello');
    expect(v.lookup('x', 'b').err()?.message).toMatch(/^x\.b: field not allowed/);
    expect(v.lookup('x').err()?.path).toEqual(['x', 'b']);
    expect(v.lookup('x').fields().map((f) => [f.label, f.value.err() ? 'error' : f.value.toJS()])).toEqual([['a', 'hello'], ['b', 'error']]);
    // Below a scalar conflict: the conflict, at y.
    expect(v.lookup('y', 'z').err()?.path).toEqual(['y']);
  });

  it('reports missing fields without throwing', () => {
    const m = v.lookup('a', 'nope');
    expect(m.exists()).toBe(false);
    expect(m.err()?.code).toBe('incomplete');
    expect(v.lookup('a').exists()).toBe(true);
  });

  it('lists fields with the requested kinds', () => {
    const a = v.lookup('a');
    expect(a.fields().map((f) => f.label)).toEqual(['b', 'd-e']);
    const all = a.fields({ optional: true, definitions: true, hidden: true });
    expect(all.map((f) => [f.label, f.optional, f.required, f.definition, f.hidden])).toEqual([
      ['b', false, false, false, false],
      ['d-e', false, false, false, false],
      ['#D', false, false, true, false],
      ['_h', false, false, false, true],
      ['o', true, false, false, false],
      ['r', false, true, false, false],
    ]);
    expect(v.lookup('a', 'b').elements().map((e) => e.kind())).toEqual(['int', 'struct']);
  });

  it('returns positions and attributes', () => {
    const w = compile('x: 1 @secret()\nx: int');
    expect(w.lookup('x').attrs().map((a) => a.name)).toEqual(['secret']);
    expect(w.lookup('x').positions().map((p) => p.line)).toEqual([1, 2]);
  });
});

describe('Value operations', () => {
  it('unifies and fills', () => {
    const s = compile('#S: {name: string, port: *80 | int}\nout: #S');
    const filled = s.fill('web', 'out', 'name');
    expect(filled.lookup('out').toJS()).toEqual({ name: 'web', port: 80 });
    expect(s.lookup('out').fill({ name: 'x', port: 8080 }).toJS()).toEqual({ name: 'x', port: 8080 });
    const bad = s.lookup('out').fill({ extra: 1 });
    expect(bad.validate().map((e) => e.detail)).toContain('field not allowed');
    const u = s.lookup('#S').unify(ctx.encode({ name: 'n' }));
    expect(u.toJS()).toEqual({ name: 'n', port: 80 });
  });

  it('unifies two disjuncts of one field into both, as Go\'s Value.Unify does', () => {
    const v = compile('x: {a: int} | {b: int}\ny: *{a: 1} | {a: int, c: 2}\n#D: {a: int} | {b: int}');
    const [x0, x1] = v.lookup('x').disjuncts?.()?.map((d) => d.value) ?? [];
    expect(x0!.unify(x1!).toCUE()).toBe('a: int\nb: int');
    expect(x1!.unify(x0!).toCUE()).toBe('b: int\na: int');
    const [y0, y1] = v.lookup('y').disjuncts?.()?.map((d) => d.value) ?? [];
    expect(y0!.unify(y1!).toJS()).toEqual({ a: 1, c: 2 });
    // A disjunct unified with itself, or with a value from elsewhere, as before.
    expect(x0!.unify(x0!).toCUE()).toBe('a: int');
    expect(x0!.unify(ctx.encode({ a: 3 })).toJS()).toEqual({ a: 3 });
    // Closed disjuncts of a definition still close: each allows what the other lacks only through the other.
    const [d0, d1] = v.lookup('#D').disjuncts?.()?.map((d) => d.value) ?? [];
    expect(d0!.unify(d1!).err()?.code).toBe('eval');
  });

  it('validates, with concreteness on request', () => {
    const v = compile('a: int\nb: 1');
    expect(v.validate()).toEqual([]);
    const errs = v.validate({ concrete: true });
    expect(errs.map((e) => [e.code, e.path.join('.')])).toEqual([['incomplete', 'a']]);
    const w = compile('a: 1 & 2\nb: {c: "x" & 1}');
    expect(w.validate().map((e) => e.path.join('.'))).toEqual(['a', 'b.c']);
    expect(w.validate({ all: false })).toHaveLength(1);
  });

  it('exports checked data in one walk, failing exactly as validate() does', () => {
    const ok = compile('a: {x: 1, l: [1, {y: "s"}], _h: {n: int}, #D: string, f: 1.5, z: null}');
    expect(ok.lookup('a').toJSChecked()).toEqual(ok.lookup('a').toJS());
    expect(ok.lookup('a').toJSChecked()).toEqual({ x: 1, l: [1, { y: 's' }], f: 1.5, z: null });
    for (const text of ['a: {x: int, y: 1}', 'a: {x: 1, _h: 1 & 2}', 'a: {x: 1 & 2, y: string, r!: int}', 'a: {l: [{ _h: 1 & 2 }]}']) {
      const a = compile(text).lookup('a');
      const want = a.validate({ concrete: true, all: true }).map((e) => e.message);
      expect(want.length).toBeGreaterThan(0);
      let got: string[] = [];
      try {
        a.toJSChecked();
      } catch (e) {
        expect(e).toBeInstanceOf(CueErrorList);
        got = (e as CueErrorList).errors.map((x) => x.message);
      }
      expect(got).toEqual(want);
    }
  });

  it('compares values', () => {
    const v = compile('a: {x: 1}\nb: {x: 1}\nc: int\nd: 3');
    expect(v.lookup('a').equals(v.lookup('b'))).toBe(true);
    expect(v.lookup('a').equals(v.lookup('d'))).toBe(false);
    expect(v.lookup('c').subsumes(v.lookup('d'))).toBe(true);
    expect(v.lookup('d').subsumes(v.lookup('c'))).toBe(false);
  });

  it('gives typed scalar accessors that throw on the wrong kind', () => {
    const v = compile('s: "x"\ni: 2\nf: 1.5\nb: true\nd: *3 | int');
    expect(v.lookup('s').string()).toBe('x');
    expect(v.lookup('i').int()).toBe(2n);
    expect(v.lookup('f').number()).toBe(1.5);
    expect(v.lookup('b').bool()).toBe(true);
    expect(v.lookup('d').int()).toBe(3n);
    expect(() => v.lookup('s').int()).toThrow(CueError);
    expect(v.lookup('i').incompleteKinds()).toEqual(['int']);
    expect(compile('x: int | string').lookup('x').incompleteKinds()).toEqual(['int', 'string']);
  });
});

describe('Context', () => {
  it('encodes plain data', () => {
    const v = ctx.encode({ a: [1, 'x', null, true], b: 2n ** 70n, c: 1.5 });
    expect(v.lookup('b').int()).toBe(2n ** 70n);
    expect(v.lookup('c').kind()).toBe('float');
    expect(v.toJSON(0)).toBe('{"a":[1,"x",null,true],"b":1180591620717411303424,"c":1.5}');
  });

  it('evaluates several files as one package', () => {
    const v = ctx.compile([
      { filename: 'a.cue', text: 'package p\na: b + 1' },
      { filename: 'b.cue', text: 'package p\nb: 1' },
    ]);
    expect(v.toJS()).toEqual({ a: 2, b: 1 });
    expect(() =>
      ctx.compile([
        { filename: 'a.cue', text: 'package p\na: 1' },
        { filename: 'b.cue', text: 'package q\nb: 1' },
      ]),
    ).toThrow(CueErrorList);
  });

  it('throws syntax errors as a CueErrorList with positions', () => {
    try {
      ctx.compile({ filename: 's.cue', text: 'a: {' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CueErrorList);
      expect((e as CueErrorList).errors[0]!.code).toBe('syntax');
    }
  });

  it('resolves builtin imports, given imports, a resolver and a scope', async () => {
    const lib = ctx.compile({ filename: 'lib.cue', text: 'package lib\n#Port: int & >0 & <65536' });
    const v = await ctx.build(
      [{ filename: 'm.cue', text: 'package m\nimport (\n"strings"\n"ex.com/lib"\n"ex.com/other:o"\n)\np: lib.#Port & 80\nu: strings.ToUpper(o.name)\nr: #Rel & {n: 1}' }],
      {
        imports: { 'ex.com/lib': lib },
        resolver: { resolve: (path) => (path === 'ex.com/other:o' ? { id: 'o', files: [{ filename: 'o.cue', text: 'package o\nname: "abc"' }] } : undefined) },
        scope: ctx.compile('#Rel: {n: int, m: n + 1}'),
      },
    );
    expect(v.toJS()).toEqual({ p: 80, u: 'ABC', r: { n: 1, m: 2 } });
  });

  it('builds a package once: imports resolved to the id of one built with buildPackage get that value', async () => {
    const c = newContext();
    const files = (n: number) => [{ filename: 's.cue', text: `package s\n#Version: ${n}` }];
    const built = await c.buildPackage({ id: 'ex.com/schema', files: files(1) });
    expect(built.lookup('#Version').int()).toBe(1n);
    // The resolver would serve other files under the same id: the package is not parsed or evaluated again.
    const v = await c.build([{ filename: 'm.cue', text: 'import "ex.com/schema"\nv: schema.#Version' }], { resolver: { resolve: () => ({ id: 'ex.com/schema', files: files(2) }) } });
    expect(v.lookup('v').int()).toBe(1n);
    expect((await c.buildPackage({ id: 'ex.com/schema', files: files(3) })).lookup('#Version').int()).toBe(1n);
  });

  it('reports an unknown import on use', async () => {
    const v = await ctx.build([{ filename: 'm.cue', text: 'import "nope.com/x"\na: x.y' }]);
    expect(v.lookup('a').err()?.code).toBe('import');
  });

  it('honours @if file tags and @tag injection', () => {
    const src = [
      { filename: 'a.cue', text: '@if(prod)\npackage p\nenv: "prod"' },
      { filename: 'b.cue', text: 'package p\nreplicas: int @tag(n, type=int)' },
    ];
    expect(ctx.compile(src, { tags: { prod: true, n: '3' } }).toJS()).toEqual({ env: 'prod', replicas: 3 });
    expect(ctx.compile(src, { tags: { n: '2' } }).toJS()).toEqual({ replicas: 2 });
  });

  it('rejects @embed fields in compile, which reads no files (embedding: embed.test.ts)', () => {
    expect(() => ctx.compile({ filename: 'e.cue', text: '@extern(embed)\npackage p\nd: {...} @embed(file=a.json)\n' })).toThrow(/@embed: cannot embed files here[^\n]*\n\s+e\.cue:3:10/);
  });

  it('injects @tag into fields at any depth, also in operands of & (Timoni layout), and rejects unknown tags', () => {
    const src = 'c: {y: 1} & {z: string @tag(cz)}\nl: [{w: int @tag(n, type=int)}]\nif true {k: bool @tag(k, type=bool)}\n';
    expect(ctx.compile(src, { tags: { cz: 'hi', n: '3', k: 'true' } }).toJS()).toEqual({ c: { y: 1, z: 'hi' }, l: [{ w: 3 }], k: true });
    expect(() => ctx.compile(src, { tags: { cz: 'hi', nope: '1' } })).toThrow('no tag for "nope"');
  });
});

describe('performance', () => {
  it('evaluates a realistic document quickly and many instances in reasonable time', () => {
    const schema = `
#Container: {
	name: string & =~"^[a-z][a-z0-9-]*$"
	image: string
	ports: [...{containerPort: int & >0 & <65536, protocol: *"TCP" | "UDP"}]
	env: [string]: string
	resources: {cpu: *"100m" | string, memory: *"128Mi" | string}
}
#Release: {
	name: string
	replicas: *1 | int & >=1 & <=10
	tier: *"web" | "worker" | "batch"
	containers: [...#Container]
	let relName = name
	let relTier = tier
	let relReplicas = replicas
	labels: {app: relName, tier: relTier, ...}
	let relLabels = labels
	manifests: [for c in containers {kind: "Deployment", metadata: {name: "\\(relName)-\\(c.name)", labels: relLabels}, spec: {replicas: relReplicas, image: c.image}}]
}
`;
    const t0 = Date.now();
    const one = ctx.compile(schema + 'r: #Release & {name: "app", containers: [{name: "web", image: "nginx", ports: [{containerPort: 80}], env: {A: "1"}}]}');
    expect(one.lookup('r', 'manifests', 0, 'metadata', 'name').string()).toBe('app-web');
    one.toJSON();
    const first = Date.now() - t0;
    expect(first).toBeLessThan(2000);
    let body = schema;
    for (let i = 0; i < 200; i++) body += `r${i}: #Release & {name: "a${i}", replicas: ${(i % 10) + 1}, containers: [{name: "c", image: "img:${i}"}]}\n`;
    const t1 = Date.now();
    const many = ctx.compile(body);
    const data = many.toJS() as Record<string, { manifests: unknown[] }>;
    expect(Object.keys(data)).toHaveLength(200);
    expect(Date.now() - t1).toBeLessThan(20_000);
  });
});

describe('hidden fields across packages', () => {
  it('keeps an imported package\'s hidden fields apart from the importer\'s', async () => {
    const ctx = newContext();
    const resolver = {
      resolve: (path: string) =>
        path === 'mod.test/pkg' ? { id: path, packageName: 'pkg', files: [{ filename: 'pkg/p.cue', text: 'package pkg\n#D: {_val: f: 3, g: _val.f, _#H: 1}\n' }] } : undefined,
    };
    const v = await ctx.build(
      [{ filename: 'main.cue', text: 'package foo\nimport "mod.test/pkg"\nf: pkg.#D & {_val: f: 4}\ng: f._val\nh: f.g\n' }],
      { resolver },
    );
    // The importer's _val and the package's are two fields: no conflict.
    expect(v.lookup('g').toJS()).toEqual({ f: 4 });
    expect(v.lookup('h').toJS()).toBe(3);
    expect(v.lookup('f').err()).toBeUndefined();
    // The package's own references to its hidden fields still work.
    expect(v.lookup('f').fields({ hidden: true, definitions: true }).map((x) => x.label)).toEqual(['_val$(mod.test/pkg)', 'g', '_#H$(mod.test/pkg)', '_val']);
  });
});

