// YAML of rendered manifests: the text of the `yaml` library's
// stringify(value, { lineWidth: 0 }) with every string a YAML 1.1 or 1.2
// reader would take for another type double-quoted (yaml-types.ts), written
// directly for the common case of plain JSON-like data (maps, lists,
// printable ASCII strings, numbers).
// In a cold `opm release build` the library's general emitter (documents,
// nodes, options, folding) runs once per object before it is compiled and
// was ~5% of the run; this one is a few small functions. Anything it does
// not handle exactly as the library would (multi-line or non-ASCII strings,
// keys needing quotes it cannot write, shared objects, which the library
// writes as anchors) sends the whole value to the library.
import { Document, visit } from 'yaml';
import { escapeC1 } from './terminal.js';
import { resolvesToNonString } from './yaml-types.js';

const NOT_PLAIN = Symbol('not plain');

/** YAML that YAML 1.1 and 1.2 readers both read back as `value`; faster for plain JSON-like data. */
export function toYaml(value: unknown): string {
  return plainYaml(value) ?? libraryYaml(value);
}

const BLANK_LINE = /(?:^|\n)[ \t]+(?:\n|$)/;

/** The `yaml` library's stringify(value, { lineWidth: 0 }), with strings that would resolve to another type quoted. */
export function libraryYaml(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      // The library writes a line of blanks in a block scalar so that readers drop the blanks: quote those.
      if (resolvesToNonString(node.value) || BLANK_LINE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return escapeC1(doc.toString({ lineWidth: 0 }));
}

/** The YAML of plain JSON-like data; undefined for anything else. */
export function plainYaml(value: unknown): string | undefined {
  try {
    return new PlainYaml().document(value);
  } catch (e) {
    if (e !== NOT_PLAIN) throw e;
    return undefined;
  }
}

// What the library's plain-scalar writer refuses (leading indicators, ': ', ' #', trailing space or colon)...
const INDICATORS = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// ...and document markers, which it handles by position.
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

class PlainYaml {
  private readonly seen = new Set<object>();

  document(value: unknown): string {
    if (!isPlainObject(value)) throw NOT_PLAIN;
    const body = this.map(value, '');
    return body === '' ? '{}\n' : `${body}\n`;
  }

  /** Lines of a map ('' when it has no entries), the first without its indentation (the caller writes it, or "- "). */
  private map(obj: Record<string, unknown>, indent: string): string {
    this.enter(obj);
    let out = '';
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (v === undefined) continue;
      const k = scalarString(key);
      if (k.length > 1024) throw NOT_PLAIN; // the library writes long keys as explicit "? " keys
      out += `${out === '' ? '' : `\n${indent}`}${k}:${this.valueAfter(v, indent)}`;
    }
    return out;
  }

  /** Lines of a list ('' when empty), the first without its indentation. */
  private seq(list: unknown[], indent: string): string {
    this.enter(list);
    let out = '';
    for (let i = 0; i < list.length; i++) {
      if (!(i in list) || list[i] === undefined) throw NOT_PLAIN;
      out += `${i === 0 ? '' : `\n${indent}`}-${this.item(list[i], `${indent}  `)}`;
    }
    return out;
  }

  /** A map value after "key:": a scalar on the same line, a collection indented below. */
  private valueAfter(v: unknown, indent: string): string {
    if (isPlainObject(v)) {
      const body = this.map(v, `${indent}  `);
      return body === '' ? ' {}' : `\n${indent}  ${body}`;
    }
    if (Array.isArray(v)) {
      const body = this.seq(v, `${indent}  `);
      return body === '' ? ' []' : `\n${indent}  ${body}`;
    }
    return ` ${scalar(v)}`;
  }

  /** A list item after "-": a collection starts on the same line. */
  private item(v: unknown, indent: string): string {
    if (isPlainObject(v)) return ` ${this.map(v, indent) || '{}'}`;
    if (Array.isArray(v)) return ` ${this.seq(v, indent) || '[]'}`;
    return ` ${scalar(v)}`;
  }

  /** The library writes an object met twice as an anchor and aliases, which this writer leaves to it. */
  private enter(o: object): void {
    if (this.seen.has(o)) throw NOT_PLAIN;
    this.seen.add(o);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function scalar(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return scalarString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return String(v);
    case 'number':
      if (!Number.isFinite(v) || Object.is(v, -0)) throw NOT_PLAIN;
      return JSON.stringify(v);
    default:
      if (v === null) return 'null';
      throw NOT_PLAIN;
  }
}

// Most manifest strings (names, label keys, image references) are words: one test, then the few
// words a reader resolves to another type (null, on, no, y, ...).
const WORD = /^[A-Za-z_/][\w./-]*$/;

function scalarString(s: string): string {
  if (WORD.test(s)) return resolvesToNonString(s) ? `"${s}"` : s;
  if (!PRINTABLE_ASCII.test(s) || DOCUMENT_MARKER.test(s)) throw NOT_PLAIN;
  if (!INDICATORS.test(s) && !resolvesToNonString(s)) return s;
  // Quoted: double quotes, as JSON writes printable ASCII, unless the library would pick single quotes or escapes.
  if (s.includes('"') || s.includes('\\')) throw NOT_PLAIN;
  return `"${s}"`;
}
