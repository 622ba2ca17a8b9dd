// `opm release build` masks secrets; --reveal-secrets is the explicit way to get
// output that can be piped into `kubectl apply`, and never the default on a terminal.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './run-opm.js';

const STAGING = fileURLToPath(new URL('../../../examples/releases/ecommerce-staging.cue', import.meta.url));
const PASSWORD = 'staging-secure-password-123';
const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');

afterEach(() => {
  if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
  else delete (process.stdout as { isTTY?: boolean }).isTTY;
});

function asTerminal(): void {
  Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
}

describe('opm release build --reveal-secrets', () => {
  it('masks secrets by default and says in --help that masked output is not for applying', async () => {
    const r = await run(['release', 'build', STAGING]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('password: <secret>');
    expect(r.stdout).not.toContain(PASSWORD);
    const help = await run(['release', 'build', '--help']);
    expect(help.stdout).toContain('not for applying');
    expect(help.stdout).toContain('--reveal-secrets');
  });

  it('prints the rendered secret values into a pipe', async () => {
    const r = await run(['release', 'build', STAGING, '--reveal-secrets']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`password: ${PASSWORD}`);
    expect(r.stdout).not.toContain('<secret>');
  });

  it('refuses to print secrets to a terminal unless --force', async () => {
    asTerminal();
    const refused = await run(['release', 'build', STAGING, '--reveal-secrets']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refused on a terminal');
    expect(refused.stdout).toBe('');
    const forced = await run(['release', 'build', STAGING, '--reveal-secrets', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`password: ${PASSWORD}`);
  });

  it('writes revealed Secrets under --out-dir readable by their owner only', async () => {
    asTerminal();
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-reveal-'));
    const r = await run(['release', 'build', STAGING, '--reveal-secrets', '--out-dir', dir]);
    expect(r.code).toBe(0);
    const base = path.join(dir, 'ecommerce-staging');
    const secrets = readdirSync(base).filter((f) => f.includes('-secret-'));
    expect(secrets.length).toBeGreaterThan(0);
    for (const f of secrets) expect(statSync(path.join(base, f)).mode & 0o777).toBe(0o600);
    expect(secrets.map((f) => readFileSync(path.join(base, f), 'utf8')).join('')).toContain(PASSWORD);
  });

  it('--force alone is a usage error', async () => {
    const r = await run(['release', 'build', STAGING, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--force only applies to --reveal-secrets');
  });
});
