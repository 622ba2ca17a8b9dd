/** JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch. */
import { apiError, errors } from './errors.js';
import { clone, deepEqual, isObj } from './json.js';
import type { TypeInfo } from './schema.js';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, unknown> = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function patchFailed(message: string): never {
  // upstream: errors.NewGenericServerResponse(422, "", {}, "", err, 0, false)
  throw apiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message }],
  });
}

function unescape(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(ptr: string): string[] {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) patchFailed(`invalid JSON pointer: ${JSON.stringify(ptr)}`);
  return ptr.slice(1).split('/').map(unescape);
}

function getAt(doc: any, parts: string[]): any {
  let cur = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObj(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let root: any = clone(doc);
  for (const op of ops as any[]) {
    const path = parsePointer(String(op.path ?? ''));
    const parentParts = path.slice(0, -1);
    const last = path[path.length - 1];
    const parent = () => {
      const p = getAt(root, parentParts);
      if (!isObj(p) && !Array.isArray(p)) patchFailed(`doc is missing path: "${op.path}": missing value`);
      return p;
    };
    const put = (value: unknown, replace: boolean) => {
      if (path.length === 0) {
        root = clone(value);
        return;
      }
      const p: any = parent();
      if (Array.isArray(p)) {
        const idx = last === '-' ? p.length : Number(last);
        if (!Number.isInteger(idx) || idx < 0 || idx > p.length || (replace && idx >= p.length))
          patchFailed(`add operation does not apply: doc is missing path: "${op.path}": missing value`);
        if (replace) p[idx] = clone(value);
        else p.splice(idx, 0, clone(value));
      } else {
        if (replace && !(last! in p)) patchFailed(`replace operation does not apply: doc is missing key: ${op.path}: missing value`);
        p[last!] = clone(value);
      }
    };
    const remove = (): unknown => {
      const p: any = parent();
      if (Array.isArray(p)) {
        const idx = Number(last);
        if (!Number.isInteger(idx) || idx < 0 || idx >= p.length) patchFailed(`remove operation does not apply: doc is missing path: "${op.path}": missing value`);
        return p.splice(idx, 1)[0];
      }
      if (!(last! in p)) patchFailed(`remove operation does not apply: doc is missing path: "${op.path}": missing value`);
      const v = p[last!];
      delete p[last!];
      return v;
    };
    switch (op.op) {
      case 'add':
        put(op.value, false);
        break;
      case 'replace':
        put(op.value, true);
        break;
      case 'remove':
        remove();
        break;
      case 'move': {
        const from = parsePointer(String(op.from ?? ''));
        const v = getAt(root, from);
        if (v === undefined) patchFailed(`move operation does not apply: doc is missing from path: "${op.from}": missing value`);
        jsonPatchRemove(root, from);
        put(v, false);
        break;
      }
      case 'copy': {
        const v = getAt(root, parsePointer(String(op.from ?? '')));
        if (v === undefined) patchFailed(`copy operation does not apply: doc is missing from path: "${op.from}": missing value`);
        put(v, false);
        break;
      }
      case 'test': {
        const v = getAt(root, path);
        if (!deepEqual(v, op.value)) patchFailed(`testing value ${op.path} failed: test failed`);
        break;
      }
      default:
        patchFailed(`Unexpected kind: ${op.op}`);
    }
  }
  return root;
}

function jsonPatchRemove(root: any, parts: string[]): void {
  const p = getAt(root, parts.slice(0, -1));
  const last = parts[parts.length - 1]!;
  if (Array.isArray(p)) p.splice(Number(last), 1);
  else if (isObj(p)) delete p[last];
}

/**
 * Strategic merge patch for built-in kinds: maps merge (null deletes), lists with a patch merge key
 * merge by key (`$patch: delete|replace|merge` honoured on items), primitive `set` lists (finalizers)
 * union with `$deleteFromPrimitiveList/<field>`, other lists replace. `$setElementOrder/` and
 * `$retainKeys` directives are accepted and ignored.
 */
export function strategicMergePatch(target: unknown, patch: unknown, ti: TypeInfo, spath: string[] = []): unknown {
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const p = clone(patch);
    delete p.$patch;
    return p;
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, any> = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v)) out[f] = out[f].filter((x: unknown) => !v.some((d) => deepEqual(d, x)));
      continue;
    }
    const cpath = [...spath, k];
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      const lt = ti.list(cpath);
      const key = ti.smpMergeKey(cpath);
      if (lt.type === 'map' && key && Array.isArray(out[k])) {
        const list: any[] = clone(out[k]);
        for (const item of v) {
          if (!isObj(item)) continue;
          if (item.$patch === 'replace') {
            // replace the whole list with the remaining items
            out[k] = v.filter((x) => isObj(x) && x.$patch !== 'replace');
            break;
          }
          const idx = list.findIndex((x) => isObj(x) && deepEqual(x[key], item[key]));
          if (item.$patch === 'delete') {
            if (idx >= 0) list.splice(idx, 1);
            continue;
          }
          if (idx >= 0) list[idx] = strategicMergePatch(list[idx], item, ti, [...cpath, '[]']);
          else list.push(strategicMergePatch({}, item, ti, [...cpath, '[]']));
          out[k] = list;
        }
        if (!Array.isArray(out[k]) || out[k] === undefined) out[k] = list;
        continue;
      }
      if (lt.type === 'map' && key) {
        out[k] = v.filter((x) => !(isObj(x) && x.$patch === 'delete')).map((x) => strategicMergePatch({}, x, ti, [...cpath, '[]']));
        continue;
      }
      if (lt.type === 'set' && Array.isArray(out[k])) {
        const list = clone(out[k]) as unknown[];
        for (const x of v) if (!list.some((y) => deepEqual(x, y))) list.push(clone(x));
        out[k] = list;
        continue;
      }
      out[k] = clone(v);
      continue;
    }
    if (isObj(v)) {
      const r = strategicMergePatch(out[k], v, ti, cpath);
      if (r === undefined) delete out[k];
      else out[k] = r;
      continue;
    }
    out[k] = v;
  }
  return out;
}
