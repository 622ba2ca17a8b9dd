// Pure units of @opm/kube: line diff, health rules, history codec/chunking,
// inventory/prune computation, durations, redaction, drift ownership, kubeconfig resolution.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../src/linediff.js';
import { assessHealth } from '../src/health.js';
import { decodePayload, encodePayload, revisionSecrets, summaryOf, valuesDigest, labelSafe, releaseNameOf } from '../src/history/codec.js';
import { computePrune, checkOwnership, OwnershipError, unionRefs } from '../src/inventory.js';
import { parseDuration } from '../src/duration.js';
import { Redactor, maskValues, maskSecretObject } from '../src/redact.js';
import { driftOf, managersOf } from '../src/drift.js';
import { byStage } from '../src/stages.js';
import { loadKubeConfig } from '../src/kubeconfig.js';
import { maskSecretPair } from '../src/diff.js';
import { refOf } from '../src/objref.js';
import type { KubeObject, ObjectRef, ReleaseRevision } from '../src/types.js';

describe('line diff', () => {
  it('applying the ops of diffLines to a gives b (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd')), fc.array(fc.constantFrom('a', 'b', 'c', 'd')), (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((o) => o.op !== '+').map((o) => o.line)).toEqual(a);
        expect(ops.filter((o) => o.op !== '-').map((o) => o.line)).toEqual(b);
      }),
    );
  });

  it('prints unified hunks with context and ranges', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
    const b = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10'].join('\n');
    expect(unifiedDiff(a, b, 'a', 'b')).toBe('--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
    expect(unifiedDiff(a, a, 'a', 'b')).toBe('');
    expect(unifiedDiff('', 'x\n', '/dev/null', 'b')).toBe('--- /dev/null\n+++ b\n@@ -0,0 +1,1 @@\n+x\n');
  });
});

describe('health (kstatus-like)', () => {
  const dep = (spec: object, status: object, generation = 2): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', generation },
    spec,
    status,
  });
  it('Deployment', () => {
    expect(assessHealth(dep({ replicas: 2 }, { observedGeneration: 1 })).status).toBe('InProgress');
    expect(assessHealth(dep({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 2 })).reason).toMatch(/old replicas/);
    expect(assessHealth(dep({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 1 })).reason).toBe('1/2 replicas available');
    expect(assessHealth(dep({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2, readyReplicas: 2 })).status).toBe('Ready');
    const failed = assessHealth(
      dep({ replicas: 1 }, { observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' }] }),
    );
    expect(failed).toEqual({ status: 'Failed', reason: 'rollout failed: ProgressDeadlineExceeded: too slow' });
  });
  it('StatefulSet, DaemonSet, Job, PVC, Service, CRD, generic', () => {
    const sts = (status: object): KubeObject => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', generation: 1 }, spec: { replicas: 2 }, status });
    expect(assessHealth(sts({ observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'a', updateRevision: 'b' })).status).toBe('InProgress');
    expect(assessHealth(sts({ observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'b', updateRevision: 'b' })).status).toBe('Ready');
    const ds: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x', generation: 1 }, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 } };
    expect(assessHealth(ds).reason).toBe('2/3 pods available');
    const job = (conds: object[]): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { conditions: conds } });
    expect(assessHealth(job([{ type: 'Complete', status: 'True' }])).status).toBe('Ready');
    expect(assessHealth(job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]))).toEqual({ status: 'Failed', reason: 'job failed: BackoffLimitExceeded' });
    expect(assessHealth(job([])).status).toBe('InProgress');
    const pvc = (phase: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, status: { phase } });
    expect(assessHealth(pvc('Bound')).status).toBe('Ready');
    expect(assessHealth(pvc('Pending')).status).toBe('InProgress');
    expect(assessHealth(pvc('Lost')).status).toBe('Failed');
    expect(assessHealth({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} }).status).toBe('InProgress');
    expect(assessHealth({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: '10.0.0.1' } }).status).toBe('Ready');
    const crd = (conds: object[]): KubeObject => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'c' }, status: { conditions: conds } });
    expect(assessHealth(crd([{ type: 'Established', status: 'True' }])).status).toBe('Ready');
    expect(assessHealth(crd([])).status).toBe('InProgress');
    const cr = (status: object): KubeObject => ({ apiVersion: 'x.io/v1', kind: 'Thing', metadata: { name: 't', generation: 3 }, status });
    expect(assessHealth(cr({ observedGeneration: 2, conditions: [{ type: 'Ready', status: 'True' }] })).status).toBe('InProgress');
    expect(assessHealth(cr({ observedGeneration: 3, conditions: [{ type: 'Ready', status: 'False', reason: 'Waiting' }] })).reason).toBe('not ready: Waiting');
    expect(assessHealth(cr({ conditions: [{ type: 'Stalled', status: 'True', reason: 'Broken' }] })).status).toBe('Failed');
    expect(assessHealth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }).status).toBe('Ready');
    expect(assessHealth(undefined).status).toBe('NotFound');
  });
});

