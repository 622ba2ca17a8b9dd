/**
 * Structural-schema handling for custom resources (apiextensions-apiserver): pruning of unknown fields,
 * defaulting from `default:`, and validation of type / required / enum / bounds / pattern / lengths.
 * This covers the OpenAPI v3 subset CRDs commonly use; CEL rules (x-kubernetes-validations), formats and
 * oneOf/anyOf/allOf/not are not evaluated.
 */
import type { FieldError } from './errors.js';
import { clone, isObj } from './json.js';

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean, object
}

/** Prunes unknown fields and applies defaults in place. Returns the paths of pruned fields. */
export function pruneAndDefault(obj: any, schema: any, defaults = true): string[] {
  const pruned: string[] = [];
  if (!isObj(schema) || !isObj(obj)) return pruned;
  const walk = (v: any, s: any, path: string, root = false): void => {
    if (!isObj(s)) return;
    if (isObj(v)) {
      const props = isObj(s.properties) ? s.properties : undefined;
      const addl = s.additionalProperties;
      const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
      const embedded = s['x-kubernetes-embedded-resource'] === true;
      for (const k of Object.keys(v)) {
        if ((root || embedded) && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
        const child = path ? `${path}.${k}` : k;
        if (props && props[k]) {
          if (v[k] === null && props[k].nullable !== true) {
            delete v[k];
            continue;
          }
          walk(v[k], props[k], child);
        } else if (isObj(addl)) walk(v[k], addl, child);
        else if (addl === true || preserve) continue;
        else {
          pruned.push(child);
          delete v[k];
        }
      }
      if (props && defaults)
        for (const [k, ps] of Object.entries<any>(props)) {
          if (v[k] === undefined && isObj(ps) && ps.default !== undefined) v[k] = clone(ps.default);
          if (v[k] !== undefined && isObj(ps) && ps.default !== undefined && isObj(v[k])) walk(v[k], ps, path ? `${path}.${k}` : k);
        }
      return;
    }
    if (Array.isArray(v) && isObj(s.items)) v.forEach((item, i) => walk(item, s.items, `${path}[${i}]`));
  };
  walk(obj, schema, '', true);
  return pruned;
}

export function validateStructural(obj: any, schema: any): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(schema)) return errs;
  const walk = (v: any, s: any, path: string, root = false): void => {
    if (!isObj(s)) return;
    const t = s.type as string | undefined;
    const actual = typeOf(v);
    if (v === null) {
      if (s.nullable === true) return;
    }
    if (s['x-kubernetes-int-or-string'] === true) {
      if (actual !== 'integer' && actual !== 'string')
        errs.push({ type: 'Invalid', field: path, value: actual, detail: `${path} in body must be of type integer,string: "${actual}"` });
      return;
    }
    if (t && !(t === actual || (t === 'number' && actual === 'integer'))) {
      errs.push({ type: 'Invalid', field: path, value: actual, detail: `${path} in body must be of type ${t}: "${actual}"` });
      return;
    }
    if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(v))) {
      errs.push({ type: 'NotSupported', field: path, value: v, detail: `supported values: ${s.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}` });
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum))
        errs.push({ type: 'Invalid', field: path, value: v, detail: `${path} in body should be greater than or equal to ${s.minimum}` });
      if (typeof s.maximum === 'number' && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum))
        errs.push({ type: 'Invalid', field: path, value: v, detail: `${path} in body should be less than or equal to ${s.maximum}` });
    }
    if (typeof v === 'string') {
      if (typeof s.maxLength === 'number' && [...v].length > s.maxLength)
        errs.push({ type: 'TooLong', field: path, detail: `may not be more than ${s.maxLength} bytes` });
      if (typeof s.minLength === 'number' && [...v].length < s.minLength)
        errs.push({ type: 'Invalid', field: path, value: v, detail: `${path} in body should be at least ${s.minLength} chars long` });
      if (typeof s.pattern === 'string') {
        let re: RegExp | undefined;
        try {
          re = new RegExp(s.pattern, 'u');
        } catch {
          re = undefined;
        }
        if (re && !re.test(v)) errs.push({ type: 'Invalid', field: path, value: v, detail: `${path} in body should match '${s.pattern}'` });
      }
    }
    if (Array.isArray(v)) {
      if (typeof s.maxItems === 'number' && v.length > s.maxItems)
        errs.push({ type: 'TooMany', field: path, detail: `must have at most ${s.maxItems} items` });
      if (typeof s.minItems === 'number' && v.length < s.minItems)
        errs.push({ type: 'Invalid', field: path, value: v.length, detail: `${path} in body should have at least ${s.minItems} items` });
      if (isObj(s.items)) v.forEach((item, i) => walk(item, s.items, `${path}[${i}]`));
    }
    if (isObj(v)) {
      for (const r of Array.isArray(s.required) ? s.required : [])
        if (v[r] === undefined) errs.push({ type: 'Required', field: path ? `${path}.${r}` : r });
      const props = isObj(s.properties) ? s.properties : {};
      for (const k of Object.keys(v)) {
        if ((root || s['x-kubernetes-embedded-resource']) && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
        const child = path ? `${path}.${k}` : k;
        if (props[k]) walk(v[k], props[k], child);
        else if (isObj(s.additionalProperties)) walk(v[k], s.additionalProperties, child);
      }
    }
  };
  walk(obj, schema, '', true);
  return errs;
}
