// `@test(err, code=C, contains="…", pos=[…], args=[…], at=PATH, any)`.
// The error code decides the outcome (README of the corpus: text and positions
// are secondary); mismatching text or positions are reported as notes.
import type { Value } from '../api.js';
import type { CueError } from '../errors.js';
import type { AttrField } from './attr.js';

export interface ErrSpec {
  codes: string[];
  contains?: string;
  any: boolean;
  at?: string;
  /** `path=`: the sub-path below the field where the error is reported. */
  path?: string;
  /** Expected positions: relative (`delta:col`) or absolute (`file:line:col`). */
  pos?: { file?: string; line: number; col: number; relative: boolean }[];
  args?: string[];
}

export function parseErrSpec(args: AttrField[]): ErrSpec {
  const spec: ErrSpec = { codes: [], any: false };
  for (const a of args) {
    switch (a.key) {
      case 'code': {
        const v = a.value.trim().replace(/^\((.*)\)$/s, '$1');
        // The corpus spells multi-word codes with `_` (structural_cycle); the engine's codes use spaces, as CUE's messages do.
        spec.codes = v ? v.split('|').map((c) => c.trim().replace(/_/g, ' ')) : [];
        break;
      }
      case 'contains':
        spec.contains = a.value;
        break;
      case 'at':
        spec.at = a.value;
        break;
      case 'path':
        spec.path = a.value;
        break;
      case 'pos':
        spec.pos = parsePos(a.raw);
        break;
      case 'args':
        spec.args = a.raw
          .replace(/^\[(.*)\]$/s, '$1')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '':
        if (a.value === 'any') spec.any = true;
        break;
      default:
        break; // suberr=, hint=, p=: not checked
    }
  }
  return spec;
}

function parsePos(raw: string): ErrSpec['pos'] {
  const inner = raw.trim().replace(/^\[(.*)\]$/s, '$1');
  const out: NonNullable<ErrSpec['pos']> = [];
  for (const p of inner.split(',')) {
    const parts = p.trim().split(':');
    if (parts.length === 2) out.push({ line: Number(parts[0]), col: Number(parts[1]), relative: true });
    else if (parts.length === 3) out.push({ file: parts[0]!, line: Number(parts[1]), col: Number(parts[2]), relative: false });
  }
  return out;
}

export interface ErrOutcome {
  failure?: string;
  notes: string[];
}

/** `root`: the package value; `path=` may name where an error arose outside the field (Go reports an error at its origin, e.g. in a definition the field refers to). */
export function checkErr(val: Value, spec: ErrSpec, baseLine: number, root?: Value): ErrOutcome {
  const notes: string[] = [];
  let v = val;
  if (spec.at) {
    v = lookupAt(val, spec.at);
    if (!v.exists()) return { failure: `at=${spec.at}: sub-path not found`, notes };
  }
  if (spec.any) {
    const found = findDescendantError(v, spec.codes);
    return found ? { notes } : { failure: `expected a descendant error with code ${fmtCodes(spec.codes)}, none found`, notes };
  }
  let err = bottomOf(v);
  // `path=` names where below the field the error is reported.
  if (spec.path) {
    let sub = lookupAt(v, spec.path);
    if (!sub.exists() && root) {
      const abs = lookupAt(root, spec.path);
      if (abs.exists()) sub = abs;
    }
    const subErr = sub.exists() || sub.err() ? bottomOf(sub) : undefined;
    if (subErr) err = subErr;
  }
  if (!err) return { failure: `expected an error${spec.codes.length ? ` (${fmtCodes(spec.codes)})` : ''}, got a non-error value${show(v)}`, notes };
  if (spec.codes.length && !spec.codes.includes(err.code)) {
    return { failure: `expected error code ${fmtCodes(spec.codes)}, got "${err.code}": ${oneLine(err.message)}`, notes };
  }
  if (spec.contains !== undefined && !containsMatch(err, spec.contains)) notes.push(`message ${JSON.stringify(oneLine(err.message))} does not contain ${JSON.stringify(spec.contains)}`);
  if (spec.pos) {
    const got = err.positions.map((p) => `${p.file}:${p.line}:${p.col}`);
    const want = spec.pos.map((p) => (p.relative ? `${baseLine + p.line}:${p.col}` : `${p.file}:${p.line}:${p.col}`));
    const ok =
      got.length === want.length &&
      spec.pos.every((p) => err.positions.some((g) => g.col === p.col && (p.relative ? g.line === baseLine + p.line : g.line === p.line && baseName(g.file) === baseName(p.file!))));
    if (!ok) notes.push(`positions [${got.join(', ')}], expected [${want.join(', ')}]`);
  }
  return { notes };
}

