import { afterEach, describe, expect, it } from 'vitest';
import { defaultLimits, newContext, parseFile, setLimits, type Source } from '../src/index.js';

// matchN keeps the results of the checks made while a matching is open, by
// call (its position in the syntax tree) and value, and forgets them when the
// outermost matching ends. An evaluation abandoned midway (an exceeded limit
// throws) must forget them too: a long-lived process (operator, portal)
// evaluates the same parsed files again with other values.
const schemaText = 'package p\n#S: matchN(1, [{n!: int, next?: #S}, {leaf!: T}])\nx: #S & {n: 1, next: {n: 2, next: {leaf: 1}}}\n';
const schema: Source = { filename: 'schema.cue', text: schemaText, parsed: (() => { const f = parseFile('schema.cue', schemaText); return () => f; })() };
const withT = (t: string): Source[] => [schema, { filename: 't.cue', text: `package p\nT: ${t}\n` }];

afterEach(() => setLimits(defaultLimits));

describe('matchN after an abandoned evaluation', () => {
  it('checks the same call afresh, whatever point the previous evaluation stopped at', () => {
    expect(() => newContext().compile(withT('string')).lookupPath('x').toJSChecked()).toThrow('does not satisfy matchN');
    let aborted = 0;
    for (let work = 20; work < 2000; work += 7) {
      setLimits({ maxWork: work });
      let done = false;
      try {
        newContext().compile(withT('int')).lookupPath('x').toJSChecked();
        done = true;
      } catch (err) {
        if (!String(err).includes('work limit')) throw err;
        aborted++;
      }
      setLimits(defaultLimits);
      expect(() => newContext().compile(withT('string')).lookupPath('x').toJSChecked(), `after stopping at ${work} steps`).toThrow('does not satisfy matchN');
      if (done) break;
    }
    expect(aborted).toBeGreaterThan(0);
  });
});
