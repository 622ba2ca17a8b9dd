// Secret paths come from the values as given, unified with the schema: every
// concrete field that gets `@secret()` by any route (a pattern, an embedding,
// a definition, a disjunction, a list element) is a secret path, also when the
// values break the schema.
import { newContext } from '@opm/cue';
import { describe, expect, it } from 'vitest';
import { Redactor, secretPathsIn, secretPathsOf } from '../src/index.js';

const ctx = newContext();
const schema = ctx.compile(`
#Cred: {password: string & =~"^.{12,}$" @secret()}
#A: {token: string @secret()}
#B: {key: string @secret(), id: int}
database: password: string @secret()
db: [Name=string]: {token: string @secret(), port?: int}
apiKeys: [string]: string @secret()
prefixed: {[=~"^x-"]: string @secret(), plain?: string}
accounts: [string]: #Cred
nested: [string]: [string]: {pw: string @secret()}
embedded: {#Cred, extra?: int}
auth?: #A | #B
creds: [string]: #A | #B
servers: [...{host: string, password: string @secret()}]
`);
const encode = (x: unknown) => ctx.encode(x);
const pathsFor = (values: unknown) => secretPathsIn(schema, encode(values)).sort();

describe('secret paths of values unified with the schema', () => {
  it('the schema alone: declared fields, definitions, both alternatives of a disjunction', () => {
    expect(secretPathsOf(schema).sort()).toEqual(['auth.key', 'auth.token', 'database.password', 'embedded.password']);
  });

  it('fields made by patterns (struct and scalar patterns, regular-expression labels, nested patterns) are secret paths', () => {
    const paths = pathsFor({
      db: { main: { token: 'a', port: 5 }, 'read-replica': { token: 'b' } },
      apiKeys: { stripe: 'k' },
      prefixed: { 'x-one': 's', plain: 'p' },
      accounts: { admin: { password: 'p' } },
      nested: { a: { b: { pw: 'z' } } },
    });
    expect(paths).toEqual(
      expect.arrayContaining(['db.main.token', 'db."read-replica".token', 'apiKeys.stripe', 'prefixed."x-one"', 'accounts.admin.password', 'nested.a.b.pw']),
    );
    expect(paths).not.toContain('db.main.port');
    expect(paths).not.toContain('prefixed.plain');
  });

  it('a resolved disjunction, and list elements', () => {
    expect(pathsFor({ auth: { key: 'k', id: 1 } })).toContain('auth.key');
    expect(pathsFor({ servers: [{ host: 'h', password: 'p' }, { host: 'i', password: 'q' }] })).toEqual(expect.arrayContaining(['servers."0".password', 'servers."1".password']));
  });

  it('values that break the schema still give their secret paths', () => {
    // Wrong types under a pattern: the field is in error, its attribute stays.
    expect(pathsFor({ db: { main: { token: 42 } }, apiKeys: { k: ['a', 'b'] }, accounts: { x: { password: { deep: 'v' } } } })).toEqual(
      expect.arrayContaining(['db.main.token', 'apiKeys.k', 'accounts.x.password']),
    );
    // No alternative matches: each alternative's secrets count.
    expect(pathsFor({ auth: { token: 1 } })).toContain('auth.token');
    // ... also where a pattern gives the disjunction.
    expect(pathsFor({ creds: { ci: { token: 1 }, cd: { key: ['k'], id: 'x' } } })).toEqual(expect.arrayContaining(['creds.ci.token', 'creds.cd.key']));
    // A field the schema does not allow beside them changes nothing.
    expect(pathsFor({ bogus: 1, db: { m: { token: 't' } } })).toContain('db.m.token');
  });

  it('the redactor masks every value at those paths, of any type', () => {
    const values = { db: { main: { token: 'tok-1234567', port: 5 } }, apiKeys: { stripe: 987654321 }, servers: [{ host: 'h', password: 'pw-abcdefgh' }] };
    const r = new Redactor(pathsFor(values)).addValuesAt(values);
    expect(r.maskValues(values)).toEqual({ db: { main: { token: '<secret>', port: 5 } }, apiKeys: { stripe: '<secret>' }, servers: [{ host: 'h', password: '<secret>' }] });
    expect(r.scrub('conflicting values "tok-1234567" and 987654321 at pw-abcdefgh')).not.toMatch(/tok-1234567|987654321|pw-abcdefgh/);
  });
});
