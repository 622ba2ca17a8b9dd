// File embedding, as `cue` does it (`cue help embed`): a file whose
// file-level attributes include `@extern(embed)` may give a field the content
// of files of its module, `a: _ @embed(file=x.json)` or, one field per
// file, `b: _ @embed(glob=img/*.png, type=binary)`. The field's value becomes
// `value & content`.
//
// The engine checks every path before asking for it (relative, clean, no `..`,
// no `**`, hidden files only when the pattern names them, no file of a nested
// module) and counts files and bytes against the limits; reading goes through
// the `EmbedFiles` of the file's Source, which the loader gives to files of a
// CUE module only, confined to it and refusing symbolic links. So a package
// outside a module (or a catalog module, whose sources come without one)
// cannot embed anything.
import type { EmbedEntry, EmbedFiles } from './api.js';
import type { Attribute, BasicLit, Decl, Expr, Field, File, Pos } from './ast.js';
import { parseJSON } from './builtins/json.js';
import type { Concrete } from './builtins/types.js';
import { decodeDocs } from './builtins/yaml.js';
import { CueError } from './errors.js';
import { limits } from './eval/limits.js';

interface EmbedField {
  field: Field;
  attr: Attribute;
}

/** Fields whose embedded content has been added to their value (a File may be built more than once). */
const injected = new WeakSet<Field>();

/**
 * The `@embed` fields of a file with `@extern(embed)`, and errors in how the
 * attributes are placed. Files without `@extern` keep `@embed` as an ordinary
 * attribute, as `cue` does.
 */
function embedFields(file: File): { fields: EmbedField[]; errors: CueError[] } {
  const errors: CueError[] = [];
  const fields: EmbedField[] = [];
  const externs = file.attrs.filter((a) => a.name === 'extern');
  for (const d of file.decls) {
    if (d.type === 'Attribute' && d.name === 'extern') errors.push(err('extern attribute must appear before package clause', d.pos));
  }
  if (externs.length === 0) return { fields, errors };
  if (!file.package) return { fields, errors: [...errors, err('extern attribute without package clause', externs[0]!.pos)] };
  if (externs.length > 1) return { fields, errors: [...errors, err('only one file-level extern attribute allowed per file', externs[1]!.pos)] };
  const kind = externs[0]!.body.trim();
  if (kind === '') return { fields, errors: [...errors, err('interpreter name must be non-empty', externs[0]!.pos)] };
  if (kind !== 'embed') return { fields, errors: [...errors, err(`no interpreter defined for ${JSON.stringify(kind)}`, externs[0]!.pos)] };

  const seen = new Set<Field>();
  const add = (f: Field | undefined, a: Attribute) => {
    if (!f) return errors.push(err('@embed attribute not associated with field', a.pos));
    if (seen.has(f)) return errors.push(err('duplicate @embed attributes', a.pos));
    if (!concreteLabel(f)) return errors.push(err('external attribute has non-concrete label', a.pos));
    seen.add(f);
    fields.push({ field: f, attr: a });
  };
  // An attribute belongs to the innermost field around it: `a: _ @embed(...)`
  // and `a: {_, @embed(...)}` alike.
  const visit = (n: unknown, field: Field | undefined): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x, field);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const o = n as { type?: string } & Record<string, unknown>;
    if (o.type === 'Field') {
      const f = o as unknown as Field;
      for (const a of f.attrs) if (a.name === 'embed') add(f, a);
      visit(f.value, f);
      return;
    }
    if (o.type === 'Attribute') {
      const a = o as unknown as Attribute;
      if (a.name === 'embed') add(field, a);
      return;
    }
    for (const k in o) {
      if (k === 'pos' || k === 'end' || k === 'comments' || k === 'attrs') continue;
      const v = o[k];
      if (v && typeof v === 'object') visit(v, field);
    }
  };
  visit(file.decls, undefined);
  return { fields, errors };
}

