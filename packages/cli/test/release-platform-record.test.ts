// A release records which platform rules it was checked against (their digest
// and where they came from), so `opm release history` shows which rules
// applied to each revision. A revision is recorded when the objects (or the
// module, or the release's values) change: other rules that render the same
// objects record none (and say so), rules that change an object make one;
// --no-platform-rules is recorded as such.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { clusterOpm } from './cluster-harness.js';
import { run } from './run-opm.js';

const root = resolve(__dirname, '../../..');
const release = resolve(root, 'examples/releases/web-app-dev.cue');
let api: TestApiServer;
let catalog: string;

beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
  catalog = mkdtempSync(join(tmpdir(), 'opm-cat-'));
  cpSync(resolve(root, 'examples/catalog'), catalog, { recursive: true });
});
afterAll(async () => {
  await api?.close();
});

const opm = (args: string[]) => clusterOpm()(args, api.kubeconfigPath);
const head = (rev: number) => api.store.get('v1', 'Secret', 'development', `opm.release.v1.web-app-dev.v${rev}`);
const digestOf = (text: string) => `sha256:${createHash('sha256').update(`platform.cue\0${text}\0`).digest('hex')}`;

it('each revision records the rules it was checked against; history shows them', async () => {
  const rulesFile = join(catalog, 'platform.cue');
  const first = await opm(['release', 'apply', release, '--catalog', catalog, '--create-namespace']);
  expect(first.code, first.err).toBe(0);
  const a1 = head(1).metadata.annotations;
  expect(a1['opm.dev/platform-digest']).toBe(digestOf(readFileSync(rulesFile, 'utf8')));
  expect(a1['opm.dev/platform-source']).toBe(rulesFile);

  // The same rules: nothing changed, no new revision.
  const again = await opm(['release', 'apply', release, '--catalog', catalog]);
  expect(again.out).toContain('unchanged: no new revision');

  // Other rules that render the same objects (a comment; an environment default of a value no object reads while
  // ingress is off): no new revision, as Helm and Flux record none for a policy change; the output says so.
  const rules1 = readFileSync(rulesFile, 'utf8');
  const d1 = a1['opm.dev/platform-digest'];
  writeFileSync(rulesFile, `${rules1}\n// reviewed 2026-12\n`);
  const comment = await opm(['release', 'apply', release, '--catalog', catalog]);
  expect(comment.code, comment.err).toBe(0);
  expect(comment.out).toContain('release web-app-dev unchanged: no new revision (revision 1 stays deployed');
  const dComment = digestOf(readFileSync(rulesFile, 'utf8'));
  expect(comment.out).toContain(`note: the platform rules changed (${dComment.slice(0, 19)} (${rulesFile}); revision 1 records ${d1.slice(0, 19)} (${rulesFile})) and render the same objects`);
  writeFileSync(rulesFile, rules1.replace('podSecurity: "baseline"', 'podSecurity: "baseline"\n\t\t\tdefaults: ingress: host: "dev.company.com"'));
  // (The final values do change: only the objects do not.)
  expect(JSON.parse((await run(['release', 'values', release, '--catalog', catalog, '-o', 'json'])).stdout).ingress.host).toBe('dev.company.com');
  const unread = await opm(['release', 'apply', release, '--catalog', catalog, '-o', 'json']);
  expect(unread.code, unread.err).toBe(0);
  expect(JSON.parse(unread.out)).toMatchObject({ revision: 1, unchanged: true, platformRulesChanged: { recorded: { digest: d1, source: rulesFile }, now: { source: rulesFile } } });
  expect(head(2)).toBeUndefined();

  // Rules that change an object (an environment default the Deployment reads): a new revision, recording the new rules.
  writeFileSync(rulesFile, rules1.replace('podSecurity: "baseline"', 'podSecurity: "baseline"\n\t\t\tdefaults: resources: limits: memory: "512Mi"'));
  const changed = await opm(['release', 'apply', release, '--catalog', catalog]);
  expect(changed.code, changed.err).toBe(0);
  expect(changed.out).toContain('deployment.apps/web-app-dev-web configured');
  expect(changed.out).toContain('revision 2 deployed');
  expect(changed.out).not.toContain('note: the platform rules changed');
  const d2 = digestOf(readFileSync(rulesFile, 'utf8'));
  expect(head(2).metadata.annotations['opm.dev/platform-digest']).toBe(d2);
  expect(d2).not.toBe(d1);
  expect(api.store.get('apps/v1', 'Deployment', 'development', 'web-app-dev-web').spec.template.spec.containers[0].resources.limits.memory).toBe('512Mi');

  const h = await opm(['release', 'history', 'web-app-dev', '-n', 'development']);
  expect(h.out).toMatch(new RegExp(`^1 .* superseded .*${a1['opm.dev/platform-digest'].slice(0, 19)} \\(${rulesFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) .*install`, 'm'));
  expect(h.out).toMatch(new RegExp(`^2 .* deployed .*${d2.slice(0, 19)} \\(`, 'm'));
  const json = JSON.parse((await opm(['release', 'history', 'web-app-dev', '-n', 'development', '-o', 'json'])).out);
  expect(json.map((r: any) => r.platform)).toEqual([
    { digest: a1['opm.dev/platform-digest'], source: rulesFile },
    { digest: d2, source: rulesFile },
  ]);

  // Built without rules (the objects differ: the rules' memory default is gone): recorded as such, not as the last rules used.
  const none = await opm(['release', 'apply', release, '--catalog', catalog, '--no-platform-rules']);
  expect(none.code, none.err).toBe(0);
  expect(head(3).metadata.annotations).toMatchObject({ 'opm.dev/platform-digest': 'none', 'opm.dev/platform-source': 'none (--no-platform-rules)' });
  expect((await opm(['release', 'history', 'web-app-dev', '-n', 'development'])).out).toMatch(/^3 .* deployed .*none \(--no-platform-rules\)/m);
});
