// The shapes the API answers (packages/portal/src: catalog.ts, schema-tree.ts).
export type FieldKind = 'int' | 'number' | 'string' | 'bool' | 'enum' | 'list' | 'map' | 'any';

export interface LeafNode {
  type: 'field';
  name: string;
  path: string;
  kind: FieldKind;
  constraint: string;
  optional: boolean;
  required: boolean;
  secret: boolean;
  description?: string;
  default?: unknown;
  defaultLayer?: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: unknown[];
  locked?: { value: unknown; by: string; source: string };
}

export interface GroupNode {
  type: 'group';
  name: string;
  path: string;
  children: SchemaNode[];
}

export type SchemaNode = LeafNode | GroupNode;

export interface EnvironmentInfo {
  name: string;
  tier: string;
  namespaces: string[];
  requiredLabels: string[];
  requiredAnnotations: string[];
}

export interface ModuleDetail {
  name: string;
  version: string;
  versions: string[];
  description?: string;
  definition: { name: string; version: string };
  components: string[];
  platformComponents: string[];
  policies: string[];
  immutable: { path: string; value: unknown; by: string }[];
  schema: GroupNode;
  environment?: string;
  environments: EnvironmentInfo[];
}
