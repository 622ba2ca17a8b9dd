// Starts a real OCI registry for tests: Debian's `docker-registry` (CNCF
// distribution 2.8) on a random free 127.0.0.1 port, storage in a temp dir.
// Tests fail (not skip) when the binary is missing, so a machine without it
// cannot pass silently.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** OPM_TEST_REGISTRY_BIN, else `docker-registry` on PATH, else Debian's path. */
export const REGISTRY_BIN = process.env.OPM_TEST_REGISTRY_BIN ?? findOnPath('docker-registry') ?? '/usr/bin/docker-registry';

function findOnPath(name: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d && existsSync(join(d, name))) return join(d, name);
  }
  return undefined;
}
export const MISSING_REGISTRY = 'these tests need docker-registry (apt-get install docker-registry)';

/** A user in the htpasswd-protected registry; the hash is bcrypt (cost 4) of the password, made once offline. */
export const TEST_USER = 'opm';
export const TEST_PASSWORD = 'opm-test-password';
const TEST_HTPASSWD = 'opm:$2b$04$KmoVhRzx6dfRLqABthFatOyQReXHhRHOrW0nzradv3qDw1N9GzZkS\n';

export interface TestRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(3000).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(2000)]);
  }
}

/**
 * Starts a registry; `htpasswd: true` protects it with Basic auth for
 * TEST_USER/TEST_PASSWORD. Waits (bounded) until `/v2/` answers.
 */
export async function startRegistry(opts: { htpasswd?: boolean; bin?: string } = {}): Promise<TestRegistry> {
  const bin = opts.bin ?? REGISTRY_BIN;
  if (!existsSync(bin)) throw new Error(`${MISSING_REGISTRY}: ${bin} not found`);
  const dir = await mkdtemp(join(tmpdir(), 'opm-registry-'));
  // A port can be taken between our probe and the registry's bind: retry a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const auth = opts.htpasswd ? `auth:\n  htpasswd:\n    realm: opm-test\n    path: ${join(dir, 'htpasswd')}\n` : '';
    if (opts.htpasswd) await writeFile(join(dir, 'htpasswd'), TEST_HTPASSWD);
    const config =
      'version: 0.1\n' +
      'log:\n  level: error\n  accesslog:\n    disabled: true\n' +
      `storage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n` +
      `http:\n  addr: ${host}\n  secret: opm-test-secret\n` +
      auth;
    const configPath = join(dir, 'config.yml');
    await writeFile(configPath, config);
    const child = spawn(bin, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const spawnError = new Promise<Error>((r) => child.once('error', r));
    // Should the test process die before afterAll, do not leave the registry running.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const stop = async () => {
      process.off('exit', killOnExit);
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    };
    // Bounded readiness wait: up to ~10 s.
    const deadline = Date.now() + 10_000;
    let ready = false;
    while (Date.now() < deadline) {
      const failed = await Promise.race([spawnError, sleep(0).then(() => undefined)]);
      if (failed) {
        process.off('exit', killOnExit);
        await rm(dir, { recursive: true, force: true });
        throw new Error(`${MISSING_REGISTRY}: ${failed.message}`);
      }
      if (child.exitCode !== null) break;
      try {
        const res = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) });
        await res.body?.cancel();
        // Only our registry: a stranger that grabbed the port would not send this header.
        if ((res.status === 200 || res.status === 401) && res.headers.get('docker-distribution-api-version') && child.exitCode === null) {
          ready = true;
          break;
        }
      } catch {
        // Not listening yet.
      }
      await sleep(50);
    }
    if (ready) return { host, url: `oci://${host}`, stop };
    process.off('exit', killOnExit);
    await stopProcess(child);
    if (!/address already in use/i.test(stderr) || attempt === 2) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`docker-registry did not become ready on ${host}: ${stderr.trim() || 'no output'}`);
    }
  }
  throw new Error('unreachable');
}
