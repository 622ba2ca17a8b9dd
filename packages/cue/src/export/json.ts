// JSON export with CUE's number formatting (exact ints, floats with a
// fraction or exponent).
import { base64OfByteString } from '../byte-string.js';
import { formatFloat } from '../eval/numbers.js';
import type { Data } from './data.js';

export function dataToJSON(d: Data, indent = 2): string {
  const w = new Writer();
  enc(d, indent, 0, w);
  return w.text();
}

// The text is written as UTF-16 code units into one growing buffer and made a
// string once. Strings made piece by piece (concatenated, or joined from an
// array) cost more than the rest of encoding: an export of a few hundred
// values took ~0.2 ms, a tenth of evaluating the document; JSON.stringify,
// called per string, was most of the rest (see quote).
let spare: Uint16Array | undefined;

class Writer {
  buf: Uint16Array;
  n = 0;
  constructor() {
    this.buf = spare ?? new Uint16Array(4096);
    spare = undefined;
  }
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const b = new Uint16Array(Math.max(this.buf.length * 2, this.n + k));
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }
  ch(c: number): void {
    this.room(1);
    this.buf[this.n++] = c;
  }
  str(s: string): void {
    this.room(s.length);
    const b = this.buf;
    let n = this.n;
    for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i);
    this.n = n;
  }
  /** A newline and the indentation of a nesting level. */
  line(spaces: number): void {
    this.room(spaces + 1);
    const b = this.buf;
    let n = this.n;
    b[n++] = 10;
    for (let i = 0; i < spaces; i++) b[n++] = 32;
    this.n = n;
  }
  /** JSON.stringify(s): most strings (labels, names, image references) need no escape, and a call of JSON.stringify costs several times this scan. */
  quoted(s: string): void {
    const start = this.n;
    this.room(s.length + 2);
    const b = this.buf;
    let n = start;
    b[n++] = 34;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      // What JSON.stringify escapes: control characters, `"`, `\` and lone surrogates (pairs stay, as JSON.stringify leaves them).
      if (c < 0x20 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) {
        this.n = start;
        this.str(JSON.stringify(s));
        return;
      }
      b[n++] = c;
    }
    b[n++] = 34;
    this.n = n;
  }
  text(): string {
    const b = this.buf;
    let s: string;
    const u = utf16Decoder();
    if (u) s = u.decode(b.subarray(0, this.n));
    else {
      s = '';
      // In slices: fromCharCode takes its code units as arguments.
      for (let i = 0; i < this.n; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, Math.min(i + 8192, this.n)) as unknown as number[]);
    }
    // The buffer is kept for the next export unless it grew large.
    if (b.length <= 65536) spare = b;
    return s;
  }
}

// Decoding the buffer as UTF-16 (little-endian, as typed arrays are on
// nearly every machine) is several times faster than String.fromCharCode.
// It would replace a lone surrogate, but none is written unescaped (quoted).
// Made on first use: a UTF-16 decoder is an ICU converter, which every
// process loading the engine paid for at start-up, exporting JSON or not.
let utf16: InstanceType<typeof TextDecoder> | null | undefined;
function utf16Decoder(): InstanceType<typeof TextDecoder> | undefined {
  if (utf16 === undefined) utf16 = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 && typeof TextDecoder === 'function' ? new TextDecoder('utf-16le') : null;
  return utf16 ?? undefined;
}

const COMMA = 44;
const COLON = 58;
const SPACE = 32;

function enc(d: Data, indent: number, depth: number, w: Writer): void {
  switch (d.k) {
    case 'null':
      w.str('null');
      return;
    case 'bool':
      w.str(d.b ? 'true' : 'false');
      return;
    case 'int':
      w.str(d.i.toString());
      return;
    case 'float':
      w.str(formatFloat(d.d));
      return;
    case 'string':
      w.quoted(d.s);
      return;
    case 'bytes':
      w.quoted(base64OfByteString(d.s));
      return;
    case 'list': {
      const items = d.items;
      if (items.length === 0) {
        w.str('[]');
        return;
      }
      for (let i = 0; i < items.length; i++) {
        w.ch(i ? COMMA : 91);
        if (indent) w.line((depth + 1) * indent);
        enc(items[i]!, indent, depth + 1, w);
      }
      if (indent) w.line(depth * indent);
      w.ch(93);
      return;
    }
    case 'struct': {
      const fields = d.fields;
      if (fields.length === 0) {
        w.str('{}');
        return;
      }
      for (let i = 0; i < fields.length; i++) {
        w.ch(i ? COMMA : 123);
        if (indent) w.line((depth + 1) * indent);
        w.quoted(fields[i]![0]);
        w.ch(COLON);
        if (indent) w.ch(SPACE);
        enc(fields[i]![1], indent, depth + 1, w);
      }
      if (indent) w.line(depth * indent);
      w.ch(125);
      return;
    }
  }
}
