// toYaml must write exactly what the `yaml` library's
// stringify(value, { lineWidth: 0 }) writes, for every value: plain data on
// its own path, anything else through the library.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { plainYaml, toYaml } from '../src/plain-yaml.js';

const expected = (v: unknown) => stringify(v, { lineWidth: 0 });

// Strings built from the characters YAML treats specially, so that quoting rules are exercised.
const tricky = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'aZ09 -_.:/#,?&*!|>\'"%@`[]{}~\\\t\nxé'.split('')), maxLength: 12 }),
  fc.constantFrom('', 'true', 'False', 'NULL', 'null', '~', '0o17', '0x1F', '1e3', '.5', '1.', '-.inf', '.NaN', '08', '+12', '2.1.0-enterprise.3', '---', '...x', '%x', 'a: b', 'a #b', 'a#b', '- x', '-x', '?', 'x:', 'nginx:1.21', 'True', '/var/x', '_a-b.c', 'a-', "it's", 'say "hi"', 'a'.repeat(1100)),
);
const scalar = fc.oneof(tricky, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt());
const data = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
  map: fc.dictionary(tricky, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  list: fc.array(tie('value'), { maxLength: 4 }),
})).map;

describe('toYaml', () => {
  it('writes what yaml.stringify writes, for any JSON-like data', () => {
    let own = 0;
    fc.assert(
      fc.property(data, (v) => {
        expect(toYaml(v)).toBe(expected(v));
        if (plainYaml(v) !== undefined) own++;
      }),
      { numRuns: 3000 },
    );
    // Most generated values take the direct path, so the comparison tests it and not the library against itself.
    expect(own).toBeGreaterThan(1000);
  });

  it('writes a Kubernetes object on its own path, byte for byte', () => {
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { 'app.kubernetes.io/version': '2.1.0', enabled: 'true', port: '8080' }, annotations: {} },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [{ name: 'web', image: 'nginx:1.21', args: ['--a=b', '-v'], ports: [{ containerPort: 80 }], env: [] }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
            nested: [[1, 'x'], [], [{}]],
          },
        },
        ratio: 0.5,
        none: null,
        skipped: undefined,
      },
    };
    expect(plainYaml(obj)).toBe(expected(obj));
    expect(toYaml(obj)).toContain('  labels:\n    app.kubernetes.io/version: 2.1.0\n    enabled: "true"\n    port: "8080"\n');
  });

  it('leaves shared objects (anchors), multi-line and non-ASCII strings to the library', () => {
    const shared = { a: 1 };
    const empty = {};
    const none: unknown[] = [];
    for (const v of [{ x: shared, y: shared }, { x: empty, y: [empty] }, { x: none, y: { z: none } }, { s: 'line 1\nline 2\n' }, { s: 'café' }, { d: new Date(0) }, ['top', 'list'], 'scalar']) {
      expect(plainYaml(v)).toBeUndefined();
      expect(toYaml(v)).toBe(expected(v));
    }
  });
});