/** `contains=` may be the message's format string (`conflicting values %s and %s`): match it with the verbs as wildcards. */
function containsMatch(err: CueError, contains: string): boolean {
  const msg = err.message;
  if (msg.includes(contains)) return true;
  const re = new RegExp(
    contains
      .split(/%[-+# 0-9.]*[a-zA-Z]/)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\s\\S]*?'),
  );
  return re.test(msg);
}

// Go's error codes from worst to mildest: a parent takes the worst code of its children's errors.
const CODE_RANK = ['eval', 'user', 'structural cycle', 'incomplete', 'cycle'];
function rank(code: string): number {
  const i = CODE_RANK.indexOf(code);
  return i < 0 ? 0 : i;
}

/**
 * The error Go's runner sees at a field (`Vertex.Bottom()`): the field's own
 * error, or else the worst permanent error of a regular or required
 * descendant, which Go records on every ancestor (`AddChildError`). The public
 * `Value.err()` leaves such child errors out, as Go's `Value.Err()` does.
 */
export function bottomOf(v: Value): CueError | undefined {
  const own = v.err();
  if (own && own.code !== 'incomplete' && own.code !== 'cycle') return own;
  let worst: CueError | undefined;
  const queue: Value[] = [];
  const children = (cur: Value): void => {
    try {
      for (const f of cur.fields({ optional: true, definitions: true, hidden: true })) if (!f.optional) queue.push(f.value);
      if (cur.kind() === 'list') queue.push(...cur.elements());
    } catch {
      /* not a struct or list */
    }
  };
  children(v);
  let budget = 5000;
  while (queue.length && budget-- > 0) {
    const cur = queue.shift()!;
    const e = cur.err();
    if (e && e.code !== 'incomplete' && e.code !== 'cycle') {
      if (!worst || rank(e.code) < rank(worst.code)) worst = e;
      continue;
    }
    children(cur);
  }
  return worst ?? own;
}

function findDescendantError(v: Value, codes: string[]): boolean {
  const queue: Value[] = [v];
  let budget = 5000;
  while (queue.length && budget-- > 0) {
    const cur = queue.shift()!;
    const e = cur.err();
    if (e && (codes.length === 0 || codes.includes(e.code))) return true;
    try {
      for (const f of cur.fields({ optional: true, definitions: true, hidden: true })) queue.push(f.value);
      if (cur.kind() === 'list') queue.push(...cur.elements());
    } catch {
      /* not a struct or list */
    }
  }
  return false;
}

function baseName(f: string): string {
  return f.replace(/^.*\//, '');
}

function fmtCodes(codes: string[]): string {
  return codes.map((c) => JSON.stringify(c)).join(' or ') || 'any';
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').slice(0, 300);
}

export function show(v: Value): string {
  try {
    return `: ${oneLine(v.toCUE())}`;
  } catch {
    return '';
  }
}

/**
 * Follows an `at=` path of a @test attribute: dot-separated labels where an
 * integer is a list index and `_x$pkg` is the hidden field `_x` (as in Go's
 * runner); paths with quotes or brackets go to Value.lookupPath.
 */
export function lookupAt(val: Value, at: string): Value {
  if (/["'[\]]/.test(at)) return val.lookupPath(at);
  const sels = at.split('.').map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg.startsWith('_') ? seg.replace(/\$.*$/, '') : seg));
  return val.lookup(...sels);
}
