// The JSON API against the in-process test API server: sign-in, catalog,
// preview, deploy (the same apply as `opm release apply`), list, status,
// history, diff, scale, rollback, delete.
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReleaseFile } from '@opm/core';
import { CATALOG, Caller, startEnv, stopEnv, webAppForm, type Env } from './helpers.js';

let env: Env;
let me: Caller;

beforeAll(async () => {
  env = await startEnv();
  await env.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'development' } });
  await env.api.settle();
  me = await Caller.signIn(env);
});
afterAll(() => stopEnv(env));

describe('access', () => {
  it('answers 401 without the session cookie, and the token works once', async () => {
    expect((await fetch(new URL('/api/catalog', env.base))).status).toBe(401);
    expect((await fetch(env.base)).status).toBe(401);
    expect((await fetch(env.url, { redirect: 'manual' })).status).toBe(401);
    const bad = new URL(env.url);
    bad.searchParams.set('token', 'x');
    expect((await fetch(bad, { redirect: 'manual' })).status).toBe(401);
  });

  it('sets an HttpOnly SameSite=Strict cookie and a strict CSP', async () => {
    const r = await me.get('/api/session');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(me.cookie).toMatch(/^opm_portal_session=/);
  });

  it('refuses mutations without the CSRF token or from another site', async () => {
    const form = webAppForm('csrf-test', 'development');
    expect((await me.send('POST', '/api/releases', form, false)).status).toBe(403);
    const r = await fetch(new URL('/api/releases', env.base), {
      method: 'POST',
      headers: { cookie: me.cookie, 'content-type': 'application/json', 'x-csrf-token': me.csrf, origin: 'http://evil.example' },
      body: JSON.stringify(form),
    });
    expect(r.status).toBe(403);
    expect(await env.admin.list('v1', 'Secret', { namespace: 'development', labelSelector: 'opm.dev/owner=opm' })).toEqual([]);
  });
});

describe('catalog', () => {
  it('lists modules with versions and descriptions', async () => {
    const c = await me.json('GET', '/api/catalog');
    const web = c.modules.find((m: any) => m.name === 'simple-web-app');
    expect(web.versions).toContain('1.0.0-platform.1');
    expect(web.description).toMatch(/web application/);
  });

  it('shows a version: components, policies, locks with who set them, and the schema tree', async () => {
    const d = await me.json('GET', '/api/catalog/simple-web-app/1.0.0-platform.1');
    expect(d.components).toEqual(['web']);
    expect(d.policies).toEqual(expect.arrayContaining(['monitoring', 'backup']));
    expect(d.immutable).toContainEqual({ path: 'image.repository', value: 'registry.company.com/frontend/web-app', by: 'module' });
    const replicas = d.schema.children.find((n: any) => n.name === 'replicas');
    expect(replicas).toMatchObject({ type: 'field', path: 'replicas', kind: 'int', min: 1, max: 20, default: 2 });
    expect(replicas.defaultLayer).toMatch(/module/);
    const env = d.schema.children.find((n: any) => n.name === 'environment');
    expect(env).toMatchObject({ kind: 'enum', enum: ['development', 'staging', 'production'], default: 'development' });
    const image = d.schema.children.find((n: any) => n.name === 'image');
    expect(image.type).toBe('group');
    expect(image.children.find((n: any) => n.name === 'repository').locked).toMatchObject({ value: 'registry.company.com/frontend/web-app', source: 'module' });
    expect(image.children.find((n: any) => n.name === 'tag').pattern).toBe('^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$');
    // In a namespace of an environment, that environment's locks show too.
    const staging = await me.json('GET', '/api/catalog/simple-web-app/1.0.0-platform.1?namespace=staging');
    expect(staging.environment).toBe('staging');
    const monitoring = staging.schema.children.find((n: any) => n.name === 'platform').children.find((n: any) => n.name === 'monitoring');
    expect(monitoring.children.find((n: any) => n.name === 'enabled').locked).toMatchObject({ value: true, source: 'environment' });
    // The snapshot the browser validates with: this module version, the platform rules and opm's schema, as sources.
    const snap = await me.json('GET', '/api/catalog/simple-web-app/1.0.0-platform.1/snapshot');
    expect(snap.modules.map((m: any) => `${m.name}@${m.version}`)).toEqual(['simple-web-app@1.0.0-platform.1']);
    expect(snap.platform.length).toBeGreaterThan(0);
    expect((await me.get('/api/catalog/simple-web-app/9.9.9')).status).toBe(404);
  });

  it('names no path of the server: the snapshot, the catalog and errors use catalog-relative names', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
    const snap = await me.json('GET', '/api/catalog/simple-web-app/1.0.0-platform.1/snapshot');
    expect(JSON.stringify(snap)).not.toContain(root);
    expect(snap.modules[0].files.map((f: any) => f.filename).sort()).toEqual(['simple-web-app/1.0.0-platform.1/definition.cue', 'simple-web-app/1.0.0-platform.1/module.cue']);
    expect(snap.platform.map((f: any) => f.filename)).toEqual(['platform.cue']);
    const list = await me.json('GET', '/api/catalog');
    expect(list.catalog).toBe('catalog');
    const missing = await (await me.get('/api/catalog/simple-web-app/9.9.9')).text();
    expect(missing).not.toContain(root);
    expect(missing).toContain('is not in the catalog catalog');
  });
});

