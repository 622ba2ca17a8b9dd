// Reading a ModuleRelease file: evaluate it against the spec's
// #ModuleRelease, capture what the file itself sets (its values, before any
// default), and reject anything but values (no components, scopes or module changes).
import { CueErrorList, type CueError, type File, type Value } from '@opm/cue';
import { quoteHyphenatedLabels } from './dialect.js';
import { NotSupportedError, ValidationError } from './errors.js';
import { loadModule } from './module.js';
import { Redactor } from './redact.js';
import { isObject, type PlainObject } from './paths.js';
import { didYouMean } from './suggest.js';
import { baseName } from './sources.js';
import { secretPathsIn, simplifyDetail } from './values.js';
import type { ReleaseMeta } from './policy.js';
import { parseCatalogImport, type Session } from './session.js';

export interface ReleaseInput {
  file?: string;
  meta: ReleaseMeta;
  module: { name: string; version: string };
  /** What the release file sets under `values`, as written. */
  userValues: PlainObject;
  /** file:line of a value the release sets (for --explain and warnings). */
  positionOf?: (path: string[]) => { file: string; line: number } | undefined;
  /** The release evaluated against the spec's #ModuleRelease (errors the model checks did not explain surface from here). */
  evaluated?: Value;
  warnings: string[];
}

const ALLOWED_TOP = new Set(['#metadata', '#module', 'values', '#status']);

// What #metadata may hold, and the rule behind each field's schema, for messages
// that say which rule a value breaks (the schema itself is the check).
const METADATA_RULES: Record<string, string> = {
  name: '#NameType: an RFC 1123 label of at most 63 characters: lowercase letters, digits and "-", starting and ending with a letter or digit',
  namespace: '#NameType: an RFC 1123 label of at most 63 characters: lowercase letters, digits and "-", starting and ending with a letter or digit',
  labels: '#LabelsType: label keys are an optional DNS prefix and "/" then a name; values are strings',
  annotations: '#AnnotationsType: annotation keys are an optional DNS prefix and "/" then a name; values are strings',
};

function at(v: Value, fallback: string): string {
  const p = v.pos();
  return p ? `${p.file}:${p.line}:${p.col}` : fallback;
}

/**
 * #metadata decides where and under which name a release is deployed, so a
 * misspelled or invalid field must never fall back to a default: each one is an
 * error naming the field, the rule it breaks and where it is written.
 */
function checkMetadata(raw: Value, evaluated: Value, file: string): string[] {
  const written = raw.lookup('#metadata');
  if (!written.exists()) return [];
  const problems: string[] = [];
  const known = Object.keys(METADATA_RULES);
  for (const f of written.fields({ optional: true, definitions: true, hidden: true })) {
    if (!(f.label in METADATA_RULES)) {
      problems.push(`${at(f.value, file)}: #metadata.${f.label} is not allowed: #metadata holds ${known.join(', ')}${didYouMean(f.label, known)}`);
      continue;
    }
    const v = evaluated.lookup('#metadata', f.label);
    const errs = v.validate({ all: true, concrete: true, definitions: true });
    if (errs.length === 0) continue;
    const scalar = f.value.isConcrete() && f.value.kind() !== 'struct';
    const shown = scalar ? ` ${JSON.stringify(f.value.toJS())}` : '';
    const wantString = f.label === 'name' || f.label === 'namespace';
    const detail = scalar && wantString && f.value.kind() !== 'string'
      ? `${/^[aeiou]/.test(f.value.kind()) ? 'an' : 'a'} ${f.value.kind()} is not a string`
      : [...new Set(errs.map((e) => {
          // Errors below the field (a label key) name the key.
          const i = e.path.indexOf(f.label);
          const below = i >= 0 ? e.path.slice(i + 1) : [];
          const detail = simplifyDetail(e.detail, scalar ? f.value.toJS() : undefined);
          return below.length ? `${below.map((k) => JSON.stringify(k)).join('.')}: ${detail}` : detail;
        }))].join('; ');
    problems.push(`${at(f.value, file)}: #metadata.${f.label}${shown} is invalid (${METADATA_RULES[f.label]}): ${detail}`);
  }
  return problems;
}

/** `#module` must be exactly `<import>.#Module`: a release may not unify anything into the module. Returns the imports used. */
function checkModuleExpressions(file: File, imports: Set<string>, used: Set<string>): string[] {
  const problems: string[] = [];
  const visit = (decls: readonly unknown[]) => {
    for (const d of decls as { type: string; [k: string]: any }[]) {
      if (d.type === 'Field') {
        const label = d.label?.type === 'Ident' ? d.label.name : d.label?.value;
        if (label === '#module') {
          const x = d.value;
          const ok = x?.type === 'SelectorExpr' && x.x?.type === 'Ident' && imports.has(x.x.name) && x.sel?.name === '#Module';
          if (ok) used.add(x.x.name);
          else problems.push(`line ${d.pos.line}: #module must be exactly <catalog import>.#Module; a release cannot change the module's components, scopes or policies`);
        }
      } else if (d.type === 'Embed') {
        visitExpr(d.expr);
      }
    }
  };
  const visitExpr = (e: any) => {
    if (!e) return;
    if (e.type === 'StructLit') visit(e.decls);
    else if (e.type === 'BinaryExpr') {
      visitExpr(e.x);
      visitExpr(e.y);
    } else if (e.type === 'ParenExpr') visitExpr(e.expr);
  };
  visit(file.decls);
  return problems;
}