function concreteLabel(f: Field): boolean {
  let l = f.label;
  if (l.type === 'AliasLabel') l = l.label;
  return l.type === 'Ident' || (l.type === 'BasicLit' && l.kind === 'string');
}

function err(msg: string, pos: Pos): CueError {
  return new CueError('eval', msg, { positions: [pos] });
}

/** The arguments of an `@embed(...)` attribute. */
interface EmbedArgs {
  file?: string;
  glob?: string;
  type?: string;
  allowEmptyGlob: boolean;
}

/** Splits `key=value, flag, key="quoted, value"` like CUE's attribute bodies. */
function parseArgs(a: Attribute): EmbedArgs {
  const parts: string[] = [];
  let cur = '';
  let quote = false;
  for (let i = 0; i < a.body.length; i++) {
    const c = a.body[i]!;
    if (quote && c === '\\') {
      cur += c + (a.body[++i] ?? '');
      continue;
    }
    if (c === '"') quote = !quote;
    if (c === ',' && !quote) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quote) throw err(`invalid attribute: unterminated string in ${a.text}`, a.pos);
  parts.push(cur);
  const out: EmbedArgs = { allowEmptyGlob: false };
  for (const raw of parts) {
    const p = raw.trim();
    const eq = p.indexOf('=');
    const key = (eq < 0 ? p : p.slice(0, eq)).trim();
    let val = eq < 0 ? undefined : p.slice(eq + 1).trim();
    if (val?.startsWith('"')) {
      try {
        val = JSON.parse(val) as string;
      } catch {
        throw err(`invalid attribute: bad string ${val}`, a.pos);
      }
    }
    if (key === 'file' || key === 'glob' || key === 'type') {
      if (val !== undefined) out[key] = val;
    } else if (key === 'allowEmptyGlob' && val === undefined) out.allowEmptyGlob = true;
  }
  if (!out.file && !out.glob) throw err('attribute must have file or glob field', a.pos);
  if (out.file && out.glob) throw err('attribute cannot have both file and glob field', a.pos);
  if (out.allowEmptyGlob && !out.glob) throw err('allowEmptyGlob must be specified with a glob field', a.pos);
  const p = out.file ?? out.glob!;
  const clean = cleanPath(p);
  if (clean !== p) throw err(`path not normalized, use ${JSON.stringify(clean)} instead`, a.pos);
  if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) throw err('only relative files are allowed', a.pos);
  if (p === '..' || p.startsWith('../')) throw err('cannot refer to parent directory', a.pos);
  if (out.glob) {
    if (p.includes('**')) throw err('not supported yet: "**" in glob patterns', a.pos);
    for (const e of p.split('/')) if (!validPattern(e)) throw err(`invalid glob pattern ${JSON.stringify(p)}`, a.pos);
    if (!out.type) {
      const ext = extOf(p);
      if (ext === '' || /[*?[\\]/.test(ext)) throw err('extension not fully specified; type argument required', a.pos);
    }
  }
  return out;
}

/** Lexical cleaning of a '/'-separated path, as Go's path.Clean. */
function cleanPath(p: string): string {
  if (p === '') return '.';
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(seg);
  }
  const s = out.join('/');
  return abs ? `/${s}` : s || '.';
}

function extOf(p: string): string {
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot);
}

type Encoding = 'json' | 'yaml' | 'text' | 'binary';

const byExtension: Record<string, Encoding> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.txt': 'text' };
/** Types `cue` knows that this engine does not embed. */
const unsupported = /^(cue|jsonl|ndjson|ldjson|jsonschema|openapi|proto|textproto|binpb|toml|xml|go|code)\b/;

