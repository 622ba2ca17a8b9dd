// Package encoding/json. Marshal writes fields in CUE order and numbers as
// CUE prints them; Unmarshal keeps ints as bigint and floats as Decimal (a
// JSON number with a fraction or exponent is a CUE float).
import { Decimal } from 'decimal.js';
import { BuiltinError, type Arg, type BuiltinPackage, type Concrete, type CStruct } from './types.js';
import { fail, fn, formatFloat, isDecimal, isOpaque, list, str } from './common.js';
import { base64Encode } from './encoding.js';

// ---- scanning ----

type Tok =
  | { t: 'punct'; v: '{' | '}' | '[' | ']' | ':' | ',' }
  | { t: 'string'; raw: string; v: string }
  | { t: 'number'; raw: string }
  | { t: 'lit'; raw: 'true' | 'false' | 'null' };

class JSONSyntaxError extends Error {}

const NUM_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WS = new Set([' ', '\t', '\n', '\r']);

/** Tokenizes JSON text; throws JSONSyntaxError on a lexical error. */
function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (WS.has(c)) {
      i++;
      continue;
    }
    if ('{}[]:,'.includes(c)) {
      toks.push({ t: 'punct', v: c as '{' });
      i++;
      continue;
    }
    if (c === '"') {
      const start = i;
      i++;
      let v = '';
      for (;;) {
        if (i >= src.length) throw new JSONSyntaxError('unexpected end of JSON input');
        const d = src[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d.charCodeAt(0) < 0x20) throw new JSONSyntaxError('invalid character in string literal');
        if (d === '\\') {
          const e = src[i + 1];
          const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e !== undefined && simple[e] !== undefined) {
            v += simple[e];
            i += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            let cu = parseInt(src.slice(i + 2, i + 6), 16);
            i += 6;
            // Pair surrogates; a lone surrogate becomes U+FFFD as in Go.
            if (cu >= 0xd800 && cu < 0xdc00 && src[i] === '\\' && src[i + 1] === 'u' && /^[dD][c-fC-F][0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 6))) {
              const lo = parseInt(src.slice(i + 2, i + 6), 16);
              v += String.fromCharCode(cu, lo);
              i += 6;
              continue;
            }
            if (cu >= 0xd800 && cu <= 0xdfff) cu = 0xfffd;
            v += String.fromCharCode(cu);
          } else throw new JSONSyntaxError('invalid escape in string literal');
          continue;
        }
        v += d;
        i++;
      }
      toks.push({ t: 'string', raw: src.slice(start, i), v });
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUM_RE.lastIndex = i;
      const m = NUM_RE.exec(src);
      if (!m) throw new JSONSyntaxError('invalid number literal');
      i += m[0].length;
      toks.push({ t: 'number', raw: m[0] });
      continue;
    }
    const lit = ['true', 'false', 'null'].find((l) => src.startsWith(l, i));
    if (lit) {
      toks.push({ t: 'lit', raw: lit as 'true' });
      i += lit.length;
      continue;
    }
    throw new JSONSyntaxError(`invalid character '${c}' looking for beginning of value`);
  }
  return toks;
}

/** Parses one value starting at toks[pos]; returns the value and the next position. */
function parseValue(toks: Tok[], pos: number): [Concrete, number] {
  const tk = toks[pos];
  if (!tk) throw new JSONSyntaxError('unexpected end of JSON input');
  switch (tk.t) {
    case 'string':
      return [tk.v, pos + 1];
    case 'number':
      return [numberValue(tk.raw), pos + 1];
    case 'lit':
      return [tk.raw === 'null' ? null : tk.raw === 'true', pos + 1];
  }
  if (tk.v === '[') {
    const out: Concrete[] = [];
    pos++;
    if (toks[pos]?.t === 'punct' && (toks[pos] as { v: string }).v === ']') return [out, pos + 1];
    for (;;) {
      const [v, p] = parseValue(toks, pos);
      out.push(v);
      const sep = toks[p];
      if (sep?.t !== 'punct') throw new JSONSyntaxError('expected , or ]');
      if (sep.v === ']') return [out, p + 1];
      if (sep.v !== ',') throw new JSONSyntaxError('expected , or ]');
      pos = p + 1;
    }
  }
  if (tk.v === '{') {
    const out: CStruct = new Map();
    pos++;
    if (toks[pos]?.t === 'punct' && (toks[pos] as { v: string }).v === '}') return [out, pos + 1];
    for (;;) {
      const k = toks[pos];
      if (k?.t !== 'string') throw new JSONSyntaxError('expected string key');
      const colon = toks[pos + 1];
      if (colon?.t !== 'punct' || colon.v !== ':') throw new JSONSyntaxError('expected :');
      const [v, p] = parseValue(toks, pos + 2);
      // Duplicate keys unify in CUE; equal values are fine, different ones conflict.
      if (out.has(k.v) && !sameJSON(out.get(k.v)!, v)) throw new BuiltinError(`conflicting values for field ${JSON.stringify(k.v)}`);
      out.set(k.v, v);
      const sep = toks[p];
      if (sep?.t !== 'punct') throw new JSONSyntaxError('expected , or }');
      if (sep.v === '}') return [out, p + 1];
      if (sep.v !== ',') throw new JSONSyntaxError('expected , or }');
      pos = p + 1;
    }
  }
  throw new JSONSyntaxError(`invalid character '${tk.v}' looking for beginning of value`);
}

function sameJSON(a: Concrete, b: Concrete): boolean {
  return marshal(a) === marshal(b);
}

function numberValue(raw: string): bigint | Decimal {
  if (/^-?\d+$/.test(raw)) return BigInt(raw);
  return new Decimal(raw);
}

