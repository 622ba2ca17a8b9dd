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

const MAX_REPORTED = 20;

/**
 * The labels of `data` (`{components, scopes}` as rendered) that core's
 * #ModuleDefinition does not allow, one message each:
 * `component web: workload.containers."My Container": name must match #NameType (=~"…")`.
 */
export function labelViolations(core: Value, data: PlainObject, where?: (path: string[]) => Pos | undefined): string[] {
  const bad: { path: string[]; patterns: string[] }[] = [];
  let root = shapes.get(core);
  if (!root) shapes.set(core, (root = shapeOf(core.lookup('#ModuleDefinition'))));
  walk(root, data, [], bad);
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

/**
 * A node of the schema as the walk meets it, with what was asked of it: whether a label is allowed
 * and the node under it. Kept per schema value (the session's core schema), so the releases a
 * session renders ask the engine once per shape of their components, not once per field.
 */
interface Shape {
  value: Value;
  labels: Map<string, { allowed: boolean; child?: Shape | null }>;
  /** The node every label its pattern constraint matches gets (the pattern's value, whatever the label). */
  patterned?: Shape | null;
}

/** Per core schema (a session's), the walk's root: #ModuleDefinition. */
const shapes = new WeakMap<Value, Shape>();

const shapeOf = (value: Value): Shape => ({ value, labels: new Map() });

function entry(shape: Shape, k: string): { allowed: boolean; child?: Shape | null } {
  let e = shape.labels.get(k);
  if (!e) {
    const field = shape.value.lookup(k);
    e = field.exists() ? { allowed: true, child: shapeOf(field) } : { allowed: shape.value.allows(k) };
    shape.labels.set(k, e);
  }
  return e;
}

/**
 * The node under an allowed label the schema does not declare: the value its pattern constraint gives
 * it. Every label gets the same node (an alias such as `[Name=#NameType]` only fills in the name): no
 * struct of core's schema has two pattern constraints (test/schema-labels.test.ts keeps it so).
 */
function patternChild(shape: Shape, k: string): Shape | null {
  if (shape.patterned === undefined) {
    const v = shape.value.fill({}, k).lookup(k);
    shape.patterned = v.exists() && !v.err() ? shapeOf(v) : null;
  }
  return shape.patterned;
}

function walk(shape: Shape, data: unknown, path: string[], out: { path: string[]; patterns: string[] }[]): void {
  if (!isObject(data)) return;
  for (const [k, x] of Object.entries(data)) {
    if (out.length >= MAX_REPORTED) return;
    const e = entry(shape, k);
    if (!e.allowed) {
      out.push({ path: [...path, k], patterns: shape.value.patterns() });
      continue;
    }
    if (!isObject(x)) continue;
    if (e.child === undefined) e.child = patternChild(shape, k);
    if (e.child) walk(e.child, x, [...path, k], out);
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
    // CUE prints `string & =~"…"` as `=~"…"`: a regexp bound is a string already.
    const m = /^(?:string & )?(=~".*")$/.exec(text);
    if (m) out.set(`[${text}]`, `${f.label} (${m[1]})`);
  }
  return out;
}
