// Status conditions (kstatus style): Ready, Reconciling, Stalled, Drifted.
// A condition keeps its lastTransitionTime while its status does not change,
// so a resync that finds nothing new computes the same status and writes nothing.
import type { Condition, ModuleReleaseStatus } from './resource.js';

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function setCondition(conds: Condition[], c: Omit<Condition, 'lastTransitionTime'>): Condition[] {
  const old = conds.find((x) => x.type === c.type);
  const next: Condition = { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime ?? now() : now() };
  return [...conds.filter((x) => x.type !== c.type), next].sort((a, b) => a.type.localeCompare(b.type));
}

export function getCondition(status: ModuleReleaseStatus | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** Status equality ignoring key order. */
export function sameStatus(a: ModuleReleaseStatus | undefined, b: ModuleReleaseStatus): boolean {
  return stable(a ?? {}) === stable(b);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The first problem of a refusal, split into layer, values path and constraint
 * (messages read `release X: values.a.b: <given>: <reason> (schema of …)`).
 * Messages are already scrubbed of secret values by @opm/core.
 */
export function describeError(e: unknown): NonNullable<ModuleReleaseStatus['lastError']> {
  const err = e as { name?: string; message?: string; layer?: string; path?: unknown; constraint?: unknown; problems?: string[]; violations?: string[] };
  const message = clip(err.message ?? String(e));
  const first = err.problems?.[0] ?? err.violations?.[0] ?? message;
  const out: NonNullable<ModuleReleaseStatus['lastError']> = { message };
  const layer = err.layer ?? (err.name === 'PolicyError' ? 'policy' : undefined);
  if (layer) out.layer = layer;
  // An error that knows its field (spec.secretValues[0].secretKeyRef.key) says so itself.
  if (typeof err.path === 'string' && typeof err.constraint === 'string') return { ...out, path: err.path, constraint: clip(err.constraint, 512) };
  const m = /(?:^|[\s:])values\.([A-Za-z0-9_.[\]"-]+):\s*(.*)$/.exec(first);
  if (m) {
    out.path = m[1]!;
    const rest = m[2]!;
    const schema = /\((schema of [^)]*)\)\s*$/.exec(rest);
    out.constraint = clip(schema ? rest.slice(0, schema.index).trim() : rest, 512);
  }
  return out;
}

export function clip(s: string, n = 4000): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
