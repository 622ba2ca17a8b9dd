// `cue eval`-style output (toCUE) of a list holding an error: the error's
// comment (`_|_ // msg`) must not swallow the rest of the list, so the output
// still parses and keeps every element. Found by the invariance checker,
// which parses printed values back.
import { describe, expect, it } from 'vitest';
import { newContext } from '../src/engine-index.js';
import { compile } from './eval-helpers.js';

const ctx = newContext();

/** The printed value of x, parsed back: its list elements as printed. */
function printedElements(src: string): string[] {
  const text = compile(src).lookupPath('x').toCUE();
  const f = ctx.parse({ filename: 'out.cue', text: `x: ${text}\n` });
  const d = f.decls[0]!;
  if (d.type !== 'Field' || d.value.type !== 'ListLit') throw new Error(`not a list: ${text}`);
  return d.value.elts.map((e) => e.type);
}

describe('a list with an error element prints as CUE that parses', () => {
  for (const [name, list, types] of [
    ['error first', '[1 & 2, 3]', ['BottomLit', 'BasicLit']],
    ['error in the middle', '[1, 1 & 2, 3]', ['BasicLit', 'BottomLit', 'BasicLit']],
    ['error last', '[1, "a" & 2]', ['BasicLit', 'BottomLit']],
    ['two errors', '[1 & 2, 3 & 4]', ['BottomLit', 'BottomLit']],
  ] as const) {
    it(name, () => {
      expect(printedElements(`x: ${list}`)).toEqual(types);
    });
  }

  it('an open list whose element type is an error', () => {
    expect(printedElements('x: [1, ...(int & string)]')).toEqual(['BasicLit', 'Ellipsis']);
  });

  it('lists without errors still print on one line', () => {
    expect(compile('x: [1, "a // b", 3]').lookupPath('x').toCUE()).toBe('[1, "a // b", 3]');
  });
});
