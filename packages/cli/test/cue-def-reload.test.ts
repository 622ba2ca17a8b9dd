// `opm cue def` prints what loads again as the same package, as cue def does:
// hidden fields included, since a definition's values refer to them. The
// open-platform-model catalog's context builder (experiments/
// 001-module-context, #ComponentNames) interpolates `_namespace` and
// `_clusterDomain` into its DNS names; def printed the interpolations and
// left the fields out, so its output failed to load (reference not found).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as runOpm } from './run-opm.js';

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opm-cue-def-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  vi.restoreAllMocks();
});

describe('opm cue def output loads again', () => {
  it('keeps the hidden fields a definition refers to', async () => {
    const src = '#Names: {\n\t_ns: string\n\tname: string\n\tfqdn: "\\(name).\\(_ns).svc"\n}\nw: #Names & {_ns: "apps", name: "web"}\n';
    writeFileSync(join(dir, 'a.cue'), src);
    const d = await runOpm(['cue', 'def', 'a.cue']);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('_ns: string');
    writeFileSync(join(dir, 'def.cue'), d.stdout);
    const before = await runOpm(['cue', 'export', 'a.cue']);
    const after = await runOpm(['cue', 'export', 'def.cue']);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual(JSON.parse(before.stdout));
    writeFileSync(join(dir, 'more.cue'), `${d.stdout}v: #Names & {_ns: "db", name: "pg"}\n`);
    expect(JSON.parse((await runOpm(['cue', 'export', 'more.cue'])).stdout).v).toEqual({ name: 'pg', fqdn: 'pg.db.svc' });
  });
});
