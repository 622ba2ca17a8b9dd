// Security (issue 18.3, 18.5, 18.6): nothing hostile reaches the terminal raw
// (catalog show, release status, errors), credentials in a kubeconfig server
// URL are never printed, and --out-dir writes through no symbolic link.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import type { DesiredRelease, RenderRelease } from '@opm/kube';
import { registerReleaseClusterCommands } from '../src/commands/release-cluster.js';
import { exitCodeFor, reportError } from '../src/errors.js';
import { escapeControl } from '../src/terminal.js';
import { run } from './run-opm.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const CATALOG = path.join(REPO, 'examples/catalog');
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J';

describe('security: control characters are escaped in human-readable output (18.5)', () => {
  it('escapes C0, DEL and C1 controls, keeps tabs and newlines', () => {
    expect(escapeControl(`a${TITLE}b${CLEAR}\tc\nd\r\u009b31m`)).toBe('a\\x1b]0;pwned\\x07b\\x1b[2J\tc\nd\\x0d\\x9b31m');
  });

  it('catalog show: a module description and value names from the catalog', async () => {
    const cat = mkdtempSync(path.join(tmpdir(), 'opm-sec-term-'));
    cpSync(CATALOG, cat, { recursive: true });
    const mod = path.join(cat, 'simple-web-app', '1.0.0-platform.1', 'module.cue');
    const def = path.join(cat, 'simple-web-app', '1.0.0-platform.1', 'definition.cue');
    writeFileSync(mod, readFileSync(mod, 'utf8').replace('Stateless web application with', 'web \\u001b]0;pwned\\u0007 \\u001b[2J app with'));
    writeFileSync(def, readFileSync(def, 'utf8').replace(/(\n\s*values:\s*\{)/, '$1\n\t\t"evil\\u001b[2Jname"?: string'));
    const r = await run(['catalog', 'show', 'simple-web-app', '--catalog', cat]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(r.stdout).toContain('evil\\x1b[2Jname');
  });

  it('errors: an import version and a module name with escape sequences', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-term-'));
    const file = path.join(dir, 'r.cue');
    writeFileSync(file, `package r\nimport c "platform.company.com/catalog/simple-web-app:9.9.9\\u001b[2J"\n#ModuleRelease & {#metadata: name: "x", #module: c.#Module}\n`);
    const r = await run(['release', 'vet', file, '--catalog', CATALOG]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(RAW);
    // A message built in-process (say a registry's error text) is escaped the same way.
    let err = '';
    const spy = process.stderr.write;
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      reportError(new Error(`registry says: ${TITLE}${CLEAR}denied`));
    } finally {
      process.stderr.write = spy;
    }
    expect(err).toBe('opm: registry says: \\x1b]0;pwned\\x07\\x1b[2Jdenied\n');
  });
});

describe('security: cluster output and kubeconfigs (18.3, 18.5)', () => {
  let api: TestApiServer;
  let dir: string;
  beforeAll(async () => {
    api = await startTestApiServer({ controllers: true });
    dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-cluster-'));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const desired: DesiredRelease = {
    name: 'term',
    namespace: 'term',
    module: { name: 'm', version: '1.0.0' },
    userValues: {},
    finalValues: {},
    secretPaths: [],
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'term' } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
      },
    ],
  };
  const render: RenderRelease = async () => desired;

  async function opm(args: string[], kubeconfig: string, tty = false): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const program = new Command('opm').exitOverride();
    program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerReleaseClusterCommands(program, {
      render,
      rerender: async () => desired,
      stdout: { write: (s: string) => ((out += s), true), isTTY: tty },
      stderr: { write: (s: string) => ((err += s), true), isTTY: false },
      env: { HOME: dir },
    } as never);
    let code = 0;
    try {
      await program.parseAsync([...args, '--kubeconfig', kubeconfig], { from: 'user' });
      code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    } catch (e) {
      if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
      else {
        // What the CLI's top level prints for an error.
        const spy = process.stderr.write;
        process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
        try {
          reportError(e);
        } finally {
          process.stderr.write = spy;
        }
        code = exitCodeFor(e);
      }
    }
    process.exitCode = undefined;
    return { code, out, err };
  }

  it('release status: a condition message from the cluster is escaped; colour stays opm\'s own', async () => {
    const f = path.join(dir, 'r.json');
    writeFileSync(f, '{}');
    const applied = await opm(['release', 'apply', f, '--wait', '--timeout', '30s'], api.kubeconfigPath);
    expect(applied.code, applied.err).toBe(0);
    const live = api.store.get('apps/v1', 'Deployment', 'term', 'web') as { status?: Record<string, unknown> };
    api.store.write(
      {
        ...live,
        status: {
          ...live.status,
          conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `rollout ${TITLE}${CLEAR} stuck` }],
        },
      } as never,
      { manager: 'kube-controller-manager', subresource: 'status' },
    );
    for (const tty of [false, true]) {
      const r = await opm(['release', 'status', 'term', '-n', 'term'], api.kubeconfigPath, tty);
      expect(r.out).toContain('\\x1b]0;pwned\\x07\\x1b[2J');
      // On a terminal only SGR colour sequences of opm's own are raw.
      const withoutColour = r.out.replace(/\u001b\[\d{1,2}m/g, '');
      expect(withoutColour).not.toMatch(RAW);
      expect(r.out.includes('\u001b[')).toBe(tty);
    }
  });

  it('credentials in a kubeconfig server URL are never printed', async () => {
    const kc = path.join(dir, 'kubeconfig-userinfo');
    writeFileSync(
      kc,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "https://admin:hunter2-pass@127.0.0.1:1"}}]',
        'users: [{name: u, user: {}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
        '',
      ].join('\n'),
    );
    const r = await opm(['release', 'list', '-n', 'term'], kc);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/cannot reach .*https:\/\/127\.0\.0\.1:1/);
    expect(r.out + r.err).not.toMatch(/hunter2|admin:/);
  });
});

