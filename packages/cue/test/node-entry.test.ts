// @opm/cue's entry in Node (src/node-entry.ts): its single-file bundle
// (scripts/bundle-cue.js, loaded by src/node-bundle.ts) while fresh, else the
// compiled modules. Both must offer exactly what index.ts exports, and the
// bundle must evaluate as the modules do. Needs the compiled dist/ (npm test
// runs tsc -b first).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as index from '../src/index.js';
import * as entry from '../src/node-entry.js';
import { bundleIsFresh, loadBundle } from '../src/node-bundle.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'opm-cue-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const doc = `
import ("strings", "regexp", "encoding/yaml")
#Port: {name: string, port: int & >0 & <=65535, protocol: *"TCP" | "UDP"}
ports: [...#Port] & [{name: "http", port: 8080}, {name: "dns", port: 53, protocol: "UDP"}]
ratio: 1.5 * 3
big: 12345678901234567890 * 10
upper: strings.ToUpper("web")
ok: regexp.Match("^[a-z]+$", "web")
doc: yaml.Marshal({a: 1, b: [true, "x"]})
names: [for p in ports if p.protocol == "TCP" {p.name}]
`;

describe('@opm/cue in Node', () => {
  it('exports from node-entry.ts exactly what index.ts exports', () => {
    // Here (sources, no bundle beside them) the entry falls back to the modules: the same objects.
    expect(Object.keys(entry).sort()).toEqual(Object.keys(index).sort());
    expect(entry.newContext).toBe(index.newContext);
  });

  it('bundles into one file that evaluates as the modules do, with a code cache V8 accepts', () => {
    const out = path.join(tmp, 'bundle');
    execFileSync(process.execPath, [path.join(REPO, 'scripts/bundle-cue.js'), out], { cwd: REPO, stdio: 'pipe', timeout: 120_000 });
    const { api, script } = loadBundle(path.join(out, 'cue.cjs'));
    expect(script.cachedDataRejected).toBe(false);
    expect(Object.keys(api).sort()).toEqual(Object.keys(index).sort());
    const json = api.newContext().compile({ filename: 'd.cue', text: doc }).toJSON();
    expect(json).toContain('"upper": "WEB"');
    expect(json).toBe(index.newContext().compile({ filename: 'd.cue', text: doc }).toJSON());
    // Errors are the bundle's own classes (a conflict: a CueErrorList), with the same position.
    const bad = () => api.newContext().compile({ filename: 'bad.cue', text: 'a: 1\na: 2\n' }).toJSON();
    expect(bad).toThrow(api.CueErrorList);
    expect(bad).toThrow(/bad\.cue:2/);
  }, 180_000);

  it('uses the bundle only while it is at least as new as the compiled modules', () => {
    const dist = path.join(tmp, 'dist');
    mkdirSync(path.join(dist, 'bundle'), { recursive: true });
    expect(bundleIsFresh(dist)).toBe(false);
    writeFileSync(path.join(dist, 'bundle/cue.cjs'), '');
    expect(bundleIsFresh(dist)).toBe(false); // no compiled modules to compare with
    writeFileSync(path.join(dist, '.tsbuildinfo'), '');
    utimesSync(path.join(dist, '.tsbuildinfo'), 1000, 1000);
    utimesSync(path.join(dist, 'bundle/cue.cjs'), 2000, 2000);
    expect(bundleIsFresh(dist)).toBe(true);
    utimesSync(path.join(dist, '.tsbuildinfo'), 3000, 3000); // tsc rebuilt the package after bundling
    expect(bundleIsFresh(dist)).toBe(false);
  });
});
