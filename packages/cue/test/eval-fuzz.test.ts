import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newContext } from '../src/engine-index.js';
import { CueError, CueErrorList } from '../src/errors.js';

// Random, often ill-formed or cyclic CUE from a small grammar: evaluating and
// exporting it must end with a value or a CueError, never a crash or a hang.
const ident = fc.constantFrom('a', 'b', 'c', 'x', '#D', '_h', 'a.b', 'c[0]', 'x.y.z');
const atom = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constantFrom('1.5', '"s"', "'b'", 'true', 'null', '_', '_|_', 'int', 'string', 'number', '>=1', '<3', '!=2', '=~"^a"', '[...int]'),
  ident,
);

const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('e'), fc.constantFrom('&', '|', '+', '-', '*', '/', '==', '!=', '<', '&&', '=~'), tie('e')).map(([l, op, r]) => `(${l} ${op} ${r})`),
    fc.tuple(fc.constantFrom('-', '!', '*', '>=', '<'), tie('e')).map(([op, x]) => `${op}(${x})`),
    fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c?', 'd!', '#D', '_h', '[string]', '"q"', '(x)'), tie('e')), { maxLength: 3 }).map(
      (fs) => `{${fs.map(([l, v]) => `${l}: ${v}`).join(', ')}}`,
    ),
    fc.tuple(tie('e'), fc.boolean()).map(([x, open]) => `{${x}${open ? ', ...' : ''}}`),
    fc.array(tie('e'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.tuple(tie('e'), tie('e')).map(([s, v]) => `[for k, v in ${s} {${v}}]`),
    fc.tuple(tie('e'), tie('e')).map(([s, v]) => `{for k, v in ${s} {"\\(k)": ${v}}}`),
    fc.tuple(tie('e'), tie('e')).map(([c, v]) => `{if ${c} {a: ${v}}}`),
    fc.tuple(fc.constantFrom('len', 'close', 'and', 'or', 'div', 'strings.ToUpper', 'list.Concat'), tie('e')).map(([f, x]) => `${f}(${x})`),
    tie('e').map((x) => `"i\\(${x})"`),
    tie('e').map((x) => `(${x}).a`),
  ),
})).e;

const program = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'x', '#D', '_h', 'a: b', 'x: y'), expr), { minLength: 1, maxLength: 5 }).map(
  (fs) => `import ("strings"\n"list")\n${fs.map(([l, v]) => `${l}: ${v}`).join('\n')}\n`,
);

describe('evaluator robustness', () => {
  it('never crashes or hangs on random programs', () => {
    const ctx = newContext();
    fc.assert(
      fc.property(program, (src) => {
        const t0 = Date.now();
        try {
          const v = ctx.compile({ filename: 'f.cue', text: src });
          v.toCUE({ definitions: true, optional: true, hidden: true });
          v.validate({ concrete: true });
          for (const f of v.fields({ definitions: true, hidden: true, optional: true })) {
            f.value.kind();
            f.value.default().isConcrete();
          }
          try {
            v.toJSON();
            v.toYAML();
          } catch (e) {
            if (!(e instanceof CueErrorList)) throw e;
          }
        } catch (e) {
          if (!(e instanceof CueErrorList) && !(e instanceof CueError)) {
            throw new Error(`non-CUE exception for:\n${src}\n${(e as Error).stack}`);
          }
        }
        expect(Date.now() - t0).toBeLessThan(15_000);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 250), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261124 },
    );
  }, 120_000);
});
