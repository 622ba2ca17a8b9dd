// Comparable views of objects: the server-maintained bookkeeping (resourceVersion,
// managedFields, timestamps, status) is dropped so only intended content compares.
import type { KubeObject } from './types.js';
import { isSecret } from './redact.js';

const SERVER_META = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'];

export function comparable(obj: KubeObject | undefined): KubeObject | undefined {
  if (!obj) return undefined;
  const out = JSON.parse(JSON.stringify(obj)) as KubeObject & { status?: unknown };
  delete out.status;
  for (const k of SERVER_META) delete out.metadata[k];
  if (out.metadata.annotations && Object.keys(out.metadata.annotations).length === 0) delete out.metadata.annotations;
  if (isSecret(out)) {
    // The server folds stringData into data; compare the folded form.
    const s = out as { data?: Record<string, string>; stringData?: Record<string, string> };
    if (s.stringData) {
      s.data = { ...(s.data ?? {}) };
      for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(v, 'utf8').toString('base64');
      delete s.stringData;
    }
  }
  return out;
}

/** Whether every leaf of `want` is present and equal in `have` (lists compare whole). */
export function isSubset(want: unknown, have: unknown): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => isSubset(w, have[i]));
  }
  if (want && typeof want === 'object') {
    if (!have || typeof have !== 'object' || Array.isArray(have)) return false;
    return Object.entries(want).every(([k, v]) => isSubset(v, (have as Record<string, unknown>)[k]));
  }
  return want === have || (want === undefined && have === undefined);
}

export function sameJson(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
