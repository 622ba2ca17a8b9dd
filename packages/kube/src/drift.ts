// Drift: fields opm applied whose live value no longer matches the stored
// manifest (someone edited, scaled or patched the object outside opm). Every
// leaf of the stored manifest is compared with the live object; for each
// difference the field managers that now own that field (from
// metadata.managedFields) are named, which tells who changed it.
import { MASK, isSecret } from './redact.js';
import type { KubeObject } from './types.js';
import { FIELD_MANAGER } from './types.js';
import { comparable, sameJson } from './normalize.js';
import { withLiveSecretValues } from './history/secrets.js';

type Seg = string | { key: Record<string, unknown> } | number;

export interface DriftEntry {
  path: string;
  want: unknown;
  live: unknown;
  managers: string[];
}

interface ManagedField {
  manager?: string;
  operation?: string;
  fieldsV1?: Record<string, unknown>;
}

function pathText(segs: Seg[]): string {
  let s = '';
  for (const g of segs) {
    if (typeof g === 'string') s += (s ? '.' : '') + g;
    else if (typeof g === 'number') s += `[${g}]`;
    else s += `[${Object.entries(g.key).map(([k, v]) => `${k}=${String(v)}`).join(',')}]`;
  }
  return s;
}

/** Managers whose fieldsV1 set contains the field at `segs` (or an atomic ancestor of it). */
export function managersOf(live: KubeObject, segs: Seg[]): string[] {
  const mf = (live.metadata.managedFields as ManagedField[] | undefined) ?? [];
  const out: string[] = [];
  for (const m of mf) {
    let node: unknown = m.fieldsV1;
    let owned = false;
    for (let i = 0; i < segs.length && node && typeof node === 'object'; i++) {
      const g = segs[i]!;
      const n = node as Record<string, unknown>;
      let next: unknown;
      if (typeof g === 'string') next = n[`f:${g}`];
      else if (typeof g === 'number') next = n[`i:${g}`];
      else {
        for (const [k, v] of Object.entries(n)) {
          if (!k.startsWith('k:')) continue;
          try {
            const key = JSON.parse(k.slice(2)) as Record<string, unknown>;
            if (Object.entries(key).every(([kk, vv]) => sameJson(g.key[kk], vv))) next = v;
          } catch {
            /* not a key we understand */
          }
        }
      }
      if (next === undefined) break;
      // An empty set at this point owns the whole subtree (atomic field or leaf).
      if (i === segs.length - 1 || (next && typeof next === 'object' && Object.keys(next).filter((k) => k !== '.').length === 0)) {
        owned = true;
        break;
      }
      node = next;
    }
    if (owned && m.manager && !out.includes(m.manager)) out.push(m.manager);
  }
  return out;
}

export function driftOf(stored: KubeObject, live: KubeObject | undefined): DriftEntry[] {
  if (!live) return [{ path: '(object)', want: 'present', live: 'deleted', managers: [] }];
  const out: (DriftEntry & { segs?: Seg[] })[] = [];
  const secret = isSecret(stored);
  const walk = (want: unknown, have: unknown, segs: Seg[]): void => {
    if (Array.isArray(want)) {
      const keyed = want.every((w) => w && typeof w === 'object' && typeof (w as { name?: unknown }).name === 'string');
      if (keyed && Array.isArray(have)) {
        for (const w of want as Record<string, unknown>[]) {
          const h = have.find((x) => x && typeof x === 'object' && (x as { name?: unknown }).name === w.name);
          walk(w, h, [...segs, { key: { name: w.name } }]);
        }
        return;
      }
      if (!sameJson(want, have)) out.push({ path: pathText(segs), want, live: have, managers: [], segs } as DriftEntry);
      return;
    }
    if (want && typeof want === 'object') {
      // An empty map in the manifest is satisfied by an absent one (the server drops empty maps).
      if (Object.keys(want).length === 0 && (have === undefined || have === null)) return;
      if (!have || typeof have !== 'object') {
        out.push({ path: pathText(segs), want, live: have, managers: [], segs } as DriftEntry);
        return;
      }
      for (const [k, v] of Object.entries(want)) walk(v, (have as Record<string, unknown>)[k], [...segs, k]);
      return;
    }
    if (want !== have && !(typeof want === 'number' && String(want) === String(have))) {
      out.push({ path: pathText(segs), want, live: have, managers: [], segs } as DriftEntry);
    }
  };
  // The server folds a Secret's stringData into data: compare the folded form.
  const { metadata, ...body } = secret ? (comparable(withLiveSecretValues(stored, live)) as KubeObject) : stored;
  walk(body, live, []);
  walk({ labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} }, live.metadata, ['metadata']);
  // Re-walk for owners: the path text loses segment structure, so compute alongside.
  for (const d of out) {
    d.managers = managersOf(live, d.segs ?? []).filter((m) => m !== FIELD_MANAGER);
    if (secret && (d.path.startsWith('data') || d.path.startsWith('stringData'))) {
      d.want = MASK;
      d.live = d.live === undefined ? undefined : MASK;
    }
    delete d.segs;
  }
  return out;
}

export function formatDrift(d: DriftEntry): string {
  const show = (v: unknown) => (v === undefined ? '<unset>' : typeof v === 'string' ? v : JSON.stringify(v));
  const by = d.managers.length ? ` (now managed by ${d.managers.map((m) => `"${m}"`).join(', ')})` : '';
  return `${d.path}: want ${show(d.want)}, live ${show(d.live)}${by}`;
}
