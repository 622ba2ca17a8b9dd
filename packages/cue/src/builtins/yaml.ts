// Package encoding/yaml. Parsing uses the `yaml` package for syntax, but plain
// scalars are resolved with go-yaml v3's rules (which CUE uses): ints with
// 0x/0o/0b prefixes and underscores, YAML-1.1 style booleans stay strings,
// timestamps stay strings. Marshal is a small block-style emitter producing
// go-yaml v3 output (2-space indent, quoting strings that would not read back
// as strings, literal blocks for multi-line strings).
import { Decimal } from 'decimal.js';
import { parseAllDocuments, isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node as YNode } from 'yaml';
import { BuiltinError, type Arg, type BuiltinPackage, type Concrete, type CStruct } from './types.js';
import { fail, fn, formatFloat, isDecimal, isOpaque, list, str } from './common.js';
import { base64Encode } from './encoding.js';
import { validateAll } from './json.js';
import { grow } from '../eval/limits.js';

// ---- resolving plain scalars (go-yaml v3) ----

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
const OLD_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const SPECIAL_FLOATS = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN']);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** go-yaml's strconv.ParseInt(s, 0, 64)-like reading of an int literal (underscores removed); undefined if not an int. */
function parseYAMLInt(s: string): bigint | undefined {
  const plain = s.replace(/_/g, '');
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(plain);
  if (!m) return undefined;
  let body = m[2]!;
  if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1); // legacy octal
  const mag = BigInt(body.replace(/^0([XOB])/, (_, c: string) => '0' + c.toLowerCase()));
  const v = m[1] === '-' ? -mag : mag;
  // go-yaml resolves ints through ParseInt/ParseUint: beyond [-2^63, 2^64) it is not an int.
  if (v < -(1n << 63n) || v >= 1n << 64n) return undefined;
  return v;
}

/** Resolves a plain scalar to a CUE value. Special floats (.inf, .nan) cannot be represented. */
function resolvePlain(s: string): Concrete {
  if (NULLS.has(s)) return null;
  if (TRUES.has(s)) return true;
  if (FALSES.has(s)) return false;
  const i = parseYAMLInt(s);
  if (i !== undefined) return i;
  const plain = s.replace(/_/g, '');
  if (YAML_FLOAT.test(plain)) return new Decimal(plain.replace(/\.$/, '.0').replace(/\.([eE])/, '.0$1'));
  if (SPECIAL_FLOATS.has(s)) fail(`cannot convert YAML value ${s} to CUE: not a finite number`);
  return s;
}

// ---- decoding ----

/**
 * `<<` merges only as a plain untagged key: quoted, it is the
 * string "<<", which is how Marshal writes a field of that name.
 */
function isMergeKey(n: unknown): boolean {
  if (!isScalar(n) || n.type !== Scalar.PLAIN) return false;
  return n.tag === undefined || n.tag === null;
}

function scalarKey(n: unknown, doc: Document): string {
  const v = toValue(n, doc);
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (isDecimal(v)) return formatFloat(v);
  return fail('invalid map key: only scalar keys are supported');
}

function toValue(n: unknown, doc: Document): Concrete {
  if (n === null || n === undefined) return null;
  // Every node decoded counts against the evaluation's size budget, aliases expanded included.
  grow();
  if (isAlias(n)) return toValue(n.resolve(doc), doc);
  if (isScalar(n)) {
    const tag = n.tag;
    if (n.type === Scalar.PLAIN && (tag === undefined || tag === null)) return resolvePlain(String(n.source ?? n.value ?? ''));
    if (tag === 'tag:yaml.org,2002:binary' && typeof n.value === 'object') return n.value as Uint8Array;
    if (n.type === Scalar.PLAIN && tag !== undefined) {
      // An explicit tag: let the yaml package's value decide, normalising numbers.
      const v = n.value;
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') return Number.isInteger(v) && !String(n.source).includes('.') ? BigInt(v) : new Decimal(String(n.source ?? v));
      if (typeof v === 'boolean' || v === null) return v;
      return String(v);
    }
    return String(n.value ?? '');
  }
  if (isMap(n)) {
    const out: CStruct = new Map();
    for (const item of n.items) {
      if (!isPair(item)) continue;
      const key = scalarKey(item.key, doc);
      if (key === '<<' && isMergeKey(item.key)) {
        // Merge keys: fields of the merged map(s) that are not set explicitly.
        const merged = toValue(item.value, doc);
        const maps = Array.isArray(merged) ? merged : [merged];
        if (!maps.every((m) => m instanceof Map)) fail('map merge requires map or sequence of maps as the value');
        for (const m of maps as CStruct[]) for (const [k, v] of m) if (!out.has(k)) out.set(k, v);
        continue;
      }
      out.set(key, toValue(item.value, doc));
    }
    return out;
  }
  if (isSeq(n)) return n.items.map((e) => toValue(e, doc));
  return fail('unsupported YAML node');
}

