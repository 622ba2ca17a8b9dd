// The one redaction of secret values, used by every message path (CUE errors,
// value and policy messages, vet -o json, diff, status, history, events).
//
// Two mechanisms, in this order:
//  1. By structure. Values at a secret path, or anywhere below one, are
//     replaced whatever their type (string, number, list, struct); a CUE error
//     whose path lies at or below a secret path has every literal of its text
//     masked, since any of them may be the value (a conflict names two). This
//     happens before any text is shortened for a message.
//  2. Free text, only where a value can stand: a quoted literal ("...") whose
//     content is a known secret value, holds one, or is a shortened start of
//     one; a word of its own; a whole segment of a dotted path after its first
//     (`values.creds.<value>.token: field not allowed`, `data.<value>` in a
//     diff: a value used as a map key). Part of a word or name
//     (`orders-db-postgres`), file names (`orders.cue`) and file paths or URLs
//     (`/home/orders/release.cue`) are never touched, and a quoted literal
//     that is a known name or path (the release's objects, namespaces, files)
//     stays as it is.
import { SECRET_MASK, getPath, isObject, splitPath } from './paths.js';

/** Shorter values are not looked for inside longer quoted text: they would hit ordinary words. */
const MIN_INNER = 4;
/** A shortened literal (`"abc...`) counts as a secret's start only when this much of it is shown. */
const MIN_PREFIX = 8;