const rev = (over: Partial<ReleaseRevision> = {}): ReleaseRevision => ({
  name: 'web',
  namespace: 'prod',
  revision: 3,
  status: 'deployed',
  description: 'upgrade',
  module: { name: 'm', version: '1.2.3+build', digest: 'sha256:x' },
  userValues: { a: 1 },
  finalValues: { a: 1, b: 2 },
  valueOverrides: {},
  valuesDigest: valuesDigest({ a: 1, b: 2 }),
  secretPaths: [],
  inventory: [],
  manifest: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('history codec', () => {
  it('round-trips any payload through any chunk size (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.integer({ min: 1, max: 500 }), (s, size) => {
        const r = rev({ userValues: { s } });
        const { chunks, sha256 } = encodePayload(r, size);
        expect(chunks.every((c) => c.length <= size)).toBe(true);
        expect(decodePayload(chunks, sha256)).toEqual(r);
      }),
      { numRuns: 50 },
    );
  });
  it('detects a corrupt/mismatched chunk', () => {
    const { chunks, sha256 } = encodePayload(rev({ userValues: { s: 'x'.repeat(1000) } }), 10);
    chunks.reverse();
    expect(() => decodePayload(chunks, sha256)).toThrow(/corrupt/);
  });
  it('builds Secrets: chunks before head, summary in metadata only', () => {
    const secrets = revisionSecrets(rev({ userValues: { pad: 'y'.repeat(5000), n: Math.random() } }), 64);
    const head = secrets[secrets.length - 1]!;
    expect(head.metadata.name).toBe('opm.release.v1.web.v3');
    expect(secrets[0]!.metadata.name).toBe('opm.release.v1.web.v3.1');
    expect(head.type).toBe('opm.dev/release.v1');
    const s = summaryOf(head.metadata, releaseNameOf(head.metadata.name));
    expect(s).toMatchObject({ name: 'web', revision: 3, status: 'deployed', module: 'm', moduleVersion: '1.2.3+build', chunks: secrets.length });
    expect(head.metadata.labels!['opm.dev/chunk']).toBe('0');
    for (const c of secrets.slice(0, -1)) expect(c.metadata.labels!['opm.dev/chunk']).not.toBe('0');
  });
  it('label values are sanitised; values digest ignores key order', () => {
    expect(labelSafe('1.2.3+build/x')).toBe('1.2.3_build_x');
    expect(labelSafe('-x-'.padEnd(80, 'a'))).toHaveLength(62);
    expect(valuesDigest({ a: 1, b: { c: 2, d: 3 } })).toBe(valuesDigest({ b: { d: 3, c: 2 }, a: 1 }));
    expect(valuesDigest({ a: 1 })).not.toBe(valuesDigest({ a: 2 }));
  });
});

describe('inventory', () => {
  const r = (kind: string, name: string, group = '', version = 'v1'): ObjectRef => ({ group, version, kind, name, namespace: 'ns' });
  it('prunes what was owned and is no longer rendered (version changes are not prunes)', () => {
    const prev = [r('ConfigMap', 'a'), r('ConfigMap', 'b'), r('HorizontalPodAutoscaler', 'h', 'autoscaling', 'v2beta2')];
    const now = [r('ConfigMap', 'a'), r('HorizontalPodAutoscaler', 'h', 'autoscaling', 'v2')];
    expect(computePrune(prev, now)).toEqual([r('ConfigMap', 'b')]);
    expect(computePrune(unionRefs(prev, prev), [])).toHaveLength(3);
  });
  it('refuses objects labelled for another release', () => {
    const live: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { 'opm.dev/release': 'other', 'opm.dev/release-namespace': 'ns' } } };
    expect(() => checkOwnership(live, 'web', 'ns', r('ConfigMap', 'a'))).toThrow(OwnershipError);
    expect(() => checkOwnership(live, 'other', 'ns', r('ConfigMap', 'a'))).not.toThrow();
    expect(() => checkOwnership({ ...live, metadata: { name: 'a' } }, 'web', 'ns', r('ConfigMap', 'a'))).not.toThrow();
  });
  it('stages: namespaces and CRDs, then RBAC, then the rest in install order', () => {
    const objs: KubeObject[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'crd' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } },
    ];
    expect(byStage(objs, refOf).map((s) => s.map((o) => o.kind))).toEqual([
      ['Namespace', 'CustomResourceDefinition'],
      ['ServiceAccount', 'RoleBinding'],
      ['ConfigMap', 'Deployment'],
    ]);
  });
});

