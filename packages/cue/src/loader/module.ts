// Reading `cue.mod/module.cue`. The file is plain data (module path, language
// version, deps), so a small reader of CUE struct/string syntax suffices; the
// loader then needs no evaluator to find files, and `a: b: "x"` and nested
// struct forms are both accepted. Values other than strings and structs
// (e.g. `source: kind: "self"` works, lists are skipped) are ignored.
import type { Source } from '../api.js';
import { CueError } from '../errors.js';
import type { FileSystem } from './fs.js';
import { dirname, join } from './paths.js';

export interface ModuleInfo {
  /** Absolute directory holding `cue.mod`. */
  root: string;
  /** `module:` e.g. `x.example/m@v0` (may be empty for legacy modules). */
  path: string;
  /** The module path without its major version suffix. */
  basePath: string;
  languageVersion?: string;
  /** `deps: "mod@v0": v: "v0.1.2"`: dependency module path (with major) → version. */
  deps: Record<string, string>;
}

/** The source, to be parsed under its module's language version. */
export function withVersion(s: Source, module: ModuleInfo | undefined): Source {
  return module?.languageVersion ? { ...s, languageVersion: module.languageVersion } : s;
}

/** Walks up from `dir` to the first directory containing `cue.mod`. */
export async function findModuleRoot(fs: FileSystem, dir: string): Promise<string | undefined> {
  let d = dir;
  for (;;) {
    if ((await fs.stat(join(d, 'cue.mod'))) !== undefined) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

export async function readModule(fs: FileSystem, root: string, displayName: (p: string) => string): Promise<ModuleInfo> {
  const file = join(root, 'cue.mod', 'module.cue');
  const info: ModuleInfo = { root, path: '', basePath: '', deps: {} };
  if ((await fs.stat(file)) !== 'file') return info; // legacy: cue.mod without module.cue
  const data = parseModuleData(displayName(file), await fs.readFile(file));
  const str = (v: DataValue | undefined) => (typeof v === 'string' ? v : undefined);
  const obj = (v: DataValue | undefined) => (v && typeof v === 'object' ? v : undefined);
  info.path = str(data.module) ?? '';
  info.basePath = info.path.replace(/@[^/]*$/, '');
  const version = str(obj(data.language)?.version);
  if (version !== undefined) info.languageVersion = version;
  for (const [name, dep] of Object.entries(obj(data.deps) ?? {})) {
    const v = str(obj(dep)?.v);
    if (v !== undefined) info.deps[name] = v;
  }
  return info;
}

type DataValue = string | null | { [k: string]: DataValue };

/** Parses the struct/string subset of CUE used by module.cue; other values become null. */
export function parseModuleData(filename: string, text: string): { [k: string]: DataValue } {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (msg: string): never => {
    throw new CueError('syntax', msg, { positions: [{ file: filename, line, col: i - lineStart + 1, offset: i }] });
  };
  const skip = (newlines: boolean) => {
    for (;;) {
      const c = text[i];
      if (c === '\n') {
        if (!newlines) return;
        line++;
        lineStart = i + 1;
        i++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === ',') i++;
      else if (c === '/' && text[i + 1] === '/') while (i < text.length && text[i] !== '\n') i++;
      else return;
    }
  };
  const str = (): string => {
    const q = text[i++];
    let out = '';
    while (text[i] !== q) {
      if (i >= text.length || text[i] === '\n') fail('unterminated string');
      if (text[i] === '\\') i++;
      out += text[i++];
    }
    i++;
    return out;
  };
  const label = (): string => {
    if (text[i] === '"') return str();
    const m = /^[\p{L}_$#][\p{L}\p{N}_$#]*/u.exec(text.slice(i, i + 256));
    if (!m) return fail('expected a field label');
    i += m[0].length;
    return m[0];
  };
  const value = (): DataValue => {
    skip(false);
    const c = text[i];
    if (c === '{') {
      i++;
      const s = fields('}');
      i++;
      return s;
    }
    // `a: b: v` shorthand.
    const save = i;
    if (/[\p{L}_$#"]/u.test(c ?? '')) {
      try {
        const l = label();
        skip(false);
        if (text[i] === ':') {
          i++;
          return { [l]: value() };
        }
      } catch {
        /* not a label */
      }
      i = save;
    }
    if (c === '"') return str();
    // Anything else (numbers, lists, expressions): skip to the end of the line, balancing brackets.
    let depth = 0;
    while (i < text.length) {
      const d = text[i]!;
      if (d === '"') {
        str();
        continue;
      }
      if ('[{('.includes(d)) depth++;
      else if (']})'.includes(d)) {
        if (depth === 0) break;
        depth--;
      } else if (d === '\n' && depth === 0) break;
      else if (d === '\n') {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
    return null;
  };
  const fields = (end: string | undefined): { [k: string]: DataValue } => {
    const out: { [k: string]: DataValue } = {};
    for (;;) {
      skip(true);
      if (i >= text.length) {
        if (end) fail(`expected ${end}`);
        return out;
      }
      if (text[i] === end) return out;
      const l = label();
      skip(false);
      if (text[i] === '?' || text[i] === '!') i++;
      if (text[i] !== ':') fail('expected :');
      i++;
      const v = value();
      out[l] = merge(out[l], v);
    }
  };
  return fields(undefined);
}

/** Repeated fields unify; for this data subset that is a deep merge of structs. */
function merge(a: DataValue | undefined, b: DataValue): DataValue {
  if (a && typeof a === 'object' && b && typeof b === 'object') {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(out[k], v);
    return out;
  }
  return b;
}
