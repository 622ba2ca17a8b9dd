// Secrets never reach the terminal: Secret `data`/`stringData` are masked in
// anything opm prints, values at the release's secret paths are masked, and
// any error or log text is scrubbed of the secret strings opm knows about.
// From its own module, not the package index: keeps the CUE evaluator out of start-up (see scripts/bundle-cli.js).
import { Redactor as CoreRedactor } from '@opm/core/redact';
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

/** A copy of values with everything at or below a secret path replaced by MASK (core's structural redaction). */
export function maskValues(values: Record<string, unknown>, secretPaths: string[] = []): Record<string, unknown> {
  if (secretPaths.length === 0) return values;
  return new CoreRedactor(secretPaths).maskValues(values ?? {});
}

/**
 * Scrubs known secret values out of free text (errors, logs): core's one
 * redaction (quoted literals only, never names or paths), fed with what the
 * cluster side knows: Secret data in both encodings and values at secret paths.
 */
export class Redactor extends CoreRedactor {
  addString(s: unknown): this {
    if (typeof s === 'string' && s.length >= MIN_SCRUB) this.addValue(s);
    else if (s && typeof s === 'object') for (const v of Object.values(s)) this.addString(v);
    return this;
  }

  addObjects(objects: KubeObject[]): this {
    for (const o of objects) {
      this.addNames([o.metadata?.name, o.metadata?.namespace]);
      if (!isSecret(o)) continue;
      for (const v of Object.values(((o as { data?: Record<string, string> }).data) ?? {})) {
        this.addString(v);
        if (typeof v === 'string') this.addString(Buffer.from(v, 'base64').toString('utf8'));
      }
      for (const v of Object.values(((o as { stringData?: Record<string, string> }).stringData) ?? {})) {
        this.addString(v);
        if (typeof v === 'string') this.addString(Buffer.from(v, 'utf8').toString('base64'));
      }
    }
    return this;
  }

  addValues(values: Record<string, unknown> | undefined, secretPaths: string[] = []): this {
    this.addSecretPaths(secretPaths);
    this.addValuesAt(values);
    return this;
  }
}