describe('durations', () => {
  it('parses Go-style durations', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90')).toBe(90_000);
    expect(() => parseDuration('5 minutes')).toThrow(/invalid duration/);
    expect(() => parseDuration('')).toThrow(/invalid duration/);
  });
});

describe('secrets', () => {
  it('masks Secret data and values at secret paths; scrubs free text', () => {
    const s: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: Buffer.from('topsecret').toString('base64') }, stringData: { j: 'other-secret' } };
    expect(maskSecretObject(s)).toMatchObject({ data: { k: '<secret>' }, stringData: { j: '<secret>' } });
    expect(maskValues({ db: { password: 'x', user: 'u' } }, ['db.password', 'missing.path'])).toEqual({ db: { password: '<secret>', user: 'u' } });
    const red = new Redactor().addObjects([s]).addValues({ api: { key: 'abcd-1234' } }, ['api.key']);
    expect(red.scrub(`failed: topsecret / ${Buffer.from('topsecret').toString('base64')} / other-secret / abcd-1234 ok`)).toBe(
      'failed: <secret> / <secret> / <secret> / <secret> ok',
    );
  });
  it('diff masking marks changed keys without revealing them', () => {
    const a: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'AAA', same: 'B' } };
    const b: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'CCC', same: 'B' } };
    const [x, y] = maskSecretPair(a, b);
    expect((x as any).data).toEqual({ k: '<secret>', same: '<secret>' });
    expect((y as any).data).toEqual({ k: '<secret> (changed)', same: '<secret>' });
  });
});

describe('drift', () => {
  it('names changed fields and the manager that now owns them', () => {
    const stored: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', labels: { app: 'd' } },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'a:1' }] } } },
    };
    const live: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'd',
        labels: { app: 'd' },
        managedFields: [
          { manager: 'opm', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { 'f:image': {} } } } } } } },
          { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
          { manager: 'kubectl-set', operation: 'Update', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { 'f:image': {} } } } } } } },
        ],
      },
      spec: { replicas: 5, template: { spec: { containers: [{ name: 'c', image: 'a:2', imagePullPolicy: 'IfNotPresent' }] } } },
    };
    const d = driftOf(stored, live);
    expect(d.map((x) => [x.path, x.want, x.live, x.managers])).toEqual([
      ['spec.replicas', 2, 5, ['kubectl-edit']],
      ['spec.template.spec.containers[name=c].image', 'a:1', 'a:2', ['kubectl-set']],
    ]);
    expect(managersOf(live, ['spec', 'template', 'spec', 'containers', { key: { name: 'c' } }, 'image'])).toEqual(['opm', 'kubectl-set']);
    expect(driftOf(stored, undefined)[0]!.live).toBe('deleted');
    // A Secret written with stringData is stored as data: no drift, and changes stay masked.
    const sec: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { pw: 'hunter2' } };
    const liveSec = (pw: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { pw: Buffer.from(pw).toString('base64') } });
    expect(driftOf(sec, liveSec('hunter2'))).toEqual([]);
    expect(driftOf(sec, liveSec('changed!'))).toEqual([{ path: 'data.pw', want: '<secret>', live: '<secret>', managers: [] }]);
  });
});

describe('kubeconfig resolution', () => {
  const cfg = (ctx: string, ns: string) =>
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "http://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
      'users: [{name: u, user: {token: t}}]',
      `contexts: [{name: ${ctx}, context: {cluster: c, user: u, namespace: ${ns}}}, {name: other, context: {cluster: c, user: u}}]`,
      `current-context: ${ctx}`,
    ].join('\n');
  it('--kubeconfig, then KUBECONFIG, then ~/.kube/config; --context overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opm-kc-'));
    try {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      writeFileSync(a, cfg('ctx-a', 'ns-a'));
      writeFileSync(b, cfg('ctx-b', 'ns-b'));
      expect(loadKubeConfig({ kubeconfig: a }, { KUBECONFIG: b }).context).toBe('ctx-a');
      expect(loadKubeConfig({}, { KUBECONFIG: b }).contextNamespace).toBe('ns-b');
      expect(loadKubeConfig({ context: 'other' }, { KUBECONFIG: `${b}:${a}` })).toMatchObject({ context: 'other', contextNamespace: 'default' });
      expect(() => loadKubeConfig({ context: 'nope' }, { KUBECONFIG: b })).toThrow(/context "nope" not found/);
      expect(() => loadKubeConfig({}, { HOME: dir })).toThrow(/no kubeconfig/);
      mkdirSync(join(dir, '.kube'));
      writeFileSync(join(dir, '.kube', 'config'), cfg('home', 'ns-h'));
      expect(loadKubeConfig({}, { HOME: dir }).context).toBe('home');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
