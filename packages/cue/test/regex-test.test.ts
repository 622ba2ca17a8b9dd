// regexTester answers like re2js (RE2 semantics) for every pattern and
// string: translated patterns are checked against re2js on generated
// strings and generated patterns.
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { regexTester, toJsRegExp } from '../src/builtins/regex-test.js';

const re2Test = (p: string, s: string) => RE2JS.compile(p).test(s);

// The patterns of the core schema and the catalog examples.
const REAL = [
  '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
  '^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$',
  '^[0-9]+(\\.[0-9]+)?(k|M|G|T|Ki|Mi|Gi|Ti)?$',
  '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$',
  '^[0-9]+(\\.[0-9]+)?m?$',
  '^[^\\s]+$',
  '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
  '^.{12,}$',
  '^[0-9]+(s|m|h|d|w|y)$',
  '^[a-z_][a-z0-9_]{0,62}$',
  '^[0-9]+(\\.[0-9]+)?(Mi|Gi|Ti|M|G|T)$',
  '^#[a-z0-9._-]+$',
  '^(\\S+\\s+){4}\\S+$',
  '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$',
];
// Unbounded repetition of a group holding a repetition: left to re2js (linear time).
const LEFT = ['^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,}$'];

const text = fc.string({ unit: fc.constantFrom(...'az09AZ-_.@/#+ \t\n\r\v\u00a0éMiGk'.split('')), maxLength: 20 });

describe('regexTester', () => {
  it('runs the schema patterns natively and answers as re2js does', () => {
    for (const p of REAL) expect(toJsRegExp(p)?.re, p).toBeInstanceOf(RegExp);
    for (const p of LEFT) expect(toJsRegExp(p), p).toBeUndefined();
    fc.assert(
      fc.property(fc.constantFrom(...REAL, ...LEFT), text, (p, s) => {
        expect((regexTester(p) as { test(s: string): boolean }).test(s)).toBe(re2Test(p, s));
      }),
      { numRuns: 5000 },
    );
  });

  it('answers as re2js for generated patterns, and refuses what re2js rejects', () => {
    const atom = fc.oneof(
      { arbitrary: fc.constantFrom('a', 'b', '.', '\\s', '\\S', '\\d', '\\w', '\\.', '\\-', '[a-c]', '[^ab]', '[-a]', '[a-]', '[\\s.]', '-', 'é'), weight: 8 },
      { arbitrary: fc.constantFrom('[z-a]', '[]', '\\pL', '{', '}', ']', '\\b', '^', '$', '(?i)', '\\'), weight: 1 },
    );
    const quant = fc.oneof(
      { arbitrary: fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?'), weight: 8 },
      { arbitrary: fc.constantFrom('**', '{2000}', '{3,1}'), weight: 1 },
    );
    const piece = fc.tuple(atom, quant).map(([a, q]) => a + q);
    const seq = fc.array(piece, { minLength: 1, maxLength: 4 }).map((xs) => xs.join(''));
    const pattern = fc.oneof(seq, fc.tuple(seq, seq).map(([x, y]) => `${x}|${y}`), fc.tuple(seq, quant, seq).map(([x, q, y]) => `(${x})${q}${y}`), fc.tuple(seq, seq).map(([x, y]) => `^(?:${x})${y}$`));
    let native = 0;
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 5 }), (p, ss) => {
        let re2: RE2JS | undefined;
        try {
          re2 = RE2JS.compile(p);
        } catch {
          re2 = undefined;
        }
        const js = toJsRegExp(p);
        if (!re2) {
          expect(js, p).toBeUndefined();
          expect(regexTester(p)).toBeInstanceOf(Error);
          return;
        }
        if (js) native++;
        for (const s of ss) expect((regexTester(p) as { test(s: string): boolean }).test(s), `${p} on ${JSON.stringify(s)}`).toBe(re2.test(s));
      }),
      { numRuns: 4000 },
    );
    expect(native).toBeGreaterThan(1000);
  });

  it('keeps RE2 meanings that JavaScript spells differently', () => {
    const t = (p: string, s: string) => (regexTester(p) as { test(s: string): boolean }).test(s);
    expect(t('^.$', '\r')).toBe(true); // RE2's . excludes only \n
    expect(t('^.$', '\n')).toBe(false);
    expect(t('^\\s$', '\v')).toBe(false); // RE2's \s is [\t\n\f\r ]
    expect(t('^\\s$', '\u00a0')).toBe(false);
    expect(t('^[^\\s]$', '\u00a0')).toBe(true);
    expect(t('^.$', '😀')).toBe(true); // code points, not UTF-16 units
    expect(t('a$', 'a\n')).toBe(false); // $ is the end of the text
  });

  it('leaves flags, Unicode classes, risky repetitions and long inputs to re2js', () => {
    for (const p of ['(?i)abc', '\\pL+', '(a+)+', '(a|b)*', '(ab|c){2}', 'a*'.repeat(13), '\\x41', '[[:alpha:]]', '\\Qa.b\\E', '\\z', '(?P<n>a)']) expect(toJsRegExp(p), p).toBeUndefined();
    expect((regexTester('(?i)ABC') as { test(s: string): boolean }).test('xabcx')).toBe(true);
    expect((regexTester('^a*$') as { test(s: string): boolean }).test('a'.repeat(10_000))).toBe(true);
    // The longer the input, the fewer repeated atoms a pattern may have to run natively.
    expect(toJsRegExp('^a*$')!.maxInput).toBe(999);
    expect(toJsRegExp('^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$')!.maxInput).toBe(999);
    expect(toJsRegExp('^(\\S+\\s+){4}\\S+$')!.maxInput).toBe(9); // a cron schedule like "0 3 * * *"
    // The worst case allowed: ~1e6 backtracking steps (milliseconds); twice the input would take many seconds.
    const worst = toJsRegExp(`${'a*'.repeat(12)}b`)!;
    expect(worst.maxInput).toBe(7);
    expect(worst.re.test('a'.repeat(worst.maxInput))).toBe(false);
    expect((regexTester('(') as Error).message).toContain('invalid regexp "("');
  });
});
