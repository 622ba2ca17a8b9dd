// Secret values supplied at build time instead of written in a release file:
// `PATH=env:VAR` reads an environment variable, `PATH=file:FILE` a file
// (trailing newline dropped). Literals are refused here: they would end up in
// shell history.
import path from 'node:path';
import { ValidationError } from './errors.js';
import { nodeFileSystem, type FileSystem } from './fs.js';

export async function readSecretSpecs(
  specs: string[],
  opts: { env?: Record<string, string | undefined>; fs?: FileSystem; cwd?: string } = {},
): Promise<Record<string, string>> {
  const env = opts.env ?? process.env;
  const fs = opts.fs ?? nodeFileSystem;
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const spec of specs) {
    const m = /^([^=]+)=(env|file):(.+)$/.exec(spec);
    if (!m) {
      problems.push(`--secret ${spec.split('=')[0]}: expected PATH=env:VAR or PATH=file:FILE`);
      continue;
    }
    const [, p, kind, ref] = m as unknown as [string, string, string, string];
    if (kind === 'env') {
      const v = env[ref];
      if (v === undefined) problems.push(`--secret ${p}: environment variable ${ref} is not set`);
      else out[p] = v;
    } else {
      const file = path.resolve(opts.cwd ?? process.cwd(), ref);
      try {
        out[p] = (await fs.readFile(file)).replace(/\r?\n$/, '');
      } catch {
        problems.push(`--secret ${p}: cannot read ${file}`);
      }
    }
  }
  if (problems.length) throw new ValidationError(problems, 'secrets');
  return out;
}