const QUOTED = /"((?:[^"\\\n]|\\.)*)("|(?:\.\.\.|…)(?=\s|$|[),;\]]))/g;
const NUMBER = /(?<![<>=!~\w.$#-])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])/g;

export class Redactor {
  private readonly paths: string[][] = [];
  private readonly values = new Set<string>();
  private readonly names = new Set<string>();

  constructor(secretPaths: readonly string[] = []) {
    this.addSecretPaths(secretPaths);
  }

  addSecretPaths(secretPaths: readonly string[]): this {
    for (const p of secretPaths) {
      const parts = splitPath(p);
      if (parts.length && !this.paths.some((q) => q.join('\0') === parts.join('\0'))) this.paths.push(parts);
    }
    return this;
  }

  get secretPaths(): string[][] {
    return this.paths;
  }

  /** A secret value of any type: strings as they are, scalars as printed, lists and structs by their leaves. */
  addValue(v: unknown): this {
    if (v === undefined || v === null || v === '') return this;
    if (typeof v === 'string') this.values.add(v);
    else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') this.values.add(String(v));
    else if (Array.isArray(v)) v.forEach((x) => this.addValue(x));
    else if (typeof v === 'object') Object.values(v).forEach((x) => this.addValue(x));
    return this;
  }

  /** Every value found at (or below) the secret paths of a values tree. */
  addValuesAt(values: unknown): this {
    if (!isObject(values)) return this;
    for (const p of this.paths) this.addValue(getPath(values, p));
    return this;
  }

  /** Names and paths that are printed as they are even when a secret value happens to equal them. */
  addNames(names: Iterable<string | undefined>): this {
    for (const n of names) if (n) this.names.add(n);
    return this;
  }

  /** Whether a values path (`['database', 'password']`) is at or below a secret path. */
  isSecretPath(path: readonly (string | number)[]): boolean {
    return this.paths.some((p) => p.length <= path.length && p.every((s, i) => String(path[i]) === s));
  }

  /** The part of an error path that lies inside the values (after the last `values`), or undefined. */
  static valuesPart(path: readonly string[]): string[] | undefined {
    const i = path.lastIndexOf('values');
    return i < 0 ? undefined : path.slice(i + 1);
  }

  /** A deep copy of values with everything at or below a secret path replaced by the mask (empty strings and nulls kept: they say "not set"). */
  maskValues<T>(values: T, at: readonly string[] = []): T {
    const walk = (v: unknown, at: string[]): unknown => {
      if (at.length && this.isSecretPath(at)) return v === '' || v === null || v === undefined ? v : SECRET_MASK;
      if (Array.isArray(v)) return v.map((x, i) => walk(x, [...at, String(i)]));
      if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...at, k])]));
      return v;
    };
    return walk(values, [...at]) as T;
  }

  /** Masks every literal of a message about a value at a secret path: quoted text, numbers, booleans, lists. */
  static maskLiterals(text: string): string {
    // A literal right after an operator (`=~"^.{12,}$"`, `>=8`) is the constraint, not the value.
    return text
      .replace(QUOTED, (whole, _i, _e, at: number) => (/[=~<>!]$/.test(text.slice(0, at)) ? whole : `"${SECRET_MASK}"`))
      .replace(/\[[^\][]*\]/g, SECRET_MASK)
      .replace(NUMBER, SECRET_MASK)
      .replace(/\b(?:true|false)\b/g, SECRET_MASK);
  }

  /**
   * Free text: each quoted literal that is, holds or starts a known secret
   * value becomes `"<secret>"`; outside quotes, a secret standing as a word of
   * its own (`token abc123xyz rejected`) is replaced, never a part of a name or
   * path (`orders-db-postgres`, `w2-password-too-short.cue`).
   */
  scrub(text: string): string {
    const plain = stripUrlCredentials(text);
    if (!this.values.size) return plain;
    const secrets = [...this.values];
    let out = plain.includes('"') ? this.scrubQuoted(plain, secrets) : plain;
    for (const s of secrets.filter((x) => x.length >= MIN_INNER && !this.names.has(x)).sort((a, b) => b.length - a.length)) {
      if (!out.includes(s)) continue;
      const e = escapeRegExp(s);
      // A word of its own; or a whole segment of a dotted path after the first (`values.creds.<s>.token`,
      // `data.<s>`: a map key made from the value) — unless the token is a file path or URL (`/`).
      out = out.replace(new RegExp(`(?<![\\w./@-])${e}(?![\\w/@-]|\\.\\w)|(?<=[\\w"\\])>-]\\.)${e}(?![\\w/@-])`, 'g'), (m: string, at: number, all: string) =>
        all[at - 1] === '.' && tokenAround(all, at, m.length).includes('/') ? m : SECRET_MASK,
      );
    }
    return out;
  }

  private scrubQuoted(text: string, secrets: string[]): string {
    return text.replace(QUOTED, (whole, inner: string, end: string) => {
      let content = decode(inner);
      if (this.names.has(content)) return whole;
      const cut = /(?:\.\.\.|…)$/.exec(content);
      const shortened = end !== '"' || !!cut;
      if (cut) content = content.slice(0, cut.index);
      const hit = secrets.some((s) =>
        shortened
          ? content.length >= Math.min(MIN_PREFIX, s.length) && (s.startsWith(content) || content.includes(s) || quotedForm(s).startsWith(inner))
          : content === s || (s.length >= MIN_INNER && content.includes(s)),
      );
      return hit ? `"${SECRET_MASK}"` : whole;
    });
  }

  /** The same error with its message (and stack) scrubbed; problem lists of model errors too. */
  scrubError(e: unknown): Error {
    if (!(e instanceof Error)) return new Error(this.scrub(String(e)));
    e.message = this.scrub(e.message);
    if (e.stack) e.stack = this.scrub(e.stack);
    const x = e as unknown as { problems?: unknown; violations?: unknown };
    for (const k of ['problems', 'violations'] as const) {
      const list = x[k];
      if (Array.isArray(list)) Object.defineProperty(e, k, { value: list.map((m) => (typeof m === 'string' ? this.scrub(m) : m)), enumerable: true });
    }
    return e;
  }

  /** A CUE error's message, with every literal masked when it is about a value at or below a secret path. */
  cueMessage(e: { message: string; path: readonly string[]; detail?: string }): string {
    const inValues = Redactor.valuesPart(e.path);
    if (!inValues?.length || !this.isSecretPath(inValues)) return this.scrub(e.message);
    // Only the detail: the path and the file positions are names, not values.
    const detail = e.detail ?? e.message;
    const masked = Redactor.maskLiterals(detail);
    return this.scrub(e.message.includes(detail) ? e.message.replace(detail, () => masked) : masked);
  }
}

/**
 * URLs lose their `user:password@` part: a kubeconfig server URL or a registry
 * URL with credentials appears in connection errors.
 */
export function stripUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi, '$1');
}

function decode(inner: string): string {
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return inner;
  }
}

/** The whitespace-delimited token holding text[at, at+len). */
function tokenAround(text: string, at: number, len: number): string {
  let a = at;
  while (a > 0 && !/\s/.test(text[a - 1]!)) a--;
  let b = at + len;
  while (b < text.length && !/\s/.test(text[b]!)) b++;
  return text.slice(a, b);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function quotedForm(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** A redactor for the secret paths of a values schema, knowing the values given for them. */
export function redactorFor(secretPaths: readonly string[], ...valueTrees: unknown[]): Redactor {
  const r = new Redactor(secretPaths);
  for (const v of valueTrees) r.addValuesAt(v);
  return r;
}
