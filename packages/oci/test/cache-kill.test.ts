// A pull killed with SIGKILL mid-download (no `finally` runs) leaves its
// temporary layer file in the cache; the next pull removes it. A real child
// process pulls from docker-registry on 127.0.0.1 through a relay that stops
// passing the layer on after its first bytes, so the kill lands mid-download
// every time, whatever the machine's speed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciCatalog, publish } from '../src/index.js';
import { makeModuleDir, moduleFiles } from './helpers.js';
import { startRegistry, type TestRegistry } from './registry.js';

const env = { HOME: '/nonexistent-home' };
/** Bytes a relayed response may carry before the relay holds the rest back (manifests and configs are far smaller). */
const PASS_BYTES = 64 * 1024;

/** A TCP relay to `target` that passes at most PASS_BYTES of each answer, then holds the connection open. */
function stallingRelay(target: string): Promise<{ server: Server; host: string; sockets: Set<Socket> }> {
  const [thost, tport] = target.split(':') as [string, string];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(tport), thost);
    sockets.add(client).add(upstream);
    let passed = 0;
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (passed >= PASS_BYTES) return;
      const part = d.subarray(0, PASS_BYTES - passed);
      passed += part.length;
      client.write(part);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, host: `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, sockets });
    }),
  );
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a pull killed mid-download leaves nothing for good (SIGKILL)', () => {
  let reg: TestRegistry;
  let relay: Awaited<ReturnType<typeof stallingRelay>>;
  let cacheDir: string;

  beforeAll(async () => {
    reg = await startRegistry();
    relay = await stallingRelay(reg.host);
    cacheDir = await mkdtemp(join(tmpdir(), 'opm-oci-kill-'));
    // Incompressible content: the layer is about 1 MiB, far more than the relay lets through.
    const files = { ...moduleFiles('big', '1.0.0'), 'data.cue': `package big\n\ndata: "${randomBytes(768 * 1024).toString('base64')}"\n` };
    await publish(await makeModuleDir('big', '1.0.0', files), `oci://${reg.host}/cat/big`, { version: '1.0.0', env });
  }, 60_000);
  afterAll(async () => {
    for (const s of relay?.sockets ?? []) s.destroy();
    await new Promise<void>((r) => (relay ? relay.server.close(() => r()) : r()));
    await reg?.stop();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('the next pull removes the temporary file of the killed one, and pulls the module', async () => {
    const dist = new URL('../dist/index.js', import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const oci = await import(${JSON.stringify(dist)});
         await new oci.OciCatalog('oci://${relay.host}/cat', { cacheDir: ${JSON.stringify(cacheDir)}, env: ${JSON.stringify(env)}, timeoutMs: 120000 }).fetch('big', '1.0.0');
         console.log('finished');`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)));
    try {
      // Mid-download: the child's temporary layer file exists and holds the first bytes.
      const tmp = join(cacheDir, '.tmp');
      const partial = await until('the partial download', async () => {
        for (const name of await readdir(tmp).catch(() => [] as string[])) {
          if ((await stat(join(tmp, name)).catch(() => undefined))?.size) return name;
        }
        return undefined;
      });
      expect(partial).toMatch(new RegExp(`^blob-sha256-[0-9a-f]{64}\\.[a-zA-Z0-9-]+\\.${child.pid}\\.[0-9a-f]+$`));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(out).not.toContain('finished');
      // Nothing cleaned up after the killed process: the file is still there.
      expect(await readdir(tmp)).toContain(partial);

      // The next pull, straight from the registry, clears it and succeeds; nothing temporary is left.
      const m = await new OciCatalog(`oci://${reg.host}/cat`, { cacheDir, env }).fetch('big', '1.0.0');
      expect(m.cached).toBe(false);
      expect(await readdir(m.dir)).toContain('data.cue');
      expect(await readdir(tmp)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
