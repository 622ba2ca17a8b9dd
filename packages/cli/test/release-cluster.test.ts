// `opm release apply|diff|status|list|history|rollback|scale|delete` end to end
// against the in-process test API server, with a stand-in renderer (core's
// renderReleaseFile is injected the way the CLI would get it).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerReleaseClusterCommands, type ClusterDeps } from '../src/commands/release-cluster.js';
import { exitCodeFor } from '../src/errors.js';
import { clusterOpm } from './cluster-harness.js';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import type { DesiredRelease, RenderRelease, RerenderRelease } from '@opm/kube';

let api: TestApiServer;
let dir: string;
const SECRET = 'pa55word-never-printed';

beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
  dir = mkdtempSync(join(tmpdir(), 'opm-cli-cluster-'));
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

function desired(replicas: number, image = 'web:1', extra: DesiredRelease['objects'] = []): DesiredRelease {
  return {
    name: 'web',
    namespace: 'prod',
    module: { name: 'simple-web-app', version: image.split(':')[1]!, digest: 'sha256:abc' },
    userValues: { replicas, db: { password: SECRET } },
    finalValues: { replicas, db: { password: SECRET } },
    secretPaths: ['db.password'],
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
        },
      },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: SECRET } },
      ...extra,
    ],
  };
}

// Stand-in for @opm/core: the "release file" is the JSON of a DesiredRelease; overrides set replicas.
const render: RenderRelease = async (file, opts) => {
  const d = JSON.parse(readFileSync(file, 'utf8')) as DesiredRelease;
  if (opts.namespace) d.namespace = opts.namespace;
  const r = (opts.valueOverrides as { replicas?: number } | undefined)?.replicas;
  return r === undefined ? d : desired(r, (d.objects[1] as any).spec.template.spec.containers[0].image);
};
const rerender: RerenderRelease = async (input) => {
  const d = desired(Number((input.userValues as { replicas: number }).replicas));
  return { ...d, userValues: input.userValues };
};

function file(name: string, d: DesiredRelease): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(d));
  return p;
}

const opm = (args: string[], deps: Partial<ClusterDeps> = {}, tty = false) => clusterOpm({ render, rerender, ...deps }, dir)(args, api.kubeconfigPath, { tty });
type Run = Awaited<ReturnType<typeof opm>>;

const noSecret = (r: Run) => {
  expect(r.out + r.err).not.toContain(SECRET);
  expect(r.out + r.err).not.toContain(Buffer.from(SECRET).toString('base64'));
};

