// Import path syntax: `path[@vN][:qualifier]` (CUE spec "Import declarations"
// and the modules reference). opm additionally uses a version after the colon
// (`catalog/app:1.0.0-platform.1`); such paths are only served by a caller's
// ImportResolver, so a non-identifier qualifier is kept as written here.

export interface ImportPath {
  /** The path as written. */
  raw: string;
  /** The path without version and qualifier, e.g. `x.example/m/sub`. */
  base: string;
  /** The major version suffix without `@`, e.g. `v1`, if given. */
  version?: string;
  /** The explicit qualifier after `:`, if given. */
  qualifier?: string;
  /** The package name the files must declare: the qualifier or the last path element. */
  packageName: string;
}

const identRe = /^[\p{L}_$#][\p{L}\p{N}_$#]*$/u;

export function isIdentifier(s: string): boolean {
  return identRe.test(s);
}

export function parseImportPath(raw: string): ImportPath {
  let rest = raw;
  let qualifier: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0 && !rest.slice(colon).includes('/')) {
    qualifier = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0 && !rest.slice(at).includes('/')) {
    version = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const last = rest.slice(rest.lastIndexOf('/') + 1);
  const out: ImportPath = { raw, base: rest, packageName: qualifier ?? last };
  if (version !== undefined) out.version = version;
  if (qualifier !== undefined) out.qualifier = qualifier;
  return out;
}

/**
 * Builtin (standard library) packages have no dot in their first path element
 * (`strings`, `encoding/json`); the evaluator provides them and they never reach
 * a resolver.
 */
export function isBuiltinPath(raw: string): boolean {
  const first = raw.split('/')[0] ?? '';
  return !first.includes('.') && !raw.includes('@');
}

/** Splits a module path with an optional major version (`x.example/m@v0`) into base and major. */
export function splitModulePath(mod: string): { base: string; major?: string } {
  const at = mod.lastIndexOf('@');
  if (at < 0) return { base: mod };
  return { base: mod.slice(0, at), major: mod.slice(at + 1) };
}
