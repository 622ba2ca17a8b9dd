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
import { base64Decode, base64Encode } from './encoding.js';
import { parseNumberLiteral } from '../literal.js';
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
  // Like a YAML 1.1 octal but not one (`0778`): a string, as CUE reads it (go-yaml made it a float).
  if (/^[-+]?0[0-9_]+$/.test(s)) return s;
  if (YAML_FLOAT.test(plain)) return new Decimal(plain.replace(/\.$/, '.0').replace(/\.([eE])/, '.0$1'));
  if (SPECIAL_FLOATS.has(s)) fail(`cannot convert YAML value ${s} to CUE: not a finite number`);
  return s;
}

// ---- decoding ----
// CUE turns YAML nodes into CUE syntax itself (internal/encoding/yaml): its
// rules for tags, map keys and merge keys are followed here.

const YAML_TAG = 'tag:yaml.org,2002:';

/** A tag as CUE names it in messages: `!!int` for the yaml.org ones. */
function shortTag(tag: string): string {
  return tag.startsWith(YAML_TAG) ? '!!' + tag.slice(YAML_TAG.length) : tag;
}

/**
 * A merge key: `<<` plain and untagged, or tagged `!!merge` (also quoted:
 * CUE rewrites `!!merge "<<"` to a merge key). A quoted `"<<"` alone is the
 * string "<<", which is how Marshal writes a field of that name.
 */
function isMergeKey(n: unknown): boolean {
  if (!isScalar(n)) return false;
  if (n.tag === YAML_TAG + 'merge') return String(n.source ?? '') === '<<';
  return n.type === Scalar.PLAIN && (n.tag === undefined || n.tag === null) && n.source === '<<';
}

/** YAML 1.1 octal (`017`) as CUE writes it (`0o17`). */
function octalToCUE(s: string): string {
  return /^-?0[0-9]/.test(s) ? s.replace(/^(-?)0/, '$10o') : s;
}

/**
 * A map key as CUE labels it: a string's value; for a number the text as
 * written (`0x1F: a` is the field "0x1F", `017` is "0o17"); null, true and
 * false as such. A negative number would be an expression in CUE, not a
 * label: an error, as in CUE.
 */
function mapKey(n: unknown, doc: Document): string {
  if (isAlias(n)) return mapKey(n.resolve(doc), doc);
  if (!isScalar(n)) return fail(`invalid map key: ${isSeq(n) ? '!!seq' : '!!map'}`);
  const src = String(n.source ?? '');
  let label = src;
  if (n.type === Scalar.PLAIN && (n.tag === undefined || n.tag === null)) {
    if (NULLS.has(src)) label = 'null';
    else if (TRUES.has(src)) label = 'true';
    else if (FALSES.has(src)) label = 'false';
    else if (SPECIAL_FLOATS.has(src)) label = src.startsWith('-') ? '-Inf' : /nan/i.test(src) ? 'NaN' : '+Inf';
    else {
      const v = resolvePlain(src);
      if (typeof v === 'bigint') label = octalToCUE(src);
      if (typeof v !== 'string' && label.startsWith('-')) fail(`invalid label ${label}`);
    }
    return label;
  }
  if (n.tag !== undefined && n.tag !== null) {
    const v = taggedScalar(n, n.tag);
    return typeof v === 'string' ? v : v === null ? 'null' : typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : isDecimal(v) ? formatFloat(v) : fail('invalid map key');
  }
  return label;
}

/** A CUE number literal (CUE takes YAML's as its own); `!!float` without a fraction or exponent is that integer (CUE: number & 1). */
function numberLiteral(src: string, tag: 'int' | 'float'): Concrete {
  const value = octalToCUE(src);
  const neg = value.startsWith('-');
  let lit;
  try {
    lit = parseNumberLiteral(neg ? value.slice(1) : value);
  } catch {
    return fail(`cannot decode ${JSON.stringify(value)} as !!${tag}: invalid number literal`);
  }
  if (tag === 'int' && lit.kind !== 'int') fail(`cannot decode ${JSON.stringify(value)} as !!int: not a literal number`);
  if (lit.kind === 'int' && (tag === 'int' || !/[.eEiInN]/.test(value))) return neg ? -lit.value : lit.value;
  const d = new Decimal(lit.kind === 'int' ? lit.value.toString() : lit.value);
  return neg ? d.neg() : d;
}

/** A scalar with an explicit tag, as CUE reads it. */
function taggedScalar(n: Scalar, tag: string): Concrete {
  const src = String(n.source ?? '');
  switch (shortTag(tag)) {
    case '!':
      // Non-specific: what the scalar would be without it.
      return n.type === Scalar.PLAIN ? resolvePlain(src) : src;
    case '!!str':
    case '!!timestamp':
      return src;
    case '!!binary':
      try {
        return base64Decode(src.replace(/[ \t]/g, ''));
      } catch {
        return fail('!!binary value contains invalid base64 data');
      }
    case '!!bool':
      return TRUES.has(src);
    case '!!int':
      return numberLiteral(src, 'int');
    case '!!float':
      if (SPECIAL_FLOATS.has(src)) fail(`cannot convert YAML value ${src} to CUE: not a finite number`);
      return numberLiteral(src, 'float');
    case '!!null':
      return null;
    default:
      return fail(`cannot unmarshal tag ${JSON.stringify(shortTag(tag))}`);
  }
}

function toValue(n: unknown, doc: Document): Concrete {
  if (n === null || n === undefined) return null;
  // Every node decoded counts against the evaluation's size budget, aliases expanded included.
  grow();
  if (isAlias(n)) return toValue(n.resolve(doc), doc);
  if (isScalar(n)) {
    const tag = n.tag;
    if (tag !== undefined && tag !== null) return taggedScalar(n, tag);
    if (n.type === Scalar.PLAIN) return resolvePlain(String(n.source ?? n.value ?? ''));
    return String(n.source ?? n.value ?? '');
  }
  // Tags on collections mean nothing to CUE.
  if (isMap(n)) {
    const out: CStruct = new Map();
    insertMap(out, n.items, doc);
    return out;
  }
  if (isSeq(n)) return n.items.map((e) => toValue(e, doc));
  return fail('unsupported YAML node');
}

/**
 * The pairs of a mapping into `out`. A merge key inserts the merged map's
 * fields where they stand; a field already there takes the later value, as
 * CUE's decoder does (so an explicit key after `<<` overrides it).
 */
function insertMap(out: CStruct, items: readonly unknown[], doc: Document): void {
  for (const item of items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      merge(item.value, out, doc);
      continue;
    }
    out.set(mapKey(item.key, doc), toValue(item.value, doc));
  }
}

/** `<<: x`: x a map, or a sequence of maps of which the earlier take precedence (merged last). */
function merge(n: unknown, out: CStruct, doc: Document): void {
  grow();
  if (isAlias(n)) return merge(n.resolve(doc), out, doc);
  if (isMap(n)) return insertMap(out, n.items, doc);
  if (isSeq(n)) {
    for (let i = n.items.length - 1; i >= 0; i--) merge(n.items[i], out, doc);
    return;
  }
  fail('map merge requires map or sequence of maps as the value');
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
