// Value.patterns lists a struct's pattern constraints as CUE prints their
// labels. Core names them in messages and asks whether a values schema has any
// (core/src/value-patterns.ts), so they come from the evaluated struct itself,
// never from re-reading printed text.
import { describe, expect, it } from 'vitest';
import { newContext } from '../src/engine-index.js';

const v = newContext().compile(`
#S: {[string]: int, a: 1}
aliased: {X=[N=string]: {name: N}}
bracket: {[=~"^[a-z]]x$"]: int, [=~"^y"]: string}
nested: {a: {[string]: int}}
both: {[string]: int} & {[=~"^x"]: 1}
disj: {[string]: int, a: 1} | {[=~"^x"]: 1, b: 2}
list: [...int]
scalar: 1
plain: {a: 1}
`);

describe('Value.patterns', () => {
  it("gives each pattern constraint's label as CUE prints it", () => {
    expect(v.lookup('#S').patterns()).toEqual(['[string]']);
    expect(v.lookup('both').patterns()).toEqual(['[string]', '[=~"^x"]']);
  });
  it('leaves aliases out and keeps a ] inside a regular expression', () => {
    expect(v.lookup('aliased').patterns()).toEqual(['[string]']);
    expect(v.lookup('bracket').patterns()).toEqual(['[=~"^[a-z]]x$"]', '[=~"^y"]']);
  });
  it('only the struct itself: not its fields, and nothing for lists, scalars, disjunctions or plain structs', () => {
    expect(v.lookup('nested').patterns()).toEqual([]);
    expect(v.lookup('nested', 'a').patterns()).toEqual(['[string]']);
    for (const p of ['disj', 'list', 'scalar', 'plain', 'missing']) expect(v.lookup(p).patterns()).toEqual([]);
  });
});
