// Parsing the body of an attribute such as `@test(err, code=eval, pos=[0:1, 1:2])`:
// comma-separated fields, each `value` or `key=value`, where values may be
// quoted strings (including `"""` multi-line strings and `#"..."#`) or
// bracketed CUE expressions containing commas.

export interface AttrField {
  /** '' for a positional field. */
  key: string;
  /** The value as written (trimmed). */
  raw: string;
  /** The value with one level of string quoting removed. */
  value: string;
}

export class AttrSyntaxError extends Error {}

export function parseAttrBody(text: string): AttrField[] {
  const body = blankComments(text);
  const fields: AttrField[] = [];
  let i = 0;
  let start = 0;
  let depth = 0;
  const push = (end: number) => fields.push(splitField(body.slice(start, end)));
  while (i < body.length) {
    const c = body[i]!;
    if (c === '"' || c === "'" || (c === '#' && /^#+["']/.test(body.slice(i, i + 8)))) {
      i = skipString(body, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth < 0) throw new AttrSyntaxError(`unbalanced ${c} in attribute`);
    } else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
    i++;
  }
  if (depth !== 0) throw new AttrSyntaxError('unbalanced brackets in attribute');
  if (body.slice(start).trim() !== '' || fields.length) push(body.length);
  return fields;
}

/**
 * The body with its `//` comments turned into spaces (strings left alone):
 * a multi-line attribute may comment on its arguments, and a comma in such a
 * comment separates nothing.
 */
function blankComments(body: string): string {
  if (!body.includes('//')) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '"' || c === "'" || (c === '#' && /^#+["']/.test(body.slice(i, i + 8)))) {
      const end = skipString(body, i);
      out += body.slice(i, end);
      i = end;
    } else if (c === '/' && body[i + 1] === '/') {
      const nl = body.indexOf('\n', i);
      const end = nl < 0 ? body.length : nl;
      out += ' '.repeat(end - i);
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function splitField(text: string): AttrField {
  const t = text.trim();
  // `key=value` where key is a plain or `:`-qualified name; not `==` or `=~`.
  const m = /^([A-Za-z_$#][\w$#]*(?::[\w$#]+)?)\s*=(?![=~])\s*/.exec(t);
  if (m) {
    const raw = t.slice(m[0].length).trim();
    return { key: m[1]!, raw, value: unquote(raw) };
  }
  return { key: '', raw: t, value: unquote(t) };
}

/** Returns the index just after the string starting at `i`. */
function skipString(s: string, i: number): number {
  let hashes = 0;
  while (s[i] === '#') {
    hashes++;
    i++;
  }
  const q = s[i]!;
  const triple = s.startsWith(q.repeat(3), i);
  const close = (triple ? q.repeat(3) : q) + '#'.repeat(hashes);
  i += triple ? 3 : 1;
  while (i < s.length) {
    if (s[i] === '\\' && hashes === 0) {
      i += 2;
      continue;
    }
    if (s.startsWith(close, i)) return i + close.length;
    i++;
  }
  throw new AttrSyntaxError('unterminated string in attribute');
}

/** Removes one level of simple string quoting (`"x"` → `x`, with JSON-style escapes). */
export function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') && !raw.startsWith('"""')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  return raw;
}
