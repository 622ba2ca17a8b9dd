import { describe, expect, it } from 'vitest';
import { mergeValues } from '../src/merge.js';
import { formatPath, leaves, maskValues, splitPath, type PlainObject } from '../src/paths.js';
import { quoteHyphenatedLabels } from '../src/dialect.js';
import { parseQuantity } from '../src/quantity.js';

describe('value cascade merge rules', () => {
  it('merges structs key by key, recursively', () => {
    const lower = { image: { repository: 'r', tag: 'a' }, replicas: 2 };
    expect(mergeValues(lower, { image: { tag: 'b' } })).toEqual({ image: { repository: 'r', tag: 'b' }, replicas: 2 });
  });

  it('replaces lists whole (no concatenation, no merge by index)', () => {
    const lower: PlainObject = { email: ['a@x.com', 'b@x.com'], nested: { l: [{ a: 1 }, { b: 2 }] } };
    expect(mergeValues(lower, { email: ['c@x.com'], nested: { l: [{ c: 3 }] } })).toEqual({ email: ['c@x.com'], nested: { l: [{ c: 3 }] } });
  });

  it('replaces a scalar by a struct and a struct by a scalar', () => {
    expect(mergeValues({ a: 1 }, { a: { b: 2 } })).toEqual({ a: { b: 2 } });
    expect(mergeValues({ a: { b: 2 } }, { a: 'x' })).toEqual({ a: 'x' });
  });

  it('null removes the key so the schema default applies again', () => {
    expect(mergeValues({ replicas: 3, image: { tag: 'a', repository: 'r' } }, { replicas: null, image: { tag: null } })).toEqual({ image: { repository: 'r' } });
    // nulls inside a replacing value are dropped too
    expect(mergeValues({}, { a: { b: null, c: 1 } })).toEqual({ a: { c: 1 } });
  });

  it('does not modify its inputs', () => {
    const lower = { a: { b: 1 } };
    const higher = { a: { c: 2 } };
    mergeValues(lower, higher);
    expect(lower).toEqual({ a: { b: 1 } });
    expect(higher).toEqual({ a: { c: 2 } });
  });
});

describe('paths and masking', () => {
  it('formats and splits paths with quoted labels', () => {
    expect(formatPath(['platform', 'monitoring', 'enabled'])).toBe('platform.monitoring.enabled');
    expect(formatPath(['labels', 'cost-center'])).toBe('labels."cost-center"');
    expect(splitPath('labels."cost-center".x')).toEqual(['labels', 'cost-center', 'x']);
  });

  it('lists leaves; a list is one leaf', () => {
    expect(leaves({ a: { b: 1, c: [1, 2] }, d: 'x' })).toEqual([
      { path: ['a', 'b'], value: 1 },
      { path: ['a', 'c'], value: [1, 2] },
      { path: ['d'], value: 'x' },
    ]);
  });

  it('masks secrets without touching the input, leaving absent and empty secrets alone', () => {
    const v = { database: { password: 'hunter2-hunter2', user: 'u' }, platform: { pagerduty: '' } };
    const m = maskValues(v, ['database.password', 'platform.pagerduty', 'missing.x']);
    expect(m).toEqual({ database: { password: '<secret>', user: 'u' }, platform: { pagerduty: '' } });
    expect(v.database.password).toBe('hunter2-hunter2');
  });
});

describe('hyphenated bare labels in release files', () => {
  it('quotes them, keeps line numbers and warns', () => {
    const src = 'x: {\n    cost-center: "bu"\n    "ok-quoted": 1\n    a: b - c\n    s: """\n    not-a-label: x\n    """\n}\n';
    const { text, warnings } = quoteHyphenatedLabels(src, 'f.cue');
    expect(text.split('\n')).toHaveLength(src.split('\n').length);
    expect(text).toContain('    "cost-center": "bu"');
    expect(text).toContain('    a: b - c');
    expect(text).toContain('    not-a-label: x'); // inside a multi-line string
    expect(warnings).toEqual(['f.cue:2: label cost-center is not a CUE identifier; read as "cost-center" (quote it)']);
  });
});

describe('quantities', () => {
  it('parses Kubernetes quantities', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('1Ti')! > parseQuantity('500Gi')!).toBe(true);
    expect(parseQuantity('lots')).toBeUndefined();
  });
});

describe('constraint messages', () => {
  it('drops the conflict with the default literal and names allowed enum values', async () => {
    const { simplifyDetail } = await import('../src/values.js');
    expect(simplifyDetail('empty disjunction: invalid value 0 (out of bound >=1); conflicting values 1 and 0', 0)).toBe('invalid value 0 (out of bound >=1)');
    expect(simplifyDetail('empty disjunction: conflicting values "medium" and "urgent"; conflicting values "low" and "urgent"', 'urgent')).toBe(
      '"urgent" is not one of "medium", "low"',
    );
    expect(simplifyDetail('invalid value "x" (out of bound =~"^a$")', 'x')).toBe('invalid value "x" (out of bound =~"^a$")');
  });
});
