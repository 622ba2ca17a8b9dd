// The web app's validator (web/validate.ts) over the snapshot the API sends:
// the values stage and the object-policy stage (a render in the browser) give
// the messages the server gives at preview, which are `opm release vet`'s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatorFor, type ReleaseDraft } from '../web/validate.js';
import { Caller, startEnv, stopEnv, webAppForm, type Env } from './helpers.js';

let env: Env;
let me: Caller;

beforeAll(async () => {
  env = await startEnv({}, {});
  me = await Caller.signIn(env);
});
afterAll(() => stopEnv(env));

const draftOf = (f: ReturnType<typeof webAppForm>): ReleaseDraft => ({ name: f.name, namespace: f.namespace, labels: f.labels, annotations: {}, values: f.values, secrets: {} });

describe('validate.ts', () => {
  it("finds a ceiling violation by rendering, with the server's preview message", async () => {
    const snapshot = await me.json('GET', '/api/catalog/simple-web-app/1.0.0-platform.1/snapshot');
    const v = validatorFor(snapshot, { name: 'simple-web-app', version: '1.0.0-platform.1' });
    const form = webAppForm('shop', 'development', { replicas: 5 });
    // The values pass (5 is within the module's 1..20): only the render finds the development ceiling (3).
    expect(await v.values(draftOf(form))).toEqual([]);
    const found = await v.policy(draftOf(form));
    const server = await me.send('POST', '/api/preview', form);
    expect(server.status).toBe(422);
    const body = (await server.json()) as { error: string; problems: string[] };
    expect(found.map((p) => p.message)).toEqual(body.error.split('\n'));
    expect(found.map((p) => p.message).join('\n')).toContain('Deployment shop-web: replicas 5 exceeds the development ceiling 3');
    // Within the ceiling: nothing.
    expect(await v.policy(draftOf(webAppForm('shop', 'development', { replicas: 2 })))).toEqual([]);
  });

  it("reports a label the environment requires and the release lacks, with the server's message", async () => {
    const snapshot = await me.json('GET', '/api/catalog/simple-web-app/1.0.0-platform.1/snapshot');
    const v = validatorFor(snapshot, { name: 'simple-web-app', version: '1.0.0-platform.1' });
    const form = webAppForm('shop', 'development', { replicas: 2 });
    const server = await me.send('POST', '/api/preview', { ...form, labels: { team: 'frontend' } });
    const body = (await server.json()) as { error: string };
    expect(server.status).toBe(422);
    const found = await v.policy({ ...draftOf(form), labels: { team: 'frontend' } });
    expect(found.map((p) => p.message)).toEqual(body.error.split('\n'));
  });
});
