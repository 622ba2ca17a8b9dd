// Shared by the redaction property tests: secret values of any type written
// as CUE, and the markers whose every trace the output must lack.
import fc from 'fast-check';

/** A CUE literal for a secret value of any type. */
export function lit(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(lit).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${lit(x)}`).join(', ')}}`;
  return String(v);
}

/** A random 10-hex-digit marker with at least one letter (so it is never read as a number). */
export const marker = fc.stringMatching(/^[0-9a-f]{10}$/).filter((s) => /[a-f]/.test(s));
