// The ModuleRelease CUE file of a release filled in the portal, in the
// spec's format (the examples/releases files): what Preview shows and offers
// for download, and what Deploy renders, so the portal deploys exactly the
// file a user could `opm release build` / `opm release apply` themselves.
// Secret values are never written in it: they are given at render time
// (`--secret path=env:VAR` on the command line).

export interface ReleaseForm {
  name: string;
  namespace: string;
  module: { name: string; version: string };
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The values the user set (secrets removed). */
  values: Record<string, unknown>;
  /** Dotted paths of secret values the user set (named in a comment, never their values). */
  secretPaths?: string[];
}

const IDENT = /^[A-Za-z$][A-Za-z0-9_$]*$/;
// Keywords that may not be field labels unquoted in every position.
const RESERVED = new Set(['package', 'import', 'for', 'in', 'if', 'let', 'true', 'false', 'null', '_']);

export function cueLabel(k: string): string {
  return IDENT.test(k) && !RESERVED.has(k) ? k : JSON.stringify(k);
}

function cueValue(v: unknown, indent: string): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${v} is not a number CUE can hold`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => `${indent}\t${cueValue(x, `${indent}\t`)},`).join('\n')}\n${indent}]`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${indent}\t${cueLabel(k)}: ${cueValue(x, `${indent}\t`)}`).join('\n')}\n${indent}}`;
  }
  throw new Error(`a value of type ${typeof v} cannot be written as CUE`);
}

/** A CUE package name from the release name (`web-app-dev` → `webAppDev`). */
function packageName(name: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[a-z]/.test(camel) ? camel : `release${camel}`;
}

export function releaseCue(f: ReleaseForm): string {
  const importPath = `opm.local/catalog/${f.module.name}:${f.module.version}`;
  const meta: Record<string, unknown> = { name: f.name, namespace: f.namespace };
  if (Object.keys(f.labels).length) meta.labels = f.labels;
  if (Object.keys(f.annotations).length) meta.annotations = f.annotations;
  const secrets = f.secretPaths?.length
    ? `\n\t// Secret values are not written here; supply them when building: ${f.secretPaths.map((p) => `--secret ${p}=env:VAR`).join(' ')}\n`
    : '';
  return [
    `package ${packageName(f.name)}`,
    '',
    'import (',
    `\tcatalog ${JSON.stringify(importPath)}`,
    ')',
    '',
    '#ModuleRelease & {',
    `\t#metadata: ${cueValue(meta, '\t')}`,
    '',
    '\t#module: catalog.#Module',
    secrets,
    `\tvalues: ${cueValue(f.values, '\t')}`,
    '}',
    '',
  ].join('\n');
}
