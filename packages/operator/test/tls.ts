// A throwaway self-signed certificate, for 127.0.0.1 unless other subjectAltNames are given (the `openssl` CLI, as the test API server does).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function selfSigned(sans: string[] = ['IP:127.0.0.1']): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'opm-webhook-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', `subjectAltName=${sans.join(',')}`, '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')],
      { stdio: 'ignore', timeout: 20_000 },
    );
    return { cert: readFileSync(join(dir, 'tls.crt'), 'utf8'), key: readFileSync(join(dir, 'tls.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
