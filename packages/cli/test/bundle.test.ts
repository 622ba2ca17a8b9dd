// The bundled CLI (scripts/bundle-cli.js, run by `npm run build`) must behave
// like the compiled modules it is made from: same output for the spec's
// examples, data files (core schema, providers, bundled catalog) found; its
// code caches are used when valid and rewritten when not.
// Needs the compiled dist/ (npm test runs tsc -b first).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '@opm/test-apiserver';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const examples = readdirSync(path.join(REPO, 'examples/releases')).filter((f) => f.endsWith('.cue')).sort().map((f) => path.join(REPO, 'examples/releases', f));
const out = mkdtempSync(path.join(tmpdir(), 'opm-bundle-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs `main` of a CLI module in a fresh process; returns its stdout. */
function runCli(moduleFile: string, argv: string[]): string {
  const code = `const { main } = await import(${JSON.stringify(moduleFile)}); process.exitCode = await main(process.argv.slice(1));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', code, ...argv], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

describe('bundled CLI', () => {
  it('renders the spec examples exactly as the compiled modules do', () => {
    execFileSync(process.execPath, [path.join(REPO, 'scripts/bundle-cli.js'), out], { cwd: REPO, stdio: 'pipe', timeout: 60_000 });
    const argv = ['release', 'build', ...examples];
    const bundled = runCli(path.join(out, 'opm.js'), argv);
    expect(bundled).toContain('kind: Deployment');
    expect(bundled).toBe(runCli(path.join(REPO, 'packages/cli/dist/main.js'), argv));
    // The bundled catalog is found from the bundle too.
    expect(runCli(path.join(out, 'opm.js'), ['catalog', 'list'])).toContain('simple-web-app');
    // Five fresh processes (bundling, its warm-up, three CLI runs): on a loaded machine this exceeds the default 30 s.
  }, 240_000);

  it('exits from bin/opm.js with all output written and the exit code of main', () => {
    // bin/opm.js exits as soon as stdout and stderr have taken the output (not
    // when the process winds down by itself): nothing may be cut off.
    const bin = path.join(REPO, 'packages/cli/bin/opm.js');
    const argv = ['release', 'build', '-o', 'json', ...examples];
    const r = spawnSync(process.execPath, [bin, ...argv], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(runCli(path.join(REPO, 'packages/cli/dist/main.js'), argv));
    expect(JSON.parse(r.stdout).items.length).toBeGreaterThan(50);
    expect(r.stderr).toContain('is a secret written as a literal');
    const bad = spawnSync(process.execPath, [bin, 'release', 'build', path.join(REPO, 'examples/releases/missing.cue')], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('missing.cue');
    expect(spawnSync(process.execPath, [bin, 'release', 'no-such-command'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 }).status).toBe(2);
  }, 120_000);

  it('writes its output without making Node\'s stream objects, and stops quietly when the reader goes', async () => {
    // process.stdout/stderr would load Node's streams (and net, for a pipe) on
    // every start: see src/stdio.ts. Run as bin/opm.js runs the bundle (CommonJS, direct output).
    const list = path.join(out, 'loaded.txt');
    const code = `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));
      require(${JSON.stringify(path.join(out, 'opm.js'))}).main(process.argv.slice(1), { directOutput: true }).then((c) => process.exit(c));`;
    const r = spawnSync(process.execPath, ['-e', code, 'release', 'build', ...examples], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(runCli(path.join(REPO, 'packages/cli/dist/main.js'), ['release', 'build', ...examples]));
    expect(r.stderr).toContain('opm: warning: ');
    const loaded = readFileSync(list, 'utf8').split('\n');
    expect(loaded).toContain('NativeModule vm');
    // Node's stream module itself comes with node:v8, which the loader needs to set
    // V8 flags (scripts/bundle-loader.js); a stream object for this pipe would load net.
    for (const m of ['net', 'tty', 'fs/promises', 'crypto']) expect(loaded).not.toContain(`NativeModule ${m}`);
    const bin = path.join(REPO, 'packages/cli/bin/opm.js');
    // A reader that takes the first chunk and closes its end: opm stops writing there and exits 0.
    const p = spawn(process.execPath, [bin, 'release', 'build', ...examples], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.stdout.once('data', () => p.stdout.destroy());
    expect(await new Promise<number | null>((resolve) => p.on('close', resolve))).toBe(0);
    expect(stderr).not.toContain('EPIPE');
  }, 120_000);

  it('starts without the OCI client or child processes, and loads the OCI client for a registry catalog', () => {
    const entry = JSON.stringify(path.join(out, 'opm.js'));
    const code = `const { main } = await import(${entry}); process.exitCode = await main(process.argv.slice(1)); process.stdout.write('\\nLOADED ' + process.moduleLoadList.join(','));`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', code, 'release', 'build', examples[0]!], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    expect(stdout).toContain('kind: Deployment');
    const loaded = stdout.split('\nLOADED ')[1]!.split(',');
    expect(loaded).toContain('NativeModule vm');
    for (const m of ['child_process', 'crypto', 'zlib']) expect(loaded).not.toContain(`NativeModule ${m}`);
    // A registry catalog imports the OCI client when needed (port 1: refused at once, no network).
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, 'catalog', 'list', '--catalog', 'oci://127.0.0.1:1/catalog'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toContain('cannot reach registry 127.0.0.1:1');
    expect(r.status).toBe(3);
  }, 120_000);

  it('runs the cluster commands with @kubernetes/client-node bundled in, over TLS', async () => {
    // Loading client-node from node_modules (~1,000 ES modules) was most of a cluster command's start-up.
    const chunks = readdirSync(out).filter((f) => f.endsWith('.cjs')).map((f) => readFileSync(path.join(out, f), 'utf8'));
    expect(chunks.some((c) => c.includes('class KubernetesObjectApi'))).toBe(true);
    expect(chunks.filter((c) => /require\(["']@kubernetes\/client-node/.test(c))).toEqual([]);
    const api = await startTestApiServer({ tls: true, controllers: true, namespace: 'development' });
    try {
      api.store.write({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'development' } });
      // The server lives in this process: the CLI runs in a child without blocking it.
      const cli = (argv: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
          const code = `const { main } = await import(${JSON.stringify(path.join(out, 'opm.js'))}); process.exitCode = await main(process.argv.slice(1));`;
          const p = spawn(process.execPath, ['--input-type=module', '-e', code, ...argv], { cwd: REPO, env: { ...process.env, KUBECONFIG: api.kubeconfigPath, NO_COLOR: '1' } });
          let stdout = '';
          let stderr = '';
          p.stdout.on('data', (d) => (stdout += d));
          p.stderr.on('data', (d) => (stderr += d));
          p.on('error', reject);
          p.on('close', (c) => resolve({ code: c, stdout, stderr }));
        });
      const applied = await cli(['release', 'apply', examples.find((f) => f.endsWith('web-app-dev.cue'))!]);
      expect(applied.stderr + applied.stdout).toContain('revision 1 deployed');
      expect(applied.code).toBe(0);
      const list = await cli(['release', 'list']);
      expect(list.stdout).toMatch(/web-app-dev\s+development\s+1\s+deployed/);
      const status = await cli(['release', 'status', 'web-app-dev']);
      expect(status.stdout).toContain('deployment.apps/web-app-dev-web');
      expect(status.code).toBe(0);
    } finally {
      await api.close();
    }
  }, 240_000);

  it('loads neither the CUE evaluator nor core for the cluster commands', () => {
    // The chunks a chunk loads when it loads: its top-level requires (dynamic imports are
    // `Promise.resolve().then(() => require(...))`, inside functions). The YAML library is
    // used by both sides: in the evaluator's chunk, list/status/history loaded all of it.
    const chunks = new Map(readdirSync(out).filter((f) => f.endsWith('.cjs')).map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
    const loads = (f: string) => [...chunks.get(f)!.matchAll(/^(?:const|let|var) [\w$]+ = require\("\.\/([^"]+)"\);$/gm)].map((m) => m[1]!);
    const closure = (f: string, seen = new Set<string>()): Set<string> => {
      if (!seen.has(f)) {
        seen.add(f);
        for (const g of loads(f)) closure(g, seen);
      }
      return seen;
    };
    const cluster = [...chunks.keys()].find((f) => chunks.get(f)!.includes('// packages/cli/dist/commands/release-cluster.js'))!;
    const evaluator = [...chunks.keys()].find((f) => chunks.get(f)!.includes('// packages/cue/dist/eval/'))!;
    expect(cluster).toBeDefined();
    expect(evaluator).toBeDefined();
    const loaded = closure(cluster);
    expect(loaded.size).toBeGreaterThan(3);
    expect([...loaded].filter((f) => chunks.get(f)!.includes('class KubernetesObjectApi'))).toHaveLength(1);
    expect(loaded).not.toContain(evaluator);
    expect([...loaded].filter((f) => chunks.get(f)!.includes('// packages/core/dist/render.js'))).toEqual([]);
    // The release build does load it.
    const build = [...chunks.keys()].find((f) => chunks.get(f)!.includes('// packages/cli/dist/commands/release-build.js'))!;
    expect(closure(build)).toContain(evaluator);
  });

  it('loads its chunks with code caches, and replaces a cache V8 rejects', () => {
    const caches = readdirSync(out).filter((f) => f.endsWith('.cjs.cache'));
    // The build's warm-up run wrote them (main chunk, the evaluator's chunk, ...).
    expect(caches).toContain('main.cjs.cache');
    // The evaluator's chunk: what a release build loads (the cluster chunk's cache may be bigger).
    const biggest = `${readdirSync(out).find((f) => f.endsWith('.cjs') && readFileSync(path.join(out, f), 'utf8').includes('// packages/cue/dist/eval/'))}.cache`;
    expect(caches).toContain(biggest);
    expect(statSync(path.join(out, biggest)).size).toBeGreaterThan(100_000);
    writeFileSync(path.join(out, biggest), 'not a V8 code cache');
    expect(runCli(path.join(out, 'opm.js'), ['release', 'build', examples[0]!])).toContain('kind: Deployment');
    expect(readFileSync(path.join(out, biggest), 'utf8').startsWith('not a V8')).toBe(false);
    expect(readdirSync(out).filter((f) => f.includes('.cache.'))).toEqual([]);
  }, 120_000);
});
