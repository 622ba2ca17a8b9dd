// The ModuleRelease object written for a release: secret values never go into
// its spec, whatever their path looks like (a pattern-made field under a label
// that needs quotes, a list element).
import { describe, expect, it } from 'vitest';
import { releaseToResource } from '../src/resource.js';

describe('releaseToResource', () => {
  it('leaves out the values at every secret path, quoted labels included, and names Secret keys without quotes', () => {
    const { resource, secretsToCreate } = releaseToResource(
      {
        name: 'r',
        namespace: 'n',
        module: { name: 'm', version: '1.0.0' },
        userValues: { integrations: { 'stripe-eu': { token: 'tok-secret-1', region: 'eu' } }, database: { password: 'pw-secret-2', user: 'u' } },
      },
      ['integrations."stripe-eu".token', 'database.password', 'apiKeys.unset'],
    );
    expect(JSON.stringify(resource)).not.toMatch(/tok-secret-1|pw-secret-2/);
    expect(resource.spec.values).toEqual({ integrations: { 'stripe-eu': { region: 'eu' } }, database: { user: 'u' } });
    expect(resource.spec.secretValues).toEqual([
      { path: 'integrations."stripe-eu".token', secretKeyRef: { name: 'r-values', key: 'integrations.stripe-eu.token' } },
      { path: 'database.password', secretKeyRef: { name: 'r-values', key: 'database.password' } },
    ]);
    expect(secretsToCreate).toEqual(['integrations.stripe-eu.token', 'database.password']);
  });
});