function encodingOf(path: string, type: string | undefined, pos: Pos): Encoding {
  if (type !== undefined) {
    if (type === 'json' || type === 'yaml' || type === 'text' || type === 'binary') return type;
    if (unsupported.test(type)) throw err(`not supported yet: embedding type=${type} (json, yaml, text and binary are)`, pos);
    throw err(`invalid file type: unknown type ${JSON.stringify(type)}`, pos);
  }
  const ext = extOf(path);
  const enc = byExtension[ext];
  if (enc) return enc;
  if (['.jsonl', '.ldjson', '.ndjson'].includes(ext)) throw err(`not supported yet: embedding ${ext} files (a stream of values); use type=text and a decoder`, pos);
  if (['.cue', '.proto', '.textproto', '.toml'].includes(ext)) throw err(`not supported yet: embedding ${ext} files`, pos);
  throw err(`cannot embed ${JSON.stringify(path)}: ${ext ? `unknown file extension ${ext}` : 'no file extension'}; add type=json, yaml, text or binary`, pos);
}

/** Whether one path element is a valid Go path.Match pattern. */
function validPattern(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (++i >= p.length) return false;
    } else if (c === '[') {
      i++;
      if (p[i] === '^') i++;
      let n = 0;
      for (; i < p.length && (p[i] !== ']' || n === 0); i++, n++) {
        if (p[i] === '\\') i++;
        if (i >= p.length) return false;
      }
      if (i >= p.length) return false;
    }
  }
  return true;
}

/** Go path.Match of one path element (no '/' in either). */
export function matchElement(pattern: string, name: string): boolean {
  const m = (pi: number, ni: number): boolean => {
    while (pi < pattern.length) {
      const c = pattern[pi]!;
      if (c === '*') {
        while (pattern[pi] === '*') pi++;
        if (pi === pattern.length) return true;
        for (let k = ni; k <= name.length; k++) if (m(pi, k)) return true;
        return false;
      }
      if (ni >= name.length) return false;
      if (c === '?') {
        pi++;
        ni++;
        continue;
      }
      if (c === '[') {
        let j = pi + 1;
        const neg = pattern[j] === '^';
        if (neg) j++;
        let ok = false;
        let first = true;
        const ch = name[ni]!;
        while (j < pattern.length && (pattern[j] !== ']' || first)) {
          first = false;
          let lo = pattern[j]!;
          if (lo === '\\') lo = pattern[++j]!;
          let hi = lo;
          if (pattern[j + 1] === '-' && pattern[j + 2] !== ']' && j + 2 < pattern.length) {
            hi = pattern[j + 2]!;
            if (hi === '\\') hi = pattern[++j + 2]!;
            j += 2;
          }
          if (lo <= ch && ch <= hi) ok = true;
          j++;
        }
        if (ok === neg) return false;
        pi = j + 1;
        ni++;
        continue;
      }
      const lit = c === '\\' ? pattern[++pi]! : c;
      if (lit !== name[ni]) return false;
      pi++;
      ni++;
    }
    return ni === name.length;
  };
  return m(0, 0);
}

