// The merge rules of the value cascade (definition defaults → module
// overrides → platform locks → release values):
// - structs merge key by key, recursively;
// - anything else (scalars, lists) in the higher layer replaces the lower one
//   whole: lists are never concatenated or merged by index;
// - `null` in a higher layer removes the key, so the field falls back to the
//   definition's default (or is left unset when it has none). This applies to
//   values given as data (`opm mod build -f values.yaml`, values recorded by
//   `opm release scale`). A release *file* is CUE checked against
//   #ModuleRelease, where `replicas: null` conflicts with `int` like any other
//   wrong type; there null is only accepted where the schema allows it.
import { isObject, type Plain, type PlainObject } from './paths.js';

export interface Origin {
  layer: string;
  file?: string;
  line?: number;
}

export function mergeValues(lower: PlainObject, higher: PlainObject): PlainObject {
  const out: PlainObject = { ...lower };
  for (const [k, h] of Object.entries(higher)) {
    if (h === null) {
      delete out[k];
      continue;
    }
    const l = out[k];
    out[k] = isObject(l) && isObject(h) ? mergeValues(l, h) : cloneWithoutNulls(h);
  }
  return out;
}

function cloneWithoutNulls(x: Plain): Plain {
  if (!isObject(x)) return Array.isArray(x) ? structuredClone(x) : x;
  const out: PlainObject = {};
  for (const [k, v] of Object.entries(x)) if (v !== null) out[k] = cloneWithoutNulls(v);
  return out;
}

/** Combines two values of the same layer: like mergeValues, but a null stays (it deletes in the cascade later). */
export function overlayValues(lower: PlainObject, higher: PlainObject): PlainObject {
  const out: PlainObject = { ...lower };
  for (const [k, h] of Object.entries(higher)) {
    const l = out[k];
    out[k] = isObject(l) && isObject(h) ? overlayValues(l, h) : structuredClone(h);
  }
  return out;
}