export async function readReleaseFile(session: Session, file: string, given?: string): Promise<ReleaseInput> {
  const ctx = session.ctx;
  if (given === undefined && !session.fs) throw new NotSupportedError(`reading ${file}: this session has no file system (give the release text)`);
  const original = given ?? (await session.fs!.readFile(file));
  const { text, warnings } = quoteHyphenatedLabels(original, file);
  const ast = ctx.parse({ filename: file, text });
  const name0 = baseName(file);

  const importNames = new Set<string>();
  const refs = new Map<string, { name: string; version: string }>();
  for (const imp of ast.imports) {
    const ref = parseCatalogImport(imp.path);
    if (ref) await session.fetchModule(ref.name, ref.version); // unknown module/version: CatalogError listing versions
    const local = imp.name?.name ?? imp.path.split('/').pop()!.split(':')[0]!;
    importNames.add(local);
    if (ref) refs.set(local, ref);
  }
  const used = new Set<string>();
  const structural = checkModuleExpressions(ast, importNames, used).map((p) => `release ${name0}: ${p}`);

  const schema = await session.coreSchema();
  const capture = ctx.compile('#ModuleRelease: {...}');
  const raw = await ctx.build([ast], { resolver: session.resolver, scope: capture }).catch((e: unknown) => {
    // Compile errors (an undefined reference, an unused import) name identifiers and positions, never values.
    if ((e as { name?: string }).name === 'CueErrorList') {
      throw new ValidationError((e as { errors: CueError[] }).errors.map((x) => `release ${name0}: ${x.message}`), 'release');
    }
    throw e;
  });
  for (const f of raw.fields({ definitions: true, optional: true, hidden: true })) {
    // Hidden fields (`_helper`) are the author's own scratch space, not structure.
    if (!ALLOWED_TOP.has(f.label) && !f.hidden) {
      structural.push(`release ${name0}: field ${f.label} is not allowed: a release sets #metadata, #module and values only (it cannot add components, change scopes or set fields outside the values schema)`);
    }
  }
  if (structural.length) throw new ValidationError(structural, 'release');

  // Errors can quote the values the file gives for secrets: mask them (by path, then as text).
  const redacted = async (errs: CueError[], prefix: string, suffix = '') => {
    const r = await releaseRedactor(session, refs.values(), raw);
    return new ValidationError(errs.map((e) => `${prefix}${r.cueMessage(e)}${suffix}`), 'release');
  };
  const evaluated = await ctx.build([ast], { resolver: session.resolver, scope: schema });
  const badMetadata = checkMetadata(raw, evaluated, file);
  if (badMetadata.length) throw new ValidationError(badMetadata, 'release');
  const top = evaluated.err();
  if (top) {
    // validate() leaves out what is only incomplete; the release itself being
    // incomplete (a file holding an unresolved reference) still needs saying.
    const errs = evaluated.validate({ all: true });
    throw await redacted(errs.length ? errs : [top], `release ${name0}: `);
  }
  const md = evaluated.lookup('#metadata');
  const nameV = md.lookup('name');
  if (!nameV.exists() || !nameV.isConcrete()) throw new ValidationError([`release ${name0}: #metadata.name must be set`], 'release');
  const name = String(nameV.toJS());
  const nsV = md.lookup('namespace');
  const namespace = nsV.exists() && nsV.default().isConcrete() ? String(nsV.default().toJS()) : 'default';
  const obj = (v: Value) => (v.exists() && v.isConcrete() ? (v.toJS() as Record<string, string>) : {});
  const meta: ReleaseMeta = { name, namespace, labels: obj(md.lookup('labels')), annotations: obj(md.lookup('annotations')) };

  // The module is the catalog entry the release imports (its directory decides name and version).
  const module = [...used].map((u) => refs.get(u)).find((r) => r);
  if (!module) throw new ValidationError([`release ${name}: #module must be set to a catalog module (import catalog "<host>/catalog/<name>:<version>", then #module: catalog.#Module)`], 'release');

  const rv = raw.lookup('values');
  let userValues: PlainObject = {};
  if (rv.exists()) {
    // One walk: toJSChecked fails with exactly the errors validate({concrete, all}) reports.
    let js: unknown;
    try {
      js = rv.toJSChecked();
    } catch (e) {
      if (e instanceof CueErrorList) throw await redacted(e.errors, `release ${name}: values: `, ' (release values must be concrete)');
      throw e;
    }
    if (!isObject(js)) throw new ValidationError([`release ${name}: values must be a struct`], 'release');
    userValues = js as PlainObject;
  }
  const positionOf = (p: string[]) => {
    const pos = rv.lookup(...p).pos();
    return pos ? { file: pos.file, line: pos.line } : undefined;
  };
  return { file, meta, module, userValues, positionOf, evaluated, warnings };
}

/** The redaction for a release file's errors: the secret paths of the modules it imports, and what the file gives there. */
async function releaseRedactor(session: Session, refs: Iterable<{ name: string; version: string }>, raw: Value): Promise<Redactor> {
  const r = new Redactor();
  for (const ref of refs) {
    const mod = await loadModule(session, ref.name, ref.version).catch(() => undefined);
    // The file's values make the paths of secrets declared under patterns (`db: [string]: {token: string @secret()}`).
    const rv = raw.lookup('values');
    if (mod) r.addSecretPaths(rv.exists() ? secretPathsIn(mod.schema, rv) : mod.secretPaths);
  }
  for (const p of r.secretPaths) {
    try {
      const v = raw.lookup('values', ...p);
      if (v.exists() && v.isConcrete()) r.addValue(v.toJS());
    } catch {
      // A value in conflict has no single form; its error is masked by path.
    }
  }
  return r;
}
