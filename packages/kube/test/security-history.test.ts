// Security (issue 18.4): release history is data that anyone who may write
// Secrets in the namespace can forge; decoding it stays bounded.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePayload, MAX_PAYLOAD_BYTES } from '../src/history/codec.js';
import { HistoryStore } from '../src/history/store.js';
import type { KubeClient } from '../src/client.js';

/** A gzip bomb: `mib` MiB of zeros, a few hundred kB compressed. */
function bomb(mib: number): Buffer {
  const zeros = Buffer.alloc(1 << 20);
  const parts: Buffer[] = [];
  for (let i = 0; i < mib; i++) parts.push(zeros);
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

describe('security: release history decoding is bounded (18.4)', () => {
  it('refuses a payload that unpacks beyond the limit, with a clear error', () => {
    const gz = bomb(MAX_PAYLOAD_BYTES / (1 << 20) + 16);
    expect(gz.length).toBeLessThan(1 << 20);
    expect(() => decodePayload([gz])).toThrow(/unpacks to more than 67108864 bytes: refused/);
    expect(() => decodePayload([Buffer.from('not gzip')])).toThrow(/history is corrupt/);
  });

  it('reading a forged head: a bomb or an absurd chunk count is refused', async () => {
    const head = (data: Buffer, chunks = '1') => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'opm.release.v1.web.v1', namespace: 'ns', labels: { 'opm.dev/owner': 'opm', 'opm.dev/chunk': '0', 'opm.dev/revision': '1', 'opm.dev/status': 'deployed' }, annotations: { 'opm.dev/chunks': chunks } },
      data: { release: data.toString('base64') },
    });
    let gets = 0;
    const client = (obj: unknown) => ({ get: async () => (gets++, obj) }) as unknown as KubeClient;
    await expect(new HistoryStore(client(head(bomb(80))), 'ns', 'web').read(1)).rejects.toThrow(/unpacks to more than/);
    gets = 0;
    await expect(new HistoryStore(client(head(gzipSync('{}'), '1000000000')), 'ns', 'web').read(1)).rejects.toThrow(/claims 1000000000 chunks/);
    expect(gets).toBe(1);
  });
});
