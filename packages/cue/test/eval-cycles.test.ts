// Reference cycles, structural cycles and self references (cycle/ in the conformance corpus).
import { describe, expect, it } from 'vitest';
import { newContext } from '../src/engine-index.js';
import type { Value } from '../src/api.js';

const ctx = newContext();

function compile(src: string): Value {
  return ctx.compile({ filename: 'in.cue', text: src });
}

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