/** Parses a stream of JSON values. */
function parseStream(src: string): Concrete[] {
  const toks = tokenize(src);
  const out: Concrete[] = [];
  let pos = 0;
  while (pos < toks.length) {
    const [v, p] = parseValue(toks, pos);
    out.push(v);
    pos = p;
  }
  return out;
}

/** Parses exactly one JSON value; CUE reports any error as "json: invalid JSON". */
export function parseJSON(src: string): Concrete {
  try {
    const toks = tokenize(src);
    const [v, p] = parseValue(toks, 0);
    if (p !== toks.length) throw new JSONSyntaxError('invalid character after top-level value');
    return v;
  } catch (e) {
    if (e instanceof JSONSyntaxError) fail('json: invalid JSON');
    throw e;
  }
}

function valid(src: string): boolean {
  try {
    const toks = tokenize(src);
    const [, p] = parseValue(toks, 0);
    return p === toks.length;
  } catch {
    return false;
  }
}

// ---- writing ----

/** Go's encoding/json string encoding without HTML escaping (CUE's json.Marshal). */
export function jsonString(s: string, escapeHTML = false): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    switch (c) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
    }
    if (code < 0x20 || (escapeHTML && (c === '<' || c === '>' || c === '&'))) {
      out += '\\u00' + code.toString(16).padStart(2, '0');
      continue;
    }
    if (code === 0x2028 || code === 0x2029) {
      out += '\\u' + code.toString(16);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      // Keep valid pairs; lone surrogates are invalid UTF-8 and become U+FFFD.
      const next = s.charCodeAt(i + 1);
      if (code < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else out += '\ufffd';
      continue;
    }
    out += c;
  }
  return out + '"';
}

/** Marshals a concrete value to compact JSON. Non-concrete values cannot be marshaled. */
export function marshal(v: Arg): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'bigint') return v.toString();
  if (isDecimal(v)) return formatFloat(v);
  if (v instanceof Uint8Array) return '"' + base64Encode(v) + '"';
  if (Array.isArray(v)) return '[' + v.map((e) => marshal(e)).join(',') + ']';
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, e] of v) parts.push(jsonString(k) + ':' + marshal(e));
    return '{' + parts.join(',') + '}';
  }
  if (isOpaque(v)) throw new BuiltinError('cannot convert incomplete value to JSON', { code: 'incomplete' });
  return fail('cannot convert value to JSON');
}

function compact(src: string): string {
  const toks = checkedTokens(src);
  return toks.map((t) => (t.t === 'punct' ? t.v : t.raw)).join('');
}

/** Tokens of one valid JSON value (Compact/Indent reject invalid input like Go). */
function checkedTokens(src: string): Tok[] {
  let toks: Tok[];
  try {
    toks = tokenize(src);
    const [, p] = parseValue(toks, 0);
    if (p !== toks.length) throw new JSONSyntaxError('invalid character after top-level value');
  } catch (e) {
    if (e instanceof JSONSyntaxError) fail(e.message);
    throw e;
  }
  return toks;
}

/** Go's json.Indent: newline+prefix+indent per level; empty arrays and objects stay compact. */
function indent(src: string, prefix: string, ind: string): string {
  const toks = checkedTokens(src);
  let out = '';
  let depth = 0;
  const nl = () => '\n' + prefix + ind.repeat(depth);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.t !== 'punct') {
      out += t.raw;
      continue;
    }
    switch (t.v) {
      case '{':
      case '[': {
        const next = toks[i + 1];
        if (next?.t === 'punct' && (next.v === '}' || next.v === ']')) {
          out += t.v + next.v;
          i++;
          break;
        }
        depth++;
        out += t.v + nl();
        break;
      }
      case '}':
      case ']':
        depth--;
        out += nl() + t.v;
        break;
      case ',':
        out += ',' + nl();
        break;
      case ':':
        out += ': ';
        break;
    }
  }
  return out;
}

/** Go's json.HTMLEscape: escapes <, >, & and U+2028/U+2029 anywhere in the text. */
function htmlEscape(src: string): string {
  return src.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Validates each decoded value; the first failure's message becomes the call's error. */
export function validateAll(values: Concrete[], validate: (v: Concrete) => string | undefined): boolean {
  for (const v of values) {
    const err = validate(v);
    if (err !== undefined) fail(err);
  }
  return true;
}

export const jsonPackage: BuiltinPackage = {
  path: 'encoding/json',
  funcs: {
    Valid: fn(['stringOrBytes'], ([d]) => valid(str(d)), { validator: true }),
    Compact: fn(['stringOrBytes'], ([d]) => compact(str(d))),
    Indent: fn(['stringOrBytes', 'string', 'string'], ([d, p, i]) => indent(str(d), str(p), str(i))),
    HTMLEscape: fn(['stringOrBytes'], ([d]) => htmlEscape(str(d))),
    Marshal: fn(['any'], ([v]) => marshal(v!)),
    MarshalStream: fn(['list'], ([l]) => list(l).map((v) => marshal(v) + '\n').join('')),
    Unmarshal: fn(['stringOrBytes'], ([d]) => parseJSON(str(d))),
    UnmarshalStream: fn(['stringOrBytes'], ([d]) => {
      try {
        return parseStream(str(d));
      } catch (e) {
        if (e instanceof JSONSyntaxError) fail('json: invalid JSON');
        throw e;
      }
    }),
    // Validate(data, schema): data must parse and unify with schema.
    Validate: fn(
      ['stringOrBytes', 'value'],
      ([d, schema], ctx) => {
        const v = parseJSON(str(d));
        const opaque = isOpaque(schema) ? schema : ctx.toOpaque(schema as Concrete);
        return validateAll([v], (x) => ctx.validate(x, opaque));
      },
      { validator: true },
    ),
  },
};