export function decodeDocs(src: string): Concrete[] {
  const docs = parseAllDocuments(src, { version: '1.2', intAsBigInt: true, uniqueKeys: true, merge: false, strict: false });
  const list = Array.isArray(docs) ? docs : [];
  const out: Concrete[] = [];
  for (const d of list) {
    if (d.errors.length > 0) fail(yamlError(d.errors[0]!));
    if (src.includes('*')) checkAliases(d as Document);
    out.push(toValue(d.contents as YNode | null, d as Document));
  }
  return out;
}

/**
 * An alias bomb (anchors aliased over and over, each expansion doubling the
 * data) is refused as the yaml library refuses it: by its alias limit
 * (maxAliasCount, the library's default), before anything is expanded here.
 */
function checkAliases(d: Document): void {
  try {
    d.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) fail(`yaml: ${e.message}`);
    throw e;
  }
}

/** The yaml library's default alias limit. */
const MAX_ALIAS_COUNT = 100;

function yamlError(e: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }): string {
  const line = e.linePos?.[0]?.line;
  const first = e.message.split('\n')[0]!;
  return line !== undefined ? `yaml: line ${line}: ${first}` : `yaml: ${first}`;
}

function unmarshal(src: string): Concrete {
  const docs = decodeDocs(src);
  if (docs.length === 0) return null;
  if (docs.length > 1) fail('yaml: expected a single document');
  return docs[0]!;
}

// ---- encoding ----

/** Whether a string would read back as something other than that string (go-yaml then quotes it). */
function needsQuotes(s: string): boolean {
  if (OLD_BOOLS.has(s) || BASE60.test(s) || TIMESTAMP.test(s) || s === '<<') return true;
  try {
    return typeof resolvePlain(s) !== 'string';
  } catch {
    return true; // .inf / .nan
  }
}

function isPrintableYAML(s: string): boolean {
  // libyaml accepts tab, LF, CR and printable characters in quoted/block scalars.
  return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]/u.test(s);
}

