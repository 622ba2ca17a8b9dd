// Secrets never reach the terminal: Secret `data`/`stringData` are masked in
// anything opm prints, values at the release's secret paths are masked, and
// any error or log text is scrubbed of the secret strings opm knows about.
import type { KubeObject } from './types.js';

export const MASK = '<secret>';
/** Shorter strings are not scrubbed from free text: they would mask ordinary words. */
const MIN_SCRUB = 4;

export const isSecret = (o: { apiVersion?: string; kind?: string } | undefined): boolean =>
  !!o && o.kind === 'Secret' && (o.apiVersion === 'v1' || o.apiVersion === undefined);

/** A copy of a Secret with every data/stringData value replaced by MASK. */
export function maskSecretObject<T extends KubeObject>(obj: T): T {
  if (!isSecret(obj)) return obj;
  const out = { ...obj } as Record<string, unknown>;
  for (const field of ['data', 'stringData']) {
    const d = out[field];
    if (d && typeof d === 'object') {
      out[field] = Object.fromEntries(Object.keys(d as object).map((k) => [k, MASK]));
    }
  }
  // The last-applied annotation of kubectl would carry the data in clear.
  const ann = obj.metadata.annotations;
  if (ann?.['kubectl.kubernetes.io/last-applied-configuration']) {
    out.metadata = { ...obj.metadata, annotations: { ...ann, 'kubectl.kubernetes.io/last-applied-configuration': MASK } };
  }
  return out as T;
}

/** A copy of values with every dotted secret path replaced by MASK. */
export function maskValues(values: Record<string, unknown>, secretPaths: string[] = []): Record<string, unknown> {
  if (secretPaths.length === 0) return values;
  const out = JSON.parse(JSON.stringify(values ?? {})) as Record<string, unknown>;
  for (const p of secretPaths) {
    const parts = p.split('.').filter(Boolean);
    let cur: unknown = out;
    for (let i = 0; i < parts.length - 1 && cur && typeof cur === 'object'; i++) cur = (cur as Record<string, unknown>)[parts[i]!];
    const last = parts[parts.length - 1];
    if (cur && typeof cur === 'object' && last !== undefined && last in (cur as object)) (cur as Record<string, unknown>)[last] = MASK;
  }
  return out;
}

function valueAt(values: unknown, path: string): unknown {
  let cur = values;
  for (const p of path.split('.').filter(Boolean)) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Scrubs known secret strings out of free text (errors, logs). */
export class Redactor {
  private readonly secrets = new Set<string>();

  addString(s: unknown): void {
    if (typeof s === 'string' && s.length >= MIN_SCRUB) this.secrets.add(s);
    else if (s && typeof s === 'object') for (const v of Object.values(s)) this.addString(v);
  }

  addObjects(objects: KubeObject[]): this {
    for (const o of objects) {
      if (!isSecret(o)) continue;
      for (const [k, v] of Object.entries(((o as { data?: Record<string, string> }).data) ?? {})) {
        this.addString(v);
        if (typeof v === 'string') this.addString(Buffer.from(v, 'base64').toString('utf8'));
        void k;
      }
      for (const v of Object.values(((o as { stringData?: Record<string, string> }).stringData) ?? {})) {
        this.addString(v);
        if (typeof v === 'string') this.addString(Buffer.from(v, 'utf8').toString('base64'));
      }
    }
    return this;
  }

  addValues(values: Record<string, unknown> | undefined, secretPaths: string[] = []): this {
    for (const p of secretPaths) this.addString(valueAt(values, p));
    return this;
  }

  scrub(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
    return out;
  }

  scrubError(e: unknown): Error {
    if (e instanceof Error) {
      e.message = this.scrub(e.message);
      if (e.stack) e.stack = this.scrub(e.stack);
      return e;
    }
    return new Error(this.scrub(String(e)));
  }
}
