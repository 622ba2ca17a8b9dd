// Which names a struct of a values schema declares: its fields, and every name
// one of its pattern constraints (`[string]: …`, `[=~"^x-"]: …`) matches. The
// overlap between a definition's values and the platform's own (#values,
// module.ts) and which part of the final values the definition sees
// (release.ts) are decided by the engine's own closedness (`allows`), the
// patterns named in messages as CUE prints them.
import type { Context, Value } from '@opm/cue';
import { isObject, type PlainObject } from './paths.js';

/**
 * The pattern constraints of `v` that match `label`. A pattern that cannot be
 * evaluated on its own (it refers to a definition of its package) is counted
 * as matching when `v` allows the label at all.
 */
export function patternsMatching(ctx: Context, v: Value, label: string): string[] {
  if (!v.allows(label)) return [];
  const all = v.patterns();
  const matching = all.filter((p) => {
    try {
      const probe = ctx.compile(`x: close({${p}: _})`).lookup('x');
      return probe.err() ? true : probe.allows(label);
    } catch {
      return true;
    }
  });
  return matching;
}

/**
 * Whether the definition's values declare `path`: a field of its own all the
 * way, or a name a pattern constraint of a (closed) struct matches. A name an
 * open struct (`...`) merely admits is not declared.
 */
export function declaredBy(ctx: Context, values: Value, path: string[]): { declared: boolean; pattern?: { at: string[]; patterns: string[] } } {
  let cur = values;
  for (let i = 0; i < path.length; i++) {
    const next = cur.lookup(path[i]!);
    if (next.exists()) {
      cur = next;
      continue;
    }
    const patterns = patternsMatching(ctx, cur, path[i]!);
    return patterns.length ? { declared: true, pattern: { at: path.slice(0, i), patterns } } : { declared: false };
  }
  return { declared: true };
}

/**
 * The part of final values a definition accepts: what its values schema
 * allows (fields, names its patterns match, anything under an open struct);
 * the rest is the platform's own (#values) and stays out of the definition.
 */
export function allowedPart(schema: Value, values: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const [k, x] of Object.entries(values)) {
    const field = schema.lookup(k);
    if (field.exists()) out[k] = isObject(x) && field.fields({ optional: true }).length ? allowedPart(field, x) : x;
    else if (schema.allows(k)) out[k] = x;
  }
  return out;
}
