// schemaTree: a module version's values schema as a plain tree a form is
// generated from, on the example catalog's modules.
import { describe, expect, it } from 'vitest';
import { openSession, schemaTree, type SchemaField, type SchemaGroup, type SchemaNode } from '../src/index.js';
import { exprFacts } from '../src/schema-tree.js';
import { bundledSession, tempCatalog } from './helpers.js';
import { cueContext } from '../src/engine.js';

const ECOMMERCE = { name: 'ecommerce-platform', version: '2.1.0-enterprise.3' };
const WEB = { name: 'simple-web-app', version: '1.0.0-platform.1' };

function find(root: SchemaGroup, dotted: string): SchemaNode {
  let cur: SchemaNode = root;
  for (const s of dotted.split('.')) {
    const next: SchemaNode | undefined = cur.kind === 'group' ? cur.children.find((c) => c.name === s) : undefined;
    if (!next) throw new Error(`no ${dotted} (stopped at ${s})`);
    cur = next;
  }
  return cur;
}
const fieldAt = (root: SchemaGroup, p: string) => {
  const n = find(root, p);
  if (n.kind !== 'field') throw new Error(`${p} is a group`);
  return n as SchemaField;
};

describe('schemaTree', () => {
  it('gives groups, types, bounds, patterns, enums, secrets and doc comments (ecommerce-platform)', async () => {
    const t = await schemaTree(await bundledSession(), { module: ECOMMERCE });
    expect(t.module).toEqual({ ...ECOMMERCE, definition: { name: 'ecommerce-platform', version: '2.1.0' } });
    expect(t.environment).toBeUndefined();
    expect(t.root.children.map((c) => `${c.name}:${c.kind}`)).toEqual(['environment:field', 'frontend:group', 'backend:group', 'database:group', 'caching:group', 'ingress:group', 'platform:group']);

    const replicas = fieldAt(t.root, 'frontend.replicas');
    expect(replicas).toMatchObject({ type: 'int', bounds: [{ op: '>=', value: 1 }, { op: '<=', value: 50 }], default: 2, required: false, secret: false });
    expect(replicas.defaultLayer).toBe('definition ecommerce-platform 2.1.0 default');

    expect(fieldAt(t.root, 'environment')).toMatchObject({ type: 'string', enum: ['development', 'staging', 'production'], default: 'development' });
    expect(fieldAt(t.root, 'platform.monitoring.level')).toMatchObject({ enum: ['basic', 'detailed', 'enterprise'], default: 'detailed', defaultLayer: 'module ecommerce-platform 2.1.0-enterprise.3 #overrides' });
    expect(fieldAt(t.root, 'frontend.image.tag').patterns).toEqual([{ op: '=~', regexp: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' }]);
    // A constraint from the core schema (core.#MemoryType) comes through as its pattern.
    expect(fieldAt(t.root, 'caching.size')).toMatchObject({ type: 'string', default: '512Mi' });
    expect(fieldAt(t.root, 'caching.size').patterns[0]!.regexp).toMatch(/Mi/);

    expect(fieldAt(t.root, 'database.password')).toMatchObject({ secret: true, required: true, type: 'string', patterns: [{ op: '=~', regexp: '^.{12,}$' }] });
    expect(fieldAt(t.root, 'database.password').default).toBeUndefined();
    expect(fieldAt(t.root, 'platform.monitoring.alerts.pagerduty')).toMatchObject({ secret: true, default: '' });
    expect(fieldAt(t.root, 'ingress.host')).toMatchObject({ required: true, optional: false });
    expect(fieldAt(t.root, 'platform.monitoring.alerts.slack')).toMatchObject({ optional: true, required: false, type: 'string' });
    const email = fieldAt(t.root, 'platform.monitoring.alerts.email');
    expect(email).toMatchObject({ type: 'list', default: ['ecommerce-dev@company.com'], items: { type: 'string' } });
    // The element constraint is core.#EmailType's pattern.
    expect(email.items!.patterns[0]!.regexp).toContain('@');
    expect(fieldAt(t.root, 'backend.autoscaling')).toMatchObject({ type: 'bool', default: true, description: 'Scale out up to twice the configured replicas under CPU load.' });
    expect(fieldAt(t.root, 'database.maxConnections').bounds).toEqual([{ op: '>=', value: 10 }, { op: '<=', value: 1000 }]);

    // Module locks: the value, who locked it and where.
    expect(fieldAt(t.root, 'platform.compliance.pciDss').locked).toEqual({ value: true, by: expect.stringMatching(/^module ecommerce-platform 2\.1\.0-enterprise\.3 \(#immutable, module\.cue line \d+\)$/), source: 'module' });
    expect(fieldAt(t.root, 'database.storage.class')).toMatchObject({ optional: true, default: 'encrypted-ssd', locked: { value: 'encrypted-ssd', source: 'module' } });
    expect(fieldAt(t.root, 'platform.backup.enabled').locked).toBeUndefined();
    // JSON-serialisable as it is.
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it("adds the locks of the namespace's environment, saying so", async () => {
    const t = await schemaTree(await bundledSession(), { module: ECOMMERCE, namespace: 'tenant-acme' });
    expect(t.environment).toBe('tenant');
    const np = fieldAt(t.root, 'platform.networking.networkPolicies');
    expect(np.locked).toEqual({ value: true, by: expect.stringMatching(/^platform environment tenant \(platform\.cue line \d+\)$/), source: 'environment' });
    expect(np.defaultLayer).toMatch(/^locked by platform environment tenant/);
    // The module's own lock wins over the environment's for the same value.
    expect(fieldAt(t.root, 'platform.compliance.pciDss').locked?.source).toBe('module');
    const dev = await schemaTree(await bundledSession(), { module: ECOMMERCE, namespace: 'dev-x' });
    expect(dev.environment).toBe('development');
    expect(fieldAt(dev.root, 'platform.networking.networkPolicies').locked).toBeUndefined();
  });

  it('reads simple-web-app: overrides as defaults, ports as bounded ints, group doc comments', async () => {
    const t = await schemaTree(await bundledSession(), { module: WEB, namespace: 'production' });
    expect(fieldAt(t.root, 'replicas')).toMatchObject({ type: 'int', default: 2, defaultLayer: 'module simple-web-app 1.0.0-platform.1 #overrides', bounds: [{ op: '>=', value: 1 }, { op: '<=', value: 20 }] });
    expect(fieldAt(t.root, 'port')).toMatchObject({ type: 'int', default: 8080 });
    expect(fieldAt(t.root, 'port').bounds.length).toBeGreaterThan(0);
    expect(fieldAt(t.root, 'platform.alerts.severity')).toMatchObject({ enum: ['medium', 'low', 'high', 'critical'], default: 'medium' });
    expect(find(t.root, 'platform').description).toBe('Read by the PlatformScopes the platform team adds in the Module.');
    expect(fieldAt(t.root, 'image.repository').locked?.source).toBe('module');
    expect(fieldAt(t.root, 'platform.monitoring.enabled').locked?.source).toBe('environment');
  });

  it('reads a map (a struct with only a pattern constraint) with the constraint on its values', async () => {
    const dir = tempCatalog('simple-web-app/1.0.0-platform.1/definition.cue', (t) => t.replace('replicas: int & >=1 & <=20 | *1', 'replicas: int & >=1 & <=20 | *1\n\t\t// Extra pod labels.\n\t\textraLabels: {[string]: string & =~"^[a-z]+$"}'));
    const t = await schemaTree(await openSession({ catalog: dir }), { module: WEB });
    expect(fieldAt(t.root, 'extraLabels')).toMatchObject({ type: 'map', values: { type: 'string', patterns: [{ op: '=~', regexp: '^[a-z]+$' }] }, description: 'Extra pod labels.', default: {} });
  });
});

describe('exprFacts', () => {
  const facts = (cue: string) => {
    const d = cueContext().parse({ filename: 't.cue', text: `x: ${cue}\n` }).decls[0]!;
    if (d.type !== 'Field') throw new Error('not a field');
    return exprFacts(d.value);
  };
  it('reads maps, list elements, negative and exclusive bounds, exclusions and validators', () => {
    expect(facts('{[string]: int & >0}')).toMatchObject({ type: 'map', values: { type: 'int', bounds: [{ op: '>', value: 0 }] } });
    expect(facts('[...string & =~"^a"]')).toMatchObject({ type: 'list', items: { type: 'string', patterns: [{ op: '=~', regexp: '^a' }] } });
    expect(facts('number & >-1.5 & <10 & !=3')).toMatchObject({ type: 'number', bounds: [{ op: '>', value: -1.5 }, { op: '<', value: 10 }, { op: '!=', value: 3 }] });
    expect(facts('string & !~"^x" & strings.MinRunes(3)')).toMatchObject({ type: 'string', patterns: [{ op: '!~', regexp: '^x' }], validators: ['strings.MinRunes(3)'] });
    expect(facts('*1 | 2 | 3')).toMatchObject({ type: 'int', enum: [1, 2, 3] });
    expect(facts('int | *5')).toMatchObject({ type: 'int' });
    expect(facts('int | *5').enum).toBeUndefined();
    expect(facts('true | false | null')).toMatchObject({ types: ['bool', 'null'], enum: [true, false, null] });
  });
});
