// toYaml must write exactly what the `yaml` library's
// stringify(value, { lineWidth: 0 }) writes with ambiguous strings quoted, for
// every value: plain data on its own path, anything else through the library;
// and YAML 1.1 and 1.2 readers must both read the same data back.
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { libraryYaml, plainYaml, toYaml } from '../src/plain-yaml.js';
import { resolvesToNonString } from '../src/yaml-types.js';

const expected = (v: unknown) => libraryYaml(v);

// Scalars YAML 1.1 readers (go-yaml in kubectl, PyYAML) resolve to bool, int, float, null or timestamp.
const YAML_1_1_WORDS = ['on', 'off', 'On', 'OFF', 'yes', 'no', 'Yes', 'NO', 'y', 'n', 'Y', 'N', '~', '', '0755', '-012', '0b1010', '0x_1F', '1_000', '1e3', '12:30', '190:20:30', '1:20:30.5', '.5', '1.', '+.inf', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '<<', '=', 'null', 'True', '0o17', '1.0e+3'];

// Strings built from the characters YAML treats specially, so that quoting rules are exercised.
const tricky = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'aZ09 -_.:/#,?&*!|>\'"%@`[]{}~\\\t\nxé'.split('')), maxLength: 12 }),
  fc.constantFrom(...YAML_1_1_WORDS, 'true', 'False', 'NULL', 'null', '~', '0o17', '0x1F', '1e3', '.5', '1.', '-.inf', '.NaN', '08', '+12', '2.1.0-enterprise.3', '---', '...x', '%x', 'a: b', 'a #b', 'a#b', '- x', '-x', '?', 'x:', 'nginx:1.21', 'True', '/var/x', '_a-b.c', 'a-', "it's", 'say "hi"', 'a'.repeat(1100)),
);
const scalar = fc.oneof(tricky, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt());
const data = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
  map: fc.dictionary(tricky, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  list: fc.array(tie('value'), { maxLength: 4 }),
})).map;

describe('toYaml', () => {
  it('writes what the library writes (ambiguous strings quoted), for any JSON-like data', () => {
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

  it('quotes every string a YAML 1.1 or 1.2 reader would take for another type, as key and as value', () => {
    for (const w of YAML_1_1_WORDS) {
      expect(resolvesToNonString(w), w).toBe(true);
      const v = { [w]: w, list: [w], nested: { k: `${w}` } };
      const out = toYaml(v);
      expect(parse(out, { version: '1.1' }), out).toEqual(v);
      expect(parse(out, { version: '1.2' }), out).toEqual(v);
    }
    expect(toYaml({ data: { feature: 'on', mode: '0755', at: '12:30' } })).toBe('data:\n  feature: "on"\n  mode: "0755"\n  at: "12:30"\n');
    for (const word of ['web', 'online', 'nginx:1.21', 'yes-please', 'v1.2.3', '1.2.3', '10.0.0.1', 'a=b']) expect(resolvesToNonString(word), word).toBe(false);
  });

  it('round-trips any string map through YAML 1.1 and 1.2 readers', () => {
    const strings = fc.dictionary(tricky, fc.oneof(tricky, fc.array(tricky, { maxLength: 3 })), { maxKeys: 6 });
    fc.assert(
      fc.property(strings, (v) => {
        const out = toYaml(v);
        expect(parse(out, { version: '1.1' })).toEqual(v);
        expect(parse(out, { version: '1.2' })).toEqual(v);
      }),
      { numRuns: 5000 },
    );
  });
});
