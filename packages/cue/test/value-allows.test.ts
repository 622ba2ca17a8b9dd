// Value.allows answers as CUE's Vertex.Accept does (closed.ts vertexAccepts):
// looser than the typo check of evaluation. A `...` in any literal of the
// struct accepts every label; each pattern alone accepts what it matches;
// ANY_STRING is allowed only by an open struct or a `string`/`_` pattern.
import { describe, expect, it } from 'vitest';
import { ANY_STRING, newContext } from '../src/engine-index.js';

const v = newContext().compile(`
op: {x: int}
ot: {x: int, ...}
cp: close({x: int})
otcp: ot & cp
opcp: op & cp
#A: {[=~"^[a-c]+$"]: int}
#B: {[=~"^[b-d]+$"]: int}
ab: #A & #B
#S: {[string]: int}
#E: {#O, a: b: string}
#O: {...}
`);

describe('Value.allows', () => {
  it('a literal with ... among the conjuncts accepts any label, although evaluation still checks fields', () => {
    expect(v.lookup('otcp').allows(ANY_STRING)).toBe(true);
    expect(v.lookup('otcp').allows('y')).toBe(true);
    expect(v.lookup('opcp').allows(ANY_STRING)).toBe(false);
    expect(v.lookup('opcp').allows('y')).toBe(false);
    expect(v.lookup('opcp').allows('x')).toBe(true);
    expect(v.lookup('#E').allows(ANY_STRING)).toBe(true);
  });

  it('each pattern alone accepts what it matches; ANY_STRING only a string pattern', () => {
    expect(v.lookup('ab').allows('a')).toBe(true);
    expect(v.lookup('ab').allows('d')).toBe(true);
    expect(v.lookup('ab').allows('e')).toBe(false);
    expect(v.lookup('ab').allows(ANY_STRING)).toBe(false);
    expect(v.lookup('#S').allows(ANY_STRING)).toBe(true);
    expect(v.lookup('cp').allows(ANY_STRING)).toBe(false);
    expect(v.lookup('op').allows(ANY_STRING)).toBe(true);
  });
});