describe('release lifecycle', () => {
  it('previews: manifests and a release file that `opm release build` builds', async () => {
    const p = await me.json('POST', '/api/preview', webAppForm('web', 'development'));
    expect(p.objects.map((o: any) => o.kind)).toContain('Deployment');
    expect(p.manifests).toContain('kind: Deployment');
    expect(p.via).toBe('apply');
    const dir = mkdtempSync(join(tmpdir(), 'portal-'));
    writeFileSync(join(dir, p.fileName), p.file);
    const built = await renderReleaseFile(join(dir, p.fileName), { catalog: CATALOG });
    expect(built.name).toBe('web');
    expect(built.namespace).toBe('development');
    expect(built.userValues).toMatchObject({ replicas: 1, image: { tag: '1.2.3' } });
  });

  it('refuses invalid values with the layer, path and constraint, and deploys nothing', async () => {
    const r = await me.send('POST', '/api/releases', webAppForm('web', 'development', { replicas: 25 }));
    expect(r.status).toBe(422);
    const body = (await r.json()) as { problems: string[] };
    expect(body.problems.join('\n')).toMatch(/values\.replicas: 25: .*<=20/);
    expect(await env.admin.list('v1', 'Secret', { namespace: 'development', labelSelector: 'opm.dev/owner=opm' })).toEqual([]);
  });

  it('deploys, lists, shows Ready, scales, diffs, rolls back and deletes', async () => {
    const d = await me.json('POST', '/api/releases', webAppForm('web', 'development'), 202);
    expect(d.via).toBe('apply');
    const done = await me.finish(d.operation);
    expect(done.state, done.error).toBe('succeeded');
    expect(done.result.revision).toBe(1);
    expect(done.result.objects).toContainEqual({ kind: 'Deployment', name: 'web-web', action: 'created' });
    expect(await env.admin.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'web-web' })).toBeDefined();

    const list = await me.json('GET', '/api/releases');
    expect(list.releases).toContainEqual(expect.objectContaining({ name: 'web', namespace: 'development', module: 'simple-web-app', revision: 1, status: 'deployed' }));
    const st = await me.json('GET', '/api/releases/development/web');
    expect(st.health).toBe('Ready');

    const s = await me.json('POST', '/api/releases/development/web/scale', { replicas: 3 }, 202);
    expect((await me.finish(s.operation)).state).toBe('succeeded');
    const dep = (await env.admin.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'web-web' })) as any;
    expect(dep.spec.replicas).toBe(3);

    const h = await me.json('GET', '/api/releases/development/web/history');
    expect(h.revisions.map((r: any) => r.revision)).toEqual([1, 2]);
    const diff = await me.json('GET', '/api/releases/development/web/diff?from=1&to=2');
    expect(diff.manifest).toMatch(/-\s+replicas: 1\n\+\s+replicas: 3/);
    expect(diff.objects).toContainEqual({ ref: 'deployment.apps/web-web', change: 'update' });

    const rb = await me.json('POST', '/api/releases/development/web/rollback', { revision: 1 }, 202);
    const rbDone = await me.finish(rb.operation);
    expect(rbDone.state, rbDone.error).toBe('succeeded');
    expect(rbDone.result).toEqual({ target: 1, revision: 3 });
    expect(((await env.admin.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'web-web' })) as any).spec.replicas).toBe(1);

    const del = await me.json('DELETE', '/api/releases/development/web', undefined, 202);
    expect((await me.finish(del.operation)).state).toBe('succeeded');
    expect(await env.admin.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'web-web' })).toBeUndefined();
    expect((await me.get('/api/releases/development/web')).status).toBe(404);
  });

  it('streams live status from watches', async () => {
    const d = await me.json('POST', '/api/releases', webAppForm('live', 'development'), 202);
    expect((await me.finish(d.operation)).state).toBe('succeeded');
    const ac = new AbortController();
    const r = await fetch(new URL('/api/releases/development/live/events', env.base), { headers: { cookie: me.cookie }, signal: ac.signal });
    expect(r.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = r.body!.getReader();
    let text = '';
    const frames = async (n: number) => {
      while ((text.match(/event: status/g) ?? []).length < n) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += new TextDecoder().decode(value);
      }
    };
    await frames(1);
    expect(text).toContain('"health":"Ready"');
    // A change to one of its objects (the controller marks it unready) arrives without asking.
    env.api.controllers!.hold({ kind: 'Deployment', namespace: 'development', name: 'live-web' });
    await env.admin.mergePatch({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'live-web' }, { spec: { replicas: 2 } });
    await frames(2);
    ac.abort();
    expect(text.split('event: status').pop()).toContain('"health":"InProgress"');
  });
});
