// The merge rules of the value cascade (definition defaults → module
// overrides → platform locks → release values):
// - structs merge key by key, recursively;
// - anything else (scalars, lists) in the higher layer replaces the lower one
//   whole: lists are never concatenated or merged by index;
// - `null` in a higher layer removes the key, so the field falls back to the
//   schema's default (or is left unset when it has none). A field can therefore
//   not be set to the literal null through the cascade.
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
