// Rendered objects in the shape the API server stores them, so that an
// unchanged release compares equal to what is live and re-applies as a no-op.
// Built-in objects are Go structs on the server: empty lists, nulls and empty
// maps of map-typed fields (`omitempty`) are dropped when it encodes them.
// Rendering them anyway (an always-present `annotations: {}` in a pod
// template) makes every re-apply look like a change. Empty structs are kept:
// `emptyDir: {}` or a NetworkPolicy's `podSelector: {}` mean something.
import { isObject } from './paths.js';
import type { KubeObject } from './render.js';

// Fields whose Go type is a map (map[string]string) in the Kubernetes API, dropped when empty.
const MAP_FIELDS = new Set(['labels', 'annotations', 'data', 'binaryData', 'stringData', 'matchLabels', 'nodeSelector', 'selector', 'limits', 'requests', 'parameters', 'volumeAttributes', 'options']);

/** The object without the empty lists, nulls and empty maps the server would drop. */
export function serverShape(obj: KubeObject): KubeObject {
  return prune(obj) as KubeObject;
}

function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(prune);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) continue;
    if (Array.isArray(x) && x.length === 0) continue;
    const p = prune(x);
    if (isObject(p) && Object.keys(p).length === 0 && MAP_FIELDS.has(k)) continue;
    out[k] = p;
  }
  return out;
}