/** libyaml's plain-scalar analysis for block context. */
function plainAllowed(s: string): boolean {
  if (s === '' || /^\s|\s$/.test(s)) return false;
  if (/[\n\r\t]/.test(s) || !isPrintableYAML(s)) return false;
  if (/^[,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/^[-?:](\s|$)/.test(s)) return false;
  if (/: |:$| #/.test(s)) return false;
  return true;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\0': out += '\\0'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\t': out += '\\t'; continue;
      case '\n': out += '\\n'; continue;
      case '\v': out += '\\v'; continue;
      case '\f': out += '\\f'; continue;
      case '\r': out += '\\r'; continue;
      case '\x1b': out += '\\e'; continue;
      case '\x85': out += '\\N'; continue;
      case '\xa0': out += '\\_'; continue;
      case '\u2028': out += '\\L'; continue;
      case '\u2029': out += '\\P'; continue;
    }
    if (isPrintableYAML(ch) || cp > 0xffff) out += ch;
    else if (cp <= 0xff) out += '\\x' + cp.toString(16).toUpperCase().padStart(2, '0');
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out + '"';
}

/** A scalar string in go-yaml v3 style. Returns lines for block literals. */
function encodeString(s: string, indent: string): string {
  // go-yaml v3 asks for a literal block when the text has a line break; its
  // emitter keeps it unless a space precedes a line break, the text ends in a
  // space, or it has characters it must escape (\r among them). Tabs do not
  // stop a block (its analysis counts them apart from the unprintable ones),
  // though they do stop plain and single-quoted scalars.
  if (s.includes('\n') && isPrintableYAML(s) && !/ [\n\r\x85\u2028\u2029]/.test(s) && !s.endsWith(' ') && !s.includes('\r')) {
    // Chomping: '-' without a final newline, '+' when newlines would be lost.
    const chomp = !s.endsWith('\n') ? '-' : s === '\n' || s.endsWith('\n\n') ? '+' : '';
    // An indentation indicator is needed when the text starts with a space or line break.
    const hint = s[0] === ' ' || s[0] === '\n' ? '2' : '';
    const body = s.endsWith('\n') ? s.slice(0, -1) : s;
    const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
    return '|' + hint + chomp + '\n' + lines.join('\n');
  }
  if (needsQuotes(s)) return doubleQuoted(s);
  if (plainAllowed(s)) return s;
  if (!/[\n\r\t]/.test(s) && isPrintableYAML(s)) return "'" + s.replace(/'/g, "''") + "'";
  return doubleQuoted(s);
}

function encodeScalar(v: Arg, indent: string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (isDecimal(v)) return formatFloat(v);
  if (typeof v === 'string') return encodeString(v, indent);
  if (v instanceof Uint8Array) return '!!binary ' + base64Encode(v);
  if (isOpaque(v)) throw new BuiltinError('incomplete value', { code: 'incomplete' });
  return fail('unsupported value');
}

const isCollection = (v: Arg): v is Concrete[] | CStruct => (Array.isArray(v) && v.length > 0) || (v instanceof Map && v.size > 0);

/** Emits v as block YAML lines at the given indentation. */
function emit(v: Arg, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return indent + '[]';
    return v
      .map((e) => {
        if (isCollection(e)) {
          // "- " followed by the nested block, its first line on the dash line.
          const inner = emit(e, indent + '  ');
          return indent + '- ' + inner.slice(indent.length + 2);
        }
        return indent + '- ' + emitInline(e, indent + '  ');
      })
      .join('\n');
  }
  if (v instanceof Map) {
    if (v.size === 0) return indent + '{}';
    const lines: string[] = [];
    for (const [k, e] of v) {
      const key = encodeString(k, indent + '  ');
      if (isCollection(e)) {
        // go-yaml v3 indents sequences and mappings under a key.
        lines.push(indent + key + ':\n' + emit(e, indent + '  '));
      } else lines.push(indent + key + ': ' + emitInline(e, indent + '  '));
    }
    return lines.join('\n');
  }
  // Block scalar content is indented one level below its parent, also at the root.
  return indent + encodeScalar(v, indent + '  ');
}

function emitInline(v: Arg, indent: string): string {
  if (Array.isArray(v)) return '[]';
  if (v instanceof Map) return '{}';
  return encodeScalar(v, indent);
}

/** Marshals one document, ending in a newline like go-yaml. */
export function marshalYAML(v: Arg): string {
  return emit(v, '') + '\n';
}

export const yamlPackage: BuiltinPackage = {
  path: 'encoding/yaml',
  funcs: {
    Marshal: fn(['any'], ([v]) => marshalYAML(v!)),
    MarshalStream: fn(['list'], ([l]) => list(l).map((v) => marshalYAML(v)).join('---\n')),
    Unmarshal: fn(['stringOrBytes'], ([d]) => unmarshal(str(d))),
    UnmarshalStream: fn(['stringOrBytes'], ([d]) => decodeDocs(str(d))),
    Validate: fn(
      ['stringOrBytes', 'value'],
      ([d, schema], ctx) => {
        const opaque = isOpaque(schema) ? schema : ctx.toOpaque(schema as Concrete);
        return validateAll(decodeDocs(str(d)), (x) => ctx.validate(x, opaque));
      },
      { validator: true },
    ),
    // Like Validate, but the values need not be complete against the schema.
    ValidatePartial: fn(
      ['stringOrBytes', 'value'],
      ([d, schema], ctx) => {
        const opaque = isOpaque(schema) ? schema : ctx.toOpaque(schema as Concrete);
        const check = ctx.validatePartial ? ctx.validatePartial.bind(ctx) : ctx.validate.bind(ctx);
        return validateAll(decodeDocs(str(d)), (x) => check(x, opaque));
      },
      { validator: true },
    ),
  },
};
