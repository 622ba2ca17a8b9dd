// apply and diff take -f/--set (the release layer, recorded with the revision so
// scale re-renders with them) and read a release from stdin with `-`.
import { Command, CommanderError } from 'commander';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { registerReleaseClusterCommands } from '../src/commands/release-cluster.js';
import { exitCodeFor } from '../src/errors.js';

const root = resolve(__dirname, '../../..');
const devRelease = resolve(root, 'examples/releases/web-app-dev.cue');
const catalog = resolve(root, 'examples/catalog');
let api: TestApiServer;

beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
});
afterAll(async () => {
  await api?.close();
});

async function opm(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('opm').exitOverride();
  program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerReleaseClusterCommands(program, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: {} });
  const realStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  if (stdin !== undefined) Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(stdin)]), configurable: true });
  process.exitCode = undefined;
  let code: number;
  try {
    await program.parseAsync([...args, '--kubeconfig', api.kubeconfigPath, '--catalog', catalog], { from: 'user' });
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    code = e instanceof CommanderError ? (e.exitCode === 0 ? 0 : 2) : exitCodeFor(e);
    if (!(e instanceof CommanderError)) err += `opm: ${(e as Error).message}\n`;
  } finally {
    Object.defineProperty(process, 'stdin', realStdin);
    process.exitCode = undefined;
  }
  return { code, out, err };
}

const replicas = () => (api.store.get('apps/v1', 'Deployment', 'development', 'web-app-dev-web') as { spec: { replicas: number } } | undefined)?.spec.replicas;

it('apply -f / --set deploy the overlaid values; diff shows a --set change; a bad --set is refused before anything is sent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opm-vals-'));
  const f = join(dir, 'v.yaml');
  writeFileSync(f, 'replicas: 2\nimage:\n  tag: from-file\n');
  const a = await opm(['release', 'apply', devRelease, '--create-namespace', '-f', f]);
  expect(a.code, a.err).toBe(0);
  expect(replicas()).toBe(2);

  const d = await opm(['release', 'diff', devRelease, '-f', f, '--set', 'replicas=3']);
  expect(d.code).toBe(1);
  expect(d.out).toMatch(/-\s+replicas: 2\n\+\s+replicas: 3/);
  expect((await opm(['release', 'diff', devRelease, '-f', f])).code).toBe(0);

  const before = api.requests.length;
  const bad = await opm(['release', 'apply', devRelease, '--set', 'replicas=99']);
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('values.replicas: 99');
  expect(api.requests.slice(before).filter((r) => r.method !== 'GET').length).toBe(0);
  expect(replicas()).toBe(2);
});

it('apply reads the release from stdin with -', async () => {
  const a = await opm(['release', 'apply', '-', '--set', 'replicas=3'], readFileSync(devRelease, 'utf8'));
  expect(a.code, a.err).toBe(0);
  expect(replicas()).toBe(3);
});
