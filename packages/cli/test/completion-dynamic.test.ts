// `opm __complete` (behind every completion script's arguments): release names
// from the cluster, module names from the catalog, sub-commands and flags from
// the command tree; nothing (and no error) when the cluster cannot be reached.
import { Command } from 'commander';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { registerReleaseClusterCommands } from '../src/commands/release-cluster.js';
import { registerCatalogCommands } from '../src/commands/catalog.js';
import { powershellScript } from '../src/commands/release-cluster/completion.js';

const root = resolve(__dirname, '../../..');
const catalog = resolve(root, 'examples/catalog');
let api: TestApiServer;

beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
});
afterAll(async () => {
  await api?.close();
});

async function opm(args: string[]): Promise<string> {
  let out = '';
  const program = new Command('opm').exitOverride();
  program.configureOutput({ writeOut: (s) => (out += s), writeErr: () => undefined });
  const deps = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined }, env: {} };
  registerReleaseClusterCommands(program, deps);
  registerCatalogCommands(program);
  await program.parseAsync(args, { from: 'user' });
  return out;
}

const complete = async (...words: string[]) => (await opm(['__complete', ...words])).split('\n').filter(Boolean);

describe('opm __complete', () => {
  it('completes sub-commands and flags from the command tree', async () => {
    expect(await complete('release', 'st')).toEqual(['status']);
    expect(await complete('release', 'status', '--dr')).toEqual(['--drift']);
    expect(await complete('release', 'apply', 'x.cue', '--for')).toEqual(['--force-conflicts']);
  });

  it('completes module names from the catalog given on the line', async () => {
    expect(await complete('catalog', 'show', '--catalog', catalog, '')).toEqual(['ecommerce-platform', 'simple-web-app']);
    expect(await complete('catalog', 'show', `--catalog=${catalog}`, 'simple')).toEqual(['simple-web-app']);
  });

  it('completes release names from the cluster, in the namespace given on the line', async () => {
    const dev = resolve(root, 'examples/releases/web-app-dev.cue');
    await opm(['release', 'apply', dev, '--catalog', catalog, '--create-namespace', '--kubeconfig', api.kubeconfigPath]);
    expect(await complete('release', 'status', '--kubeconfig', api.kubeconfigPath, '-n', 'development', '')).toEqual(['web-app-dev']);
    expect(await complete('release', 'history', '--kubeconfig', api.kubeconfigPath, '--namespace=development', 'web')).toEqual(['web-app-dev']);
    expect(await complete('release', 'status', '--kubeconfig', api.kubeconfigPath, '-n', 'production', '')).toEqual([]);
  });

  it('prints nothing, without an error, when the cluster cannot be reached', async () => {
    expect(await complete('release', 'status', '--kubeconfig', '/nonexistent/kubeconfig', '')).toEqual([]);
  });

  it('has a powershell script that asks opm __complete', () => {
    expect(powershellScript()).toContain('Register-ArgumentCompleter -Native -CommandName opm');
    expect(powershellScript()).toContain('opm __complete @words');
  });
});
