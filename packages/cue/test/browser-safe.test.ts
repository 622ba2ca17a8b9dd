// What the engine needs in a browser: bytes without Node's Buffer
// (byte-string.ts), and printed constraints that say what a list's elements
// and a map's values must be (a form is generated from them).
import { describe, expect, it } from 'vitest';
import { base64OfByteString, byteStringOf, bytesOfByteString } from '../src/byte-string.js';
import { newContext } from '../src/index.js';

describe('byte strings', () => {
  it('round-trip every byte and encode as standard base64', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const s = byteStringOf(all);
    expect(s.length).toBe(256);
    expect([...bytesOfByteString(s)]).toEqual([...all]);
    expect(base64OfByteString(s)).toBe(Buffer.from(all).toString('base64'));
    // Longer than one String.fromCharCode slice.
    const big = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
    expect([...bytesOfByteString(byteStringOf(big))]).toEqual([...big]);
  });

  it('bytes values, len() and interpolated invalid UTF-8 evaluate as before', () => {
    const v = newContext().compile(`b: '\\x00\\xffhi'\nn: len("é€😀")\ns: "\\('\\xef\\xbb\\xbfa\\xff\\xfeb')"\nl: len('\\xff\\x00')`);
    expect(v.lookup('b').toJSON()).toBe(JSON.stringify(Buffer.from([0, 255, 104, 105]).toString('base64')));
    expect([...(v.lookup('b').toJS() as Uint8Array)]).toEqual([0, 255, 104, 105]);
    expect(v.lookup('n').toJS()).toBe(Buffer.byteLength('é€😀'));
    // The BOM is kept; each run of invalid bytes is one U+FFFD.
    expect(v.lookup('s').toJS()).toBe('\uFEFFa\uFFFDb');
    expect(v.lookup('l').toJS()).toBe(2);
  });
});

describe('printed constraints of lists and maps', () => {
  const v = newContext().compile('#E: string & =~"^a"\nx: [...#E] | *["ab"]\ny: [...int]\nz: {[string]: int & >0}\nr: [1, ...]\ns: [...]');
  it('a list prints its element constraint, evaluated', () => {
    expect(v.lookup('x').toCUE()).toBe('[...=~"^a"] | *["ab"]');
    expect(v.lookup('y').toCUE()).toBe('[...int]');
    expect(v.lookup('r').toCUE()).toBe('[1, ...]');
    expect(v.lookup('s').toCUE()).toBe('[...]');
  });
  it('a struct prints its pattern constraints, and printing changes nothing', () => {
    expect(v.lookup('z').toCUE()).toBe('[string]: int & >0');
    expect(v.lookup('z').unify(newContext().encode({ a: 1 })).toJS()).toEqual({ a: 1 });
    expect(v.lookup('z').unify(newContext().encode({ a: 0 })).validate().length).toBe(1);
    expect(v.lookup('y').unify(newContext().encode([1, 2])).toJS()).toEqual([1, 2]);
  });
});
