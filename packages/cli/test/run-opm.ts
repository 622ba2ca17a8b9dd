// Runs `opm` in-process for the CLI tests, capturing what it writes to
// stdout and stderr (and feeding stdin when given).
import { Readable } from 'node:stream';
import { vi } from 'vitest';
import { main } from '../src/main.js';

export async function run(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  const realStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  if (stdin !== undefined) Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(stdin)]), configurable: true });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    Object.defineProperty(process, 'stdin', realStdin);
    process.exitCode = undefined;
  }
}