describe('opm release (cluster commands)', () => {
  it('apply installs and prints one line per object', async () => {
    const r = await opm(['release', 'apply', file('v1.json', desired(2)), '--wait', '--timeout', '30s']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('namespace/prod created');
    expect(r.out).toContain('deployment.apps/web created');
    expect(r.out).toContain('secret/db created');
    expect(r.out).toContain('release web revision 1 deployed in namespace prod');
    noSecret(r);
  });

  it('diff exits 0 without changes, 1 with changes, 3 on errors', async () => {
    const same = await opm(['release', 'diff', file('v1.json', desired(2))]);
    expect(same).toMatchObject({ code: 0, out: '' });
    const changed = await opm(['release', 'diff', file('v2.json', desired(3, 'web:2'))]);
    expect(changed.code).toBe(1);
    expect(changed.out).toMatch(/^\+\s+replicas: 3$/m);
    expect(changed.out).not.toContain('\x1b[');
    noSecret(changed);
    const bad = await opm(['release', 'diff', file('v2.json', desired(3)), '--context', 'nope']);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/context "nope" not found/);
  });

  it('apply again reports unchanged and records no revision; -o json gives a summary', async () => {
    const t = await opm(['release', 'apply', file('v1.json', desired(2))]);
    expect(t.out).toContain('release web unchanged: no new revision (revision 1 stays deployed in namespace prod; ');
    const r = await opm(['release', 'apply', file('v1.json', desired(2)), '-o', 'json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({ revision: 1, unchanged: true });
    expect(s.objects.every((o: { action: string }) => o.action === 'unchanged')).toBe(true);
  });

  it('status shows revision, module, digest and health; values masked', async () => {
    const r = await opm(['release', 'status', 'web', '-n', 'prod']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/REVISION: 1 \(deployed/);
    expect(r.out).toContain('MODULE: simple-web-app@1 (sha256:abc)');
    expect(r.out).toMatch(/VALUES DIGEST: sha256:[0-9a-f]{16}/);
    expect(r.out).toMatch(/deployment\.apps\/web\s+Ready/);
    const j = await opm(['release', 'status', 'web', '-n', 'prod', '-o', 'json']);
    expect(JSON.parse(j.out).values.db.password).toBe('<secret>');
    noSecret(j);
    const y = await opm(['release', 'status', 'web', '-n', 'prod', '-o', 'yaml']);
    expect(y.out).toContain('health: Ready');
    noSecret(y);
  });

  it('NO_COLOR turns colour off on a terminal', async () => {
    const colored = await opm(['release', 'status', 'web', '-n', 'prod'], {}, true);
    expect(colored.out).toContain('\x1b[32mReady\x1b[0m');
    const plain = await opm(['release', 'status', 'web', '-n', 'prod'], { env: { HOME: dir, NO_COLOR: '1' } }, true);
    expect(plain.out).not.toContain('\x1b[');
  });

  it('scale goes through the values and survives the next apply', async () => {
    const s = await opm(['release', 'scale', 'web', '--replicas', '4', '-n', 'prod']);
    expect(s.code).toBe(0);
    expect(s.out).toContain('release web scaled to 4 (revision 2)');
    expect(api.store.get('apps/v1', 'Deployment', 'prod', 'web').spec.replicas).toBe(4);
    // Re-applying the release file (which says 2) keeps the recorded scale.
    const a = await opm(['release', 'apply', file('v1.json', desired(2))]);
    expect(a.code).toBe(0);
    expect(a.out).toContain('unchanged: no new revision (revision 2 stays deployed');
    expect(api.store.get('apps/v1', 'Deployment', 'prod', 'web').spec.replicas).toBe(4);
  });

  it('history and list show revisions from metadata', async () => {
    const h = await opm(['release', 'history', 'web', '-n', 'prod']);
    expect(h.code).toBe(0);
    expect(h.out.split('\n')[0]).toMatch(/^REVISION\s+UPDATED\s+STATUS\s+MODULE\s+VERSION\s+DESCRIPTION$/);
    expect(h.out).toMatch(/^1 .* superseded .*install simple-web-app@1$/m);
    expect(h.out).toMatch(/^2 .* deployed .*scale to 4$/m);
    const l = await opm(['release', 'list', '-A', '-o', 'json']);
    expect(JSON.parse(l.out)).toEqual([expect.objectContaining({ name: 'web', namespace: 'prod', revision: 2, status: 'deployed' })]);
    const empty = await opm(['release', 'list', '-n', 'default']);
    expect(empty.out).toContain('no releases in namespace default');
  });

  it('rollback --dry-run shows what it would change and records nothing', async () => {
    const rv = api.store.resourceVersion();
    for (const mode of ['--dry-run=server', '--dry-run']) {
      const r = await opm(['release', 'rollback', 'web', '1', '-n', 'prod', mode]);
      expect(r.code).toBe(0);
      const how = mode === '--dry-run' ? 'client' : 'server';
      expect(r.out).toContain(`deployment.apps/web configured (${how} dry run)`);
      expect(r.out).toMatch(/release web \(dry run\): rolling back to revision 1 would record revision 3 \(.*1 configured.*\)/);
      noSecret(r);
    }
    expect(api.store.resourceVersion()).toBe(rv);
    expect(api.store.get('apps/v1', 'Deployment', 'prod', 'web').spec.replicas).toBe(4);
  });

  it('rollback re-applies a stored revision as a new one', async () => {
    const r = await opm(['release', 'rollback', 'web', '1', '-n', 'prod']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('release web rolled back to revision 1 (now revision 3)');
    expect(api.store.get('apps/v1', 'Deployment', 'prod', 'web').spec.replicas).toBe(2);
  });

  it('a held lock fails with the holder and exit code 1', async () => {
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'); // MicroTime
    api.store.write({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'opm.release.web', namespace: 'prod' },
      spec: { holderIdentity: 'ci@runner-7', leaseDurationSeconds: 60, acquireTime: now, renewTime: now },
    });
    const r = await opm(['release', 'apply', file('v1.json', desired(2))]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/release web is being changed by ci@runner-7 since /);
    api.store.delete('coordination.k8s.io/v1', 'Lease', 'prod', 'opm.release.web');
  });

  it('errors never carry secret values', async () => {
    // Another release owns the Secret object: the ownership error names it, never its data.
    const other = desired(1);
    other.name = 'thief';
    other.objects = other.objects.filter((o) => o.kind === 'Secret');
    const r = await opm(['release', 'apply', file('thief.json', other)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/secret\/db belongs to release web/);
    noSecret(r);
  });

  it('status --drift names fields changed outside opm and exits 1', async () => {
    const clean = await opm(['release', 'status', 'web', '-n', 'prod', '--drift']);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('no drift: live objects match the stored manifest');
    const live = api.store.get('apps/v1', 'Deployment', 'prod', 'web');
    live.spec.replicas = 7;
    api.store.write(live, { manager: 'kubectl-scale' });
    const sec = api.store.get('v1', 'Secret', 'prod', 'db');
    sec.data.password = Buffer.from('changed-by-hand').toString('base64');
    api.store.write(sec, { manager: 'kubectl-edit' });
    const r = await opm(['release', 'status', 'web', '-n', 'prod', '--drift']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/deployment\.apps\/web:\n {2}spec\.replicas: want 2, live 7 \(now managed by "kubectl-scale"\)/);
    expect(r.out).toMatch(/secret\/db:\n {2}data\.password: want <secret>, live <secret> \(now managed by "kubectl-edit"\)/);
    expect(r.out).not.toContain('changed-by-hand');
    expect(r.out).not.toContain(Buffer.from('changed-by-hand').toString('base64'));
    noSecret(r);
  });

  it('apply refuses to take over an existing object without --adopt, naming it', async () => {
    api.store.write({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'preexisting', namespace: 'prod' }, data: { k: 'theirs' } });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'preexisting' }, data: { k: 'theirs' } };
    const r = await opm(['release', 'apply', file('adopt.json', desired(2, 'web:1', [cm]))]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('configmap/preexisting');
    expect(r.err).toContain('--adopt');
    expect(api.store.get('v1', 'ConfigMap', 'prod', 'preexisting').metadata.labels).toBeUndefined();
    // (--force-conflicts: the drift test before left fields set by other managers.)
    const ok = await opm(['release', 'apply', file('adopt.json', desired(2, 'web:1', [cm])), '--adopt', '--force-conflicts']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('configmap/preexisting configured');
    noSecret(ok);
  });

  it('delete without a terminal and without --yes refuses, listing what it would delete; nothing changes', async () => {
    const r = await opm(['release', 'delete', 'web', '-n', 'prod']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('deployment.apps/web');
    expect(r.err).toMatch(/configmap\/preexisting \(adopted, not created by this release\)/);
    expect(r.err).toMatch(/refusing to delete release web without confirmation: not on a terminal; re-run with --yes/);
    expect(api.store.get('apps/v1', 'Deployment', 'prod', 'web')).toBeDefined();
    // Asked on a terminal and answered no: cancelled, nothing changed.
    const questions: string[] = [];
    const no = await opm(['release', 'delete', 'web', '-n', 'prod'], { confirm: async (q) => (questions.push(q), false) });
    expect(no.code).toBe(1);
    expect(questions).toEqual(['delete release web in namespace prod? [y/N] ']);
    expect(no.err).toContain('delete of release web cancelled; nothing was changed');
    expect(api.store.get('apps/v1', 'Deployment', 'prod', 'web')).toBeDefined();
    noSecret(no);
  });

  it('delete removes the objects and the history (asked and confirmed), keeping what it adopted', async () => {
    const r = await opm(['release', 'delete', 'web', '-n', 'prod', '--timeout', '30s'], { confirm: async () => true });
    expect(r.err).toContain('secret/db');
    expect(r.out).toContain('configmap/preexisting kept (adopted, not created by this release)');
    expect(api.store.get('v1', 'ConfigMap', 'prod', 'preexisting')).toBeDefined();
    expect(r.code).toBe(0);
    expect(r.out).toContain('deployment.apps/web pruned');
    expect(r.out).toContain('release web deleted');
    const s = await opm(['release', 'status', 'web', '-n', 'prod']);
    expect(s.code).toBe(1);
    expect(s.err).toContain('release web not found in namespace prod');
  });

  it('history --verify names a corrupt revision, status shows the intact one, repair fixes it', async () => {
    const d = (v: string): DesiredRelease => ({
      ...desired(1),
      name: 'broken',
      namespace: 'repairs',
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'repairs' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { v } },
      ],
    });
    expect((await opm(['release', 'apply', file('b1.json', d('1'))])).code).toBe(0);
    expect((await opm(['release', 'apply', file('b2.json', d('2'))])).code).toBe(0);
    const head = api.store.get('v1', 'Secret', 'repairs', 'opm.release.v1.broken.v2');
    head.data.release = Buffer.from('garbage').toString('base64');
    api.store.write(head);
    const v = await opm(['release', 'history', 'broken', '-n', 'repairs', '--verify']);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/^1\s+superseded\s+ok\s/m);
    expect(v.out).toMatch(/^2\s+deployed\s+CORRUPT: release broken revision 2: history Secret repairs\/opm.release.v1.broken.v2 is corrupt/m);
    expect(v.err).toContain('run opm release repair broken -n repairs');
    const st = await opm(['release', 'status', 'broken', '-n', 'repairs']);
    expect(st.code).toBe(0);
    expect(st.out).toMatch(/REVISION: 1 /);
    expect(st.out).toContain('NOTE: release broken revision 2: history Secret repairs/opm.release.v1.broken.v2 is corrupt');
    const r = await opm(['release', 'repair', 'broken', '-n', 'repairs']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^revision 2 rebuilt: .*rebuilt as failed with 2 object\(s\) found by label$/m);
    expect((await opm(['release', 'history', 'broken', '-n', 'repairs', '--verify'])).code).toBe(0);
    noSecret(v);
    noSecret(st);
  });

  it('--history-encryption-key keeps secret data encrypted in history so rollback restores it exactly', async () => {
    api.store.write({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'opm-history-key', namespace: 'kube-system' }, data: { key: Buffer.alloc(32, 7).toString('base64') } });
    api.store.write({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'short-key', namespace: 'kube-system' }, data: { key: Buffer.alloc(16, 7).toString('base64') } });
    const d = (pw: string): DesiredRelease => ({
      ...desired(1),
      name: 'sealed',
      namespace: 'sealedns',
      userValues: { db: { password: pw } },
      finalValues: { db: { password: pw } },
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sealedns' } },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: pw } },
      ],
    });
    const key = ['--history-encryption-key', 'kube-system/opm-history-key'];
    expect((await opm(['release', 'apply', file('s1.json', d('first-Secret-1')), ...key])).code).toBe(0);
    expect((await opm(['release', 'apply', file('s2.json', d('second-Secret-2')), ...key])).code).toBe(0);
    const r = await opm(['release', 'rollback', 'sealed', '1', '-n', 'sealedns', ...key]);
    expect(r.code).toBe(0);
    expect(api.store.get('v1', 'Secret', 'sealedns', 'db').data.password).toBe(Buffer.from('first-Secret-1').toString('base64'));
    const bad = await opm(['release', 'rollback', 'sealed', '2', '-n', 'sealedns', '--history-encryption-key', 'kube-system/short-key']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('the key in Secret kube-system/short-key must be 32 bytes (AES-256), it has 16');
    for (const x of [r, bad]) expect(x.out + x.err).not.toMatch(/first-Secret-1|second-Secret-2/);
  });

  it('file commands fail clearly while core cannot render', async () => {
    const core = (await import('@opm/core')) as Record<string, unknown>;
    if (typeof core.renderReleaseFile === 'function') return; // core has landed: nothing to check here
    const r = await opm(['release', 'apply', file('v1.json', desired(2))], { render: undefined });
    expect(r.code).toBe(3);
    expect(r.err).toContain('not supported yet: rendering (packages/core)');
  });

  it('commands on an unknown release fail clearly and leave nothing behind', async () => {
    for (const args of [['rollback', 'nope'], ['scale', 'nope', '--replicas', '2'], ['delete', 'nope'], ['history', 'nope'], ['status', 'nope']]) {
      const r = await opm(['release', ...args, '-n', 'nowhere']);
      expect(r.code).toBe(1);
      expect(r.err).toContain('release nope not found in namespace nowhere');
    }
    expect(api.store.list('coordination.k8s.io/v1', 'Lease', 'nowhere')).toEqual([]);
  });

  it('an unreachable cluster is reported as such (exit 3)', async () => {
    const kc = join(dir, 'dead-kubeconfig');
    writeFileSync(kc, readFileSync(api.kubeconfigPath, 'utf8').replace(/server: http:\/\/127\.0\.0\.1:\d+/, 'server: http://127.0.0.1:9'));
    const program = new Command('opm').exitOverride();
    let err = '';
    registerReleaseClusterCommands(program, { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) }, env: {} });
    const e = await program.parseAsync(['release', 'list', '--kubeconfig', kc], { from: 'user' }).catch((x) => x);
    expect(exitCodeFor(e)).toBe(3);
    expect(e.message).toBe('cannot reach the API server http://127.0.0.1:9 (connection refused)');
    const p2 = new Command('opm').exitOverride();
    registerReleaseClusterCommands(p2, { render, stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) }, env: {} });
    const e2 = await p2.parseAsync(['release', 'apply', file('v1.json', desired(2)), '--kubeconfig', kc], { from: 'user' }).catch((x) => x);
    expect(exitCodeFor(e2)).toBe(3);
    expect(e2.message).toBe('cannot reach the API server http://127.0.0.1:9 (connection refused)');
  });

  it('usage errors exit 2', async () => {
    const r = await opm(['release', 'scale', 'web', '--replicas', 'many']);
    expect(r.code).toBe(2);
    const t = await opm(['release', 'apply', file('v1.json', desired(2)), '--timeout', 'soon']);
    expect(t.code).toBe(2);
    expect(t.err).toContain('invalid duration "soon"');
  });
});