const hasMeta = (p: string) => /[*?[\\]/.test(p);

/** Reads and decodes what one file's `@embed` attributes name, adding it to the fields' values. */
export async function injectEmbeds(files: File[], filesOf: (f: File) => EmbedFiles | undefined): Promise<CueError[]> {
  const errors: CueError[] = [];
  const budget = { files: 0, bytes: 0 };
  for (const file of files) {
    const found = embedFields(file);
    errors.push(...found.errors);
    const todo = found.fields.filter((e) => !injected.has(e.field));
    if (todo.length === 0) continue;
    const fs = filesOf(file);
    if (!fs) {
      for (const e of todo) errors.push(err('@embed: cannot embed files when not in a module', e.attr.pos));
      continue;
    }
    for (const e of todo) {
      try {
        const content = await embedOne(fs, e.attr, budget);
        e.field.value = { type: 'BinaryExpr', op: '&', x: e.field.value, y: content, pos: e.field.value.pos };
        injected.add(e.field);
      } catch (x) {
        if (x instanceof CueError) errors.push(x.detail.startsWith('@embed') ? x : err(`@embed: ${x.detail}`, e.attr.pos));
        else throw x;
      }
    }
  }
  return errors;
}

/** Errors for `@embed` fields that were not filled (Context.compile cannot read files), and misplaced attributes. */
export function embedErrors(files: File[]): CueError[] {
  const errors: CueError[] = [];
  for (const file of files) {
    const found = embedFields(file);
    errors.push(...found.errors);
    for (const e of found.fields) {
      if (!injected.has(e.field)) errors.push(err('@embed: cannot embed files here: use Context.build with files loaded from a module', e.attr.pos));
    }
  }
  return errors;
}

async function embedOne(fs: EmbedFiles, a: Attribute, budget: { files: number; bytes: number }): Promise<Expr> {
  const args = parseArgs(a);
  const pos = a.pos;
  const read = async (path: string): Promise<Expr> => {
    const enc = encodingOf(path, args.type, pos);
    await notNestedModule(fs, path, pos);
    if (++budget.files > limits.maxEmbedFiles) {
      throw err(`@embed: more than ${limits.maxEmbedFiles} embedded files; raise the limit with setLimits({maxEmbedFiles})`, pos);
    }
    const left = limits.maxEmbedBytes - budget.bytes;
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(path, left);
    } catch (x) {
      const e = x as Error & { code?: string };
      if (e.code === 'EFBIG') throw err(`@embed: embedded files exceed the limit of ${limits.maxEmbedBytes} bytes (${path}); raise it with setLimits({maxEmbedBytes})`, pos);
      if (e.code === 'ENOENT') throw err(`@embed: open ${path}: no such file or directory`, pos);
      throw err(`@embed: cannot embed ${path}: ${e.message}`, pos);
    }
    budget.bytes += bytes.length;
    if (budget.bytes > limits.maxEmbedBytes) throw err(`@embed: embedded files exceed the limit of ${limits.maxEmbedBytes} bytes (${path}); raise it with setLimits({maxEmbedBytes})`, pos);
    return toExpr(decode(bytes, enc, path, pos), pos);
  };
  if (args.file !== undefined) {
    const k = await fs.kind(args.file).catch((x: Error) => {
      throw err(`@embed: cannot embed ${args.file}: ${x.message}`, pos);
    });
    if (k === undefined) throw err(`@embed: open ${args.file}: no such file or directory`, pos);
    if (k === 'dir') throw err('@embed: cannot embed directories', pos);
    if (k === 'symlink') throw err(`@embed: cannot embed ${args.file}: a symbolic link (links are not followed)`, pos);
    if (k === 'other') throw err(`@embed: cannot embed ${args.file}: not a regular file`, pos);
    return read(args.file);
  }
  const matches = await glob(fs, args.glob!, pos);
  if (matches.length === 0 && !args.allowEmptyGlob) throw err(`@embed: no matches for glob pattern ${JSON.stringify(args.glob)}`, pos);
  const decls: Decl[] = [];
  for (const m of matches) {
    decls.push({ type: 'Field', label: str(m, pos), constraint: '', value: await read(m), attrs: [], pos });
  }
  return { type: 'StructLit', decls, pos };
}

/** Files matching a glob pattern, in lexical order; hidden names only where the pattern element starts with a dot. */
async function glob(fs: EmbedFiles, pattern: string, pos: Pos): Promise<string[]> {
  const elems = pattern.split('/');
  const out: string[] = [];
  const walk = async (dir: string, i: number): Promise<void> => {
    const pe = elems[i]!;
    const last = i === elems.length - 1;
    let entries: EmbedEntry[];
    if (!hasMeta(pe)) {
      const name = pe;
      const k = await fs.kind(join(dir, name)).catch(() => undefined);
      entries = k ? [{ name, kind: k }] : [];
    } else {
      try {
        entries = await fs.readDir(dir);
      } catch (x) {
        if ((x as { code?: string }).code === 'ENOENT') return;
        throw err(`@embed: cannot read ${dir}: ${(x as Error).message}`, pos);
      }
      entries = entries.filter((e) => (!e.name.startsWith('.') || pe.startsWith('.')) && matchElement(pe, e.name));
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.kind === 'symlink') throw err(`@embed: cannot embed ${p}: a symbolic link (links are not followed)`, pos);
      if (last) {
        if (e.kind === 'file') out.push(p);
        else if (e.kind === 'other') throw err(`@embed: cannot embed ${p}: not a regular file`, pos);
        // Directories are skipped, as `cue` does.
      } else if (e.kind === 'dir') await walk(p, i + 1);
    }
  };
  await walk('.', 0);
  return out.sort();
}

