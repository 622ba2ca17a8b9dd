// The values schema as the form needs it: nested groups and typed leaves
// with their default (and the layer that set it), bounds, pattern, enum,
// secret and lock markers. Read from @opm/core's schemaTree (the same facts
// `opm release values --explain` uses), flattened into what a form input
// needs; secret defaults and locked secret values are never included.
import { schemaTree as coreSchemaTree, type SchemaNode as CoreNode, type Session } from '@opm/core';
import type { FieldKind, SchemaGroupNode, SchemaLeafNode, SchemaNode } from './api-types.js';

export type { FieldKind, SchemaGroupNode, SchemaLeafNode, SchemaNode } from './api-types.js';

const KINDS: Record<string, FieldKind> = { int: 'int', number: 'number', string: 'string', bool: 'bool', list: 'list', map: 'map' };

function convert(n: CoreNode): SchemaNode {
  const path = n.path.join('.');
  if (n.kind === 'group') return { type: 'group', name: n.name, path, ...(n.description ? { description: n.description } : {}), children: n.children.map(convert) };
  const leaf: SchemaLeafNode = {
    type: 'field',
    name: n.name,
    path,
    kind: n.enum ? 'enum' : (KINDS[n.type] ?? 'any'),
    constraint: n.constraint,
    optional: n.optional,
    required: n.required,
    secret: n.secret,
    ...(n.description ? { description: n.description } : {}),
  };
  if (n.enum) leaf.enum = n.enum;
  for (const b of n.bounds) {
    if (typeof b.value !== 'number') continue;
    if (b.op === '>=' || b.op === '>') {
      leaf.min = b.value;
      leaf.exclusiveMin = b.op === '>';
    } else if (b.op === '<=' || b.op === '<') {
      leaf.max = b.value;
      leaf.exclusiveMax = b.op === '<';
    }
  }
  const pattern = n.patterns.find((p) => p.op === '=~');
  if (pattern) leaf.pattern = pattern.regexp;
  // A secret's default or lock value is never sent to the browser.
  if (n.default !== undefined && !n.secret) leaf.default = n.default;
  if (n.defaultLayer) leaf.defaultLayer = n.defaultLayer;
  if (n.locked) leaf.locked = { value: n.secret ? undefined : n.locked.value, by: n.locked.by, source: n.locked.source };
  return leaf;
}

/** The form tree of a module version; with `namespace`, the locks of the environment covering it too. */
export async function schemaTree(session: Session, module: { name: string; version: string }, namespace?: string): Promise<{ environment?: string; root: SchemaGroupNode }> {
  const t = await coreSchemaTree(session, { module, ...(namespace ? { namespace } : {}) });
  return { ...(t.environment ? { environment: t.environment } : {}), root: convert(t.root) as SchemaGroupNode };
}