describe('security: --out-dir writes through no symbolic link (18.6)', () => {
  const release = path.join(REPO, 'examples/releases/web-app-dev.cue');

  it('refuses a link planted as the release directory or as one of its files; the targets stay untouched', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'opm-sec-out-'));
    const victimDir = mkdtempSync(path.join(tmpdir(), 'opm-sec-victim-'));
    symlinkSync(victimDir, path.join(out, 'web-app-dev'));
    const r1 = await run(['release', 'build', release, '--catalog', CATALOG, '--out-dir', out]);
    expect(r1.code).toBe(3);
    expect(r1.stderr).toMatch(/web-app-dev is a symbolic link; refusing to write through it/);
    expect(existsSync(path.join(victimDir, '01-configmap-web-app-dev-config.yaml'))).toBe(false);

    // A first run creates the files; a link swapped in for one of them is refused, its target untouched.
    rmSync(path.join(out, 'web-app-dev'));
    const ok = await run(['release', 'build', release, '--catalog', CATALOG, '--out-dir', out]);
    expect(ok.code, ok.stderr).toBe(0);
    const files = (await import('node:fs')).readdirSync(path.join(out, 'web-app-dev'));
    const first = path.join(out, 'web-app-dev', files[0]!);
    const victim = path.join(victimDir, 'bashrc');
    writeFileSync(victim, 'original\n');
    rmSync(first);
    symlinkSync(victim, first);
    const r2 = await run(['release', 'build', release, '--catalog', CATALOG, '--out-dir', out]);
    expect(r2.code).toBe(3);
    expect(r2.stderr).toMatch(/is a symbolic link; refusing to write through it/);
    expect(readFileSync(victim, 'utf8')).toBe('original\n');
    expect(readlinkSync(first)).toBe(victim);
    mkdirSync(path.join(out, 'unrelated'), { recursive: true });
  });
});
