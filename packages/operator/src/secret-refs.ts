// Secret keys and references of `spec.secretValues`. A Secret's data keys
// follow Kubernetes' rules (IsConfigMapKey: `[-._a-zA-Z0-9]+`, at most 253
// characters, not `.`, `..` or starting with `..`) and a Secret's name is a
// DNS subdomain. A reference that breaks them can never be satisfied, so it
// is refused with the layer (release), the field path and the rule, by the
// admission webhook and the controller alike, instead of waiting for a
// Secret that cannot exist. Keys opm derives from a values path follow the
// same rules (secretKeyFor).
import { createHash } from 'node:crypto';
import { ValidationError, splitPath } from '@opm/core';
import type { ModuleReleaseObject } from './resource.js';

const KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_KEY = 253;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const SECRET_KEY_RULE = `a Secret key consists of letters, digits, '-', '_' and '.' (at most ${MAX_KEY} characters, not '.' or '..', not starting with '..')`;
const SECRET_NAME_RULE = "a Secret name is a DNS subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (at most 253 characters)";

/** Why `key` is not a valid Secret data key, or undefined when it is. */
export function secretKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key === '') return 'is empty';
  if (key.length > MAX_KEY) return `has ${key.length} characters`;
  if (!KEY.test(key)) return 'holds characters outside [-._a-zA-Z0-9]';
  if (key === '.' || key === '..' || key.startsWith('..')) return `is ${key === '.' ? "'.'" : key === '..' ? "'..'" : "starting with '..'"}`;
  return undefined;
}

/**
 * The Secret key for a values path: its segments joined by `.` without quotes
 * (`integrations."stripe-eu".token` → `integrations.stripe-eu.token`). A path
 * whose segments hold a `.` (`a."b.c"` would read as `a.b.c`) or characters
 * a key may not hold (`"eu west"`, `"ключ"`) gets those replaced by `_` and a
 * short hash of its segments appended, so that two paths never share a key;
 * the key stays readable and always valid.
 */
export function secretKeyFor(path: string): string {
  const segs = splitPath(path);
  const plain = segs.join('.');
  if (segs.every((s) => /^[-_a-zA-Z0-9]+$/.test(s)) && !secretKeyProblem(plain)) return plain;
  const hash = createHash('sha256').update(JSON.stringify(segs)).digest('hex').slice(0, 12);
  const safe = segs.map((s) => s.replace(/[^-_a-zA-Z0-9]+/g, '_')).join('.').slice(0, MAX_KEY - hash.length - 1);
  return `${safe}-${hash}`;
}

/** A refused field of spec.secretValues: the layer, path and constraint, for status.lastError. */
export class SecretRefError extends ValidationError {
  constructor(
    problems: string[],
    readonly path: string,
    readonly constraint: string,
  ) {
    super(problems, 'release');
  }
}

/** Refuses spec.secretValues entries whose key or Secret name Kubernetes would never accept (and malformed entries). */
export function checkSecretValueRefs(mr: ModuleReleaseObject): void {
  const refs: unknown = mr.spec.secretValues ?? [];
  const who = `release ${mr.metadata.name}`;
  const problems: { path: string; constraint: string; text: string }[] = [];
  const add = (path: string, text: string, constraint: string) => problems.push({ path, constraint, text: `${who}: ${path}: ${text} (${constraint})` });
  if (!Array.isArray(refs)) {
    add('spec.secretValues', 'must be a list', 'a list of {path, secretKeyRef: {name, key}}');
  } else {
    const seen = new Set<string>();
    refs.forEach((r: unknown, i: number) => {
      const at = `spec.secretValues[${i}]`;
      const ref = r as { path?: unknown; secretKeyRef?: { name?: unknown; key?: unknown } } | null;
      if (!ref || typeof ref !== 'object') return add(at, 'must be an object', 'an entry is {path, secretKeyRef: {name, key}}');
      if (typeof ref.path !== 'string' || !ref.path) {
        add(`${at}.path`, 'is missing', 'the values path of a secret value, e.g. database.password');
      } else {
        if (splitPath(ref.path).length === 0) add(`${at}.path`, `${JSON.stringify(ref.path)} names no value`, 'the values path of a secret value, e.g. database.password');
        if (seen.has(ref.path)) add(`${at}.path`, `${JSON.stringify(ref.path)} is given twice`, 'each secret value comes from one Secret key');
        seen.add(ref.path);
      }
      const name = ref.secretKeyRef?.name;
      if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
        add(`${at}.secretKeyRef.name`, typeof name === 'string' && name ? `${JSON.stringify(name)} is not a valid Secret name` : 'is missing', SECRET_NAME_RULE);
      }
      const key = ref.secretKeyRef?.key;
      const why = secretKeyProblem(key);
      if (why) add(`${at}.secretKeyRef.key`, typeof key === 'string' && key ? `${JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key)} ${why}` : 'is missing', SECRET_KEY_RULE);
    });
  }
  if (problems.length) throw new SecretRefError(problems.map((p) => p.text), problems[0]!.path, problems[0]!.constraint);
}
