// JSON export writes its text into a code-unit buffer with its own string
// quoting (src/export/json.ts): it must print exactly what JSON.stringify
// prints for the same plain data, for any string (escapes, non-ASCII,
// surrogate pairs and lone surrogates) and any size.
import { describe, expect, it } from 'vitest';
import { dataToJSON } from '../src/export/json.js';
import type { Data } from '../src/export/data.js';

const pieces = ['a', 'Z', '"', '\\', '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', '€', '\u2028', '\ud83d\ude00', '\ud83d', '\ude00', ' ', '/'];

/** A deterministic pseudo-random generator (no flaky inputs). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function gen(r: () => number, depth: number): [Data, unknown] {
  const str = (): string => Array.from({ length: Math.floor(r() * 6) }, () => pieces[Math.floor(r() * pieces.length)]!).join('');
  const x = r();
  if (depth > 3 || x < 0.4) {
    const t = Math.floor(r() * 4);
    if (t === 0) return [{ k: 'null' }, null];
    if (t === 1) return [{ k: 'bool', b: x < 0.2 }, x < 0.2];
    if (t === 2) {
      const i = Math.floor(r() * 1e6) - 5e5;
      return [{ k: 'int', i: BigInt(i) }, i];
    }
    const s = str();
    return [{ k: 'string', s }, s];
  }
  const n = Math.floor(r() * 4);
  if (x < 0.7) {
    const items = Array.from({ length: n }, () => gen(r, depth + 1));
    return [{ k: 'list', items: items.map((p) => p[0]) }, items.map((p) => p[1])];
  }
  // Distinct keys: a JS object keeps one of each.
  const fields = Array.from({ length: n }, (_, i) => [`${str()}#${i}`, gen(r, depth + 1)] as const);
  return [{ k: 'struct', fields: fields.map(([k, p]) => [k, p[0]]) }, Object.fromEntries(fields.map(([k, p]) => [k, p[1]]))];
}

describe('dataToJSON', () => {
  it('prints what JSON.stringify prints, at every indentation', () => {
    const r = rng(13);
    for (let i = 0; i < 3000; i++) {
      const [d, plain] = gen(r, 0);
      for (const indent of [0, 2, 3]) expect(dataToJSON(d, indent)).toBe(JSON.stringify(plain, null, indent));
    }
  });

  it('prints large documents whole, and the next one without leftovers', () => {
    const strings = Array.from({ length: 30_000 }, (_, i) => `value-${i}${i % 7 ? '' : 'é\ud83d\ude00"'}`);
    const d: Data = { k: 'list', items: strings.map((s) => ({ k: 'string', s })) };
    const out = dataToJSON(d);
    expect(out.length).toBeGreaterThan(65_536);
    expect(out).toBe(JSON.stringify(strings, null, 2));
    expect(dataToJSON({ k: 'struct', fields: [['a', { k: 'bool', b: true }]] })).toBe('{\n  "a": true\n}');
    expect(dataToJSON({ k: 'list', items: [] }, 0)).toBe('[]');
  });
});