function join(dir: string, name: string): string {
  return dir === '.' ? name : `${dir}/${name}`;
}

/** A file below a directory holding `cue.mod` belongs to another module. */
async function notNestedModule(fs: EmbedFiles, path: string, pos: Pos): Promise<void> {
  const parts = path.split('/');
  for (let i = parts.length - 1; i >= 1; i--) {
    const dir = parts.slice(0, i).join('/');
    if ((await fs.kind(`${dir}/cue.mod`).catch(() => undefined)) !== undefined) {
      throw err(`@embed: cannot embed file ${JSON.stringify(path)}: in different module`, pos);
    }
  }
}

function decode(bytes: Uint8Array, enc: Encoding, path: string, pos: Pos): Concrete {
  if (enc === 'binary') return bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw err(`@embed: ${path}: invalid UTF-8`, pos);
  }
  if (enc === 'text') return text;
  try {
    if (enc === 'json') return parseJSON(text);
    const docs = decodeDocs(text);
    if (docs.length > 1) throw err(`@embed: ${path}: streaming not implemented: found more than one value in file`, pos);
    return docs.length ? docs[0]! : null;
  } catch (x) {
    if (x instanceof CueError) throw x;
    throw err(`@embed: failed to decode ${path}: ${(x as Error).message}`, pos);
  }
}

function str(s: string, pos: Pos): BasicLit {
  return { type: 'BasicLit', kind: 'string', raw: JSON.stringify(s), value: s, pos };
}

/** Decoded data as a CUE expression, every node at the attribute (errors in it point there). */
function toExpr(c: Concrete, pos: Pos): Expr {
  if (c === null) return { type: 'BasicLit', kind: 'null', raw: 'null', pos };
  if (typeof c === 'boolean') return { type: 'BasicLit', kind: 'bool', raw: String(c), pos };
  if (typeof c === 'string') return str(c, pos);
  if (typeof c === 'bigint') {
    const lit: BasicLit = { type: 'BasicLit', kind: 'int', raw: String(c < 0n ? -c : c), pos };
    return c < 0n ? { type: 'UnaryExpr', op: '-', x: lit, pos } : lit;
  }
  if (c instanceof Uint8Array) {
    let value = '';
    let raw = "'";
    for (const b of c) {
      value += String.fromCharCode(b);
      raw += `\\x${b.toString(16).padStart(2, '0')}`;
    }
    return { type: 'BasicLit', kind: 'bytes', raw: `${raw}'`, value, pos };
  }
  if (Array.isArray(c)) return { type: 'ListLit', elts: c.map((x) => toExpr(x, pos)), pos };
  if (c instanceof Map) {
    const decls: Decl[] = [];
    for (const [k, v] of c) decls.push({ type: 'Field', label: str(k, pos), constraint: '', value: toExpr(v, pos), attrs: [], pos });
    return { type: 'StructLit', decls, pos };
  }
  // A float (Decimal): written so that it reads back as a float.
  const d = c as { isNegative(): boolean; abs(): { toString(): string } };
  let s = d.abs().toString();
  if (!/[.eE]/.test(s)) s += '.0';
  const lit: BasicLit = { type: 'BasicLit', kind: 'float', raw: s, pos };
  return d.isNegative() ? { type: 'UnaryExpr', op: '-', x: lit, pos } : lit;
}
