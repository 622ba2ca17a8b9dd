// A module's own struct literal next to the core schema it embeds
// (`#Definition: {core.#ModuleDefinition, components: web: {…}}`) may add fields
// the schema does not declare: CUE lets an embedding's literal add fields
// anywhere within the definition it embeds (spec, Definitions: "Embedding
// allows bypassing this check"), and a pattern constraint (`containers:
// [Name=#NameType]: {#Container, name: Name}`) applies only to the labels it
// matches. So a container named `My Container` gets none of #Container's fields
// and fails inside a transformer, and a component `Worker_X` none of
// #Component's. The concrete components and scopes are checked here against
// the core schema alone, where its closedness and patterns hold.
import { formatPos, type Pos, type Value } from '@opm/cue';
import { formatPath, isObject, type PlainObject } from './paths.js';
import { patternsOf } from './value-patterns.js';

const MAX_REPORTED = 20;

/**
 * The labels of `data` (`{components, scopes}` as rendered) that `schema`
 * (core's #ModuleDefinition) does not allow, one message each:
 * `component web: workload.containers."My Container": name must match #NameType (=~"…")`.
 */
export function labelViolations(core: Value, schema: Value, data: PlainObject, where?: (path: string[]) => Pos | undefined): string[] {
  const bad: { path: string[]; patterns: string[] }[] = [];
  walk(schema, data, [], bad);
  if (!bad.length) return [];
  const named = namedTypes(core);
  return bad.map(({ path, patterns }) => {
    const [section, name, ...rest] = path;
    const subject = `${section === 'scopes' ? 'scope' : section === 'components' ? 'component' : section} ${name}`;
    const at = rest.length ? `${subject}: ${formatPath(rest)}` : subject;
    const pos = where?.(path);
    const file = pos ? `\n    ${formatPos(pos)}` : '';
    if (!patterns.length) return `${at}: field not allowed: core's schema declares no such field${file}`;
    const rule = patterns.map((p) => named.get(p) ?? p.slice(1, -1)).join(' or ');
    return `${at}: name must match ${rule}${file}`;
  });
}

function walk(schema: Value, data: unknown, path: string[], out: { path: string[]; patterns: string[] }[]): void {
  if (!isObject(data)) return;
  for (const [k, x] of Object.entries(data)) {
    if (out.length >= MAX_REPORTED) return;
    let child = schema.lookup(k);
    if (!child.exists()) {
      if (!schema.allows(k)) {
        out.push({ path: [...path, k], patterns: patternsOf(schema) });
        continue;
      }
      if (!isObject(x)) continue;
      // A label a pattern constraint matches: the value the pattern gives it.
      child = schema.fill({}, k).lookup(k);
      if (!child.exists() || child.err()) continue;
    }
    walk(child, x, [...path, k], out);
  }
}

/** Core's named string types (`#NameType`) by the pattern text CUE prints for them (`[=~"…"]`). */
function namedTypes(core: Value): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of core.fields({ definitions: true })) {
    if (!f.definition) continue;
    let text: string;
    try {
      text = f.value.toCUE();
    } catch {
      continue;
    }
    // CUE prints `string & =~"…"` as `=~"…"` : a regexp bound is a string already.
    const m = /^(?:string & )?(=~".*")$/.exec(text);
    if (m) out.set(`[${text}]`, `${f.label} (${m[1]})`);
  }
  return out;
}