describe('opm release status on a release that is not ready', () => {
  it('prints the cluster\'s causes under the table (pods\' states, Warning events), secrets masked', async () => {
    api.controllers.enable({ pods: true });
    api.controllers.podProblem({ kind: 'Deployment', namespace: 'causes', name: 'web' }, 'ImagePullBackOff');
    try {
      const d = { ...desired(1, 'registry.example/private/web:1'), name: 'broken', namespace: 'causes' };
      d.objects = d.objects.map((o) => (o.kind === 'Namespace' ? { ...o, metadata: { name: 'causes' } } : o));
      const a = await opm(['release', 'apply', file('broken.json', d), '--timeout', '30s']);
      expect(a.code).toBe(0);
      await api.settle();
      const r = await opm(['release', 'status', 'broken', '-n', 'causes']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/\nNOT READY, as the cluster says:\n {2}deployment\.apps\/web: pod web-\S+: container web: ImagePullBackOff: Back-off pulling image "registry\.example\/private\/web:1"/);
      expect(r.out).toMatch(/\n {2}deployment\.apps\/web: pod web-\S+: Failed: Failed to pull image/);
      expect(r.out).not.toMatch(/secret\/db:/);
      noSecret(r);
      const j = JSON.parse((await opm(['release', 'status', 'broken', '-n', 'causes', '-o', 'json'])).out);
      expect(j.objects.find((o: { object: string }) => o.object === 'deployment.apps/web').causes[0]).toMatch(/ImagePullBackOff/);
    } finally {
      api.controllers.clearFailures();
      api.controllers.enable({ pods: false });
    }
  });
});

describe('opm release diff with an existing object that is not the release\'s', () => {
  it('shows the change and warns that apply refuses it without --adopt; --adopt drops the warning', async () => {
    api.store.write({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'adoptns' } });
    api.store.write({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'adoptns' }, stringData: { password: 'theirs' } });
    const d = { ...desired(1), name: 'adopter', namespace: 'adoptns' };
    d.objects = d.objects.map((o) => (o.kind === 'Namespace' ? { ...o, metadata: { name: 'adoptns' } } : o));
    const f = file('adopter.json', d);
    const r = await opm(['release', 'diff', f, '--force-conflicts']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('live/secret/db');
    expect(r.err).toMatch(/^opm: warning: `opm release apply` refuses this without --adopt: release adopter would take over 2 existing object\(s\) it did not create:\n {4}namespace\/adoptns\n {4}secret\/db\n/m);
    noSecret(r);
    const refused = await opm(['release', 'apply', f, '--force-conflicts']);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('secret/db');
    const adopt = await opm(['release', 'diff', f, '--force-conflicts', '--adopt']);
    expect(adopt.err).not.toContain('--adopt');
    expect(adopt.out).toBe(r.out);
  });
});
