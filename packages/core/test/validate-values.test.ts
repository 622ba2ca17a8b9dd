// validateValues for a form that never holds a stored secret (keptSecrets),
// and the values path given with each error.
import { describe, expect, it } from 'vitest';
import { validateValues, type ReleaseParts } from '../src/index.js';
import { bundledSession } from './helpers.js';

const parts = (userValues: Record<string, unknown>): ReleaseParts => ({
  name: 'acme',
  namespace: 'tenant-acme',
  module: { name: 'ecommerce-platform', version: '2.1.0-enterprise.3' },
  labels: { tenant: 'acme', tier: 'premium', environment: 'production' },
  annotations: { 'tenant.company.com/customer-id': 'c-1' },
  userValues: { environment: 'production', ...userValues },
});
const keptSecrets = ['database.password'];

describe('validateValues with secrets kept elsewhere', () => {
  it('a missing secret is an error unless the caller says it is kept', async () => {
    const s = await bundledSession();
    const without = await validateValues(s, parts({ ingress: { host: 'acme.example.com' } }));
    expect(without.ok).toBe(false);
    expect(without.issues).toEqual([{ message: expect.stringContaining('it is a secret: set it with --secret database.password='), path: ['database', 'password'] }]);
    expect(await validateValues(s, parts({ ingress: { host: 'acme.example.com' } }), { keptSecrets })).toMatchObject({ ok: true, errors: [] });
  });

  it('keeps every other error, and a secret given badly is still refused', async () => {
    const s = await bundledSession();
    const missingHost = await validateValues(s, parts({}), { keptSecrets });
    expect(missingHost.ok).toBe(false);
    expect(missingHost.issues.map((i) => i.path?.join('.'))).toEqual(['ingress.host']);
    expect(missingHost.errors).toEqual(missingHost.issues.map((i) => i.message));
    const bad = await validateValues(s, parts({ ingress: { host: 'acme.example.com' }, database: { password: 'pw-tiny' } }), { keptSecrets });
    expect(bad.ok).toBe(false);
    expect(bad.issues.map((i) => i.path?.join('.'))).toEqual(['database.password']);
    expect(bad.errors.join('\n')).not.toContain('pw-tiny');
  });
});
