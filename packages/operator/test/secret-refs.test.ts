// spec.secretValues references follow Kubernetes' Secret rules: a key outside
// [-._a-zA-Z0-9] (or too long, or '.'/'..') and a name that is no DNS
// subdomain are refused with layer, field path and rule; keys opm derives
// from values paths are always valid and never shared by two paths.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath } from '@opm/core';
import { describeError } from '../src/conditions.js';
import { checkSecretValueRefs, secretKeyFor, secretKeyProblem } from '../src/secret-refs.js';
import { releaseToResource, type ModuleReleaseObject } from '../src/resource.js';
import { moduleReleaseCRD } from '../src/crd.js';

function mr(secretValues: unknown): ModuleReleaseObject {
  return { apiVersion: 'core.opm.dev/v1alpha1', kind: 'ModuleRelease', metadata: { name: 'r', namespace: 'n' }, spec: { module: 'm:1.0.0', secretValues: secretValues as never } };
}

function refusal(secretValues: unknown): Error & { layer?: string; path?: string; constraint?: string } {
  try {
    checkSecretValueRefs(mr(secretValues));
  } catch (e) {
    return e as Error;
  }
  throw new Error('accepted');
}

describe('spec.secretValues references', () => {
  it('accepts keys and names Kubernetes accepts', () => {
    for (const key of ['password', 'db.password', 'DB_PASSWORD', 'a-b_c.d', '.dotfile', 'x'.repeat(253)]) {
      expect(() => checkSecretValueRefs(mr([{ path: 'database.password', secretKeyRef: { name: 'shop-db.v2', key } }])), key).not.toThrow();
    }
    expect(() => checkSecretValueRefs(mr(undefined))).not.toThrow();
  });

  it('refuses each bad key with layer, path and constraint (and status.lastError carries them)', () => {
    for (const [key, why] of [
      ['db/password', /holds characters outside \[-\._a-zA-Z0-9\]/],
      ['db password', /holds characters outside/],
      ['pa$$', /holds characters outside/],
      ['ключ', /holds characters outside/],
      ['.', /is '\.'/],
      ['..', /is '\.\.'/],
      ['..data', /starting with '\.\.'/],
      ['x'.repeat(254), /has 254 characters/],
      ['', /is missing/],
    ] as const) {
      const e = refusal([{ path: 'database.password', secretKeyRef: { name: 'shop-db', key } }]);
      expect(e.name, key).toBe('ValidationError');
      expect(e.message).toMatch(/^release r: spec\.secretValues\[0\]\.secretKeyRef\.key: /);
      expect(e.message).toMatch(why);
      expect(e.message).toContain("(a Secret key consists of letters, digits, '-', '_' and '.'");
      expect(describeError(e)).toMatchObject({ layer: 'release', path: 'spec.secretValues[0].secretKeyRef.key', constraint: expect.stringContaining("letters, digits, '-', '_' and '.'") });
    }
  });

  it('refuses bad names, missing fields and repeated paths, listing every problem', () => {
    const e = refusal([
      { path: 'a', secretKeyRef: { name: 'Bad_Name', key: 'k' } },
      { path: 'a', secretKeyRef: { name: 'ok' } },
      { secretKeyRef: { name: 'ok', key: 'k' } },
      'nope',
    ]);
    expect(e.message.split('\n')).toEqual([
      expect.stringMatching(/^release r: spec\.secretValues\[0\]\.secretKeyRef\.name: "Bad_Name" is not a valid Secret name \(a Secret name is a DNS subdomain/),
      expect.stringMatching(/^release r: spec\.secretValues\[1\]\.path: "a" is given twice/),
      expect.stringMatching(/^release r: spec\.secretValues\[1\]\.secretKeyRef\.key: is missing/),
      expect.stringMatching(/^release r: spec\.secretValues\[2\]\.path: is missing/),
      expect.stringMatching(/^release r: spec\.secretValues\[3\]: must be an object/),
    ]);
    expect(refusal('x').message).toMatch(/spec\.secretValues: must be a list/);
  });

  it('the CRD schema holds the same key rule, so the API server refuses it too', () => {
    const crd = moduleReleaseCRD() as { spec: { versions: { schema: { openAPIV3Schema: unknown } }[] } };
    const schema = crd.spec.versions[0]!.schema.openAPIV3Schema as Record<string, Record<string, Record<string, Record<string, Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>>>>>;
    const key = schema.properties!.spec!.properties!.secretValues!.items!.properties!.secretKeyRef!.properties!.key;
    expect(key).toMatchObject({ pattern: '^[-._a-zA-Z0-9]+$', maxLength: 253 });
  });
});

describe('secretKeyFor: the key opm derives from a values path', () => {
  it('is the path without quotes when that is a valid key', () => {
    expect(secretKeyFor('integrations."stripe-eu".token')).toBe('integrations.stripe-eu.token');
    expect(secretKeyFor('database.password')).toBe('database.password');
    expect(secretKeyFor('database."pass.word"')).not.toBe(secretKeyFor('database.pass.word'));
  });

  it('is always a valid key and never the same for two paths (property)', () => {
    // Plain names, names with dots (`a."b.c"` must not become the key of `a.b.c`) and any other text.
    const segment = fc
      .oneof(fc.stringMatching(/^[a-z][a-z0-9]{0,3}$/), fc.stringMatching(/^[a-z]{1,2}(\.[a-z]{1,2}){1,2}$/), fc.string({ minLength: 1, maxLength: 12 }))
      .filter((s) => !s.includes('"') && !s.includes('\\'));
    fc.assert(
      fc.property(fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6, selector: (segs) => segs.join('\u0000') }), (paths) => {
        const formatted = paths.map((segs) => formatPath(segs));
        const keys = formatted.map(secretKeyFor);
        for (const k of keys) expect(secretKeyProblem(k), k).toBeUndefined();
        expect(new Set(keys).size).toBe(new Set(formatted).size);
      }),
      { numRuns: 300 },
    );
  });

  it('releaseToResource references valid keys for paths with any characters', () => {
    const { resource, secretsToCreate } = releaseToResource(
      { name: 'r', namespace: 'n', module: { name: 'm', version: '1.0.0' }, userValues: { creds: { 'eu west/1': { token: 't-secret' } } } },
      ['creds."eu west/1".token'],
    );
    const key = resource.spec.secretValues![0]!.secretKeyRef.key;
    expect(secretKeyProblem(key)).toBeUndefined();
    expect(key).toMatch(/^creds\.eu_west_1\.token-[0-9a-f]{12}$/);
    expect(secretsToCreate).toEqual([key]);
    expect(() => checkSecretValueRefs(resource)).not.toThrow();
  });
});
