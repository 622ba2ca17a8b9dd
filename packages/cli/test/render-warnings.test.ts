// Every command that renders a release says what `opm release build` says
// about it, on stderr: a label value rendered as an annotation, a secret
// written as a literal, --no-platform-rules. The cluster commands (apply,
// diff, scale) included, each warning once per command however often it
// renders (apply renders twice when `opm release scale` recorded overrides).
// The OCI variant (OPM_PLATFORM replacing published rules) is in release-oci.test.ts.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { clusterOpm } from './cluster-harness.js';
import { run } from './run-opm.js';

const root = resolve(__dirname, '../../..');
const release = resolve(root, 'examples/releases/web-app-dev.cue');
let api: TestApiServer;
let catalog: string;
let noRules: string;

beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
  catalog = mkdtempSync(join(tmpdir(), 'opm-warn-cat-'));
  cpSync(resolve(root, 'examples/catalog'), catalog, { recursive: true });
  noRules = mkdtempSync(join(tmpdir(), 'opm-warn-norules-'));
  cpSync(resolve(root, 'examples/catalog'), noRules, { recursive: true });
  writeFileSync(join(noRules, 'platform.cue'), 'package platform\n');
});
afterAll(async () => {
  await api?.close();
});

const cluster = (args: string[]) => clusterOpm()(args, api.kubeconfigPath);
const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('opm: warning: '));

it('apply, diff and scale print the warnings build prints, each once', async () => {
  const build = await run(['release', 'build', release, '--catalog', catalog]);
  expect(build.code, build.stderr).toBe(0);
  const said = warnings(build.stderr);
  expect(said).toEqual(['opm: warning: release web-app-dev: label owner: "john.doe@company.com" is not a valid Kubernetes label value; rendered as an annotation']);

  const values = await run(['release', 'values', release, '--catalog', catalog]);
  expect(values.code, values.stderr).toBe(0);
  expect(warnings(values.stderr)).toEqual(said);
  const vet = await run(['release', 'vet', release, '--catalog', catalog]);
  expect(warnings(vet.stderr)).toEqual(said);

  const dry = await cluster(['release', 'apply', release, '--catalog', catalog, '--dry-run']);
  expect(warnings(dry.err)).toEqual(said);
  const apply = await cluster(['release', 'apply', release, '--catalog', catalog, '--create-namespace']);
  expect(apply.code, apply.err).toBe(0);
  expect(warnings(apply.err)).toEqual(said);

  const scale = await cluster(['release', 'scale', 'web-app-dev', '--replicas', '2', '-n', 'development', '--catalog', catalog]);
  expect(scale.code, scale.err).toBe(0);
  expect(warnings(scale.err)).toEqual(said);

  // With a recorded override apply renders twice; the warning is still said once.
  const again = await cluster(['release', 'apply', release, '--catalog', catalog]);
  expect(again.code, again.err).toBe(0);
  expect(warnings(again.err)).toEqual(said);
  const diff = await cluster(['release', 'diff', release, '--catalog', catalog]);
  expect(diff.code, diff.err).toBe(0);
  expect(warnings(diff.err)).toEqual(said);
});

it('--no-platform-rules is said in the same words by build and apply', async () => {
  const build = await run(['release', 'build', release, '--catalog', noRules, '--no-platform-rules']);
  expect(build.code, build.stderr).toBe(0);
  const said = warnings(build.stderr);
  expect(said.some((w) => w.includes(`--no-platform-rules: the platform rules of catalog ${noRules} are NOT applied`))).toBe(true);
  expect(said).toHaveLength(2);
  for (const cmd of [['release', 'values', release], ['release', 'diff', release], ['release', 'apply', release, '--dry-run']]) {
    const r = cmd[1] === 'values' ? await run([...cmd, '--catalog', noRules, '--no-platform-rules']).then((x) => x.stderr) : (await cluster([...cmd, '--catalog', noRules, '--no-platform-rules'])).err;
    expect(warnings(r), cmd.join(' ')).toEqual(said);
  }
});
