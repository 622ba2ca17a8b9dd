// The catalog's platform rules (platform.cue): environments, ceilings,
// required metadata, locked values, security rules.
import { CueErrorList, type Source, type Value } from '@opm/cue';
import { sha256 } from '@opm/cue/builtins/hash';
import { ValidationError } from './errors.js';
import type { PlainObject } from './paths.js';
import type { Session } from './session.js';
import type { PodSecurityLevel } from './pod-security.js';
import { baseName } from './sources.js';

export interface Environment {
  name: string;
  tier: 'development' | 'staging' | 'production';
  namespaces: string[];
  createNamespace: boolean;
  requiredLabels: string[];
  requiredAnnotations: string[];
  ceilings: { replicas?: number; cpu?: string; memory?: string; storage?: string };
  /** Default values for releases in this environment (paths a module does not have are ignored). */
  defaults?: PlainObject;
  immutable: PlainObject;
  podSecurity?: PodSecurityLevel;
}

export interface SecurityRules {
  runAsNonRoot: boolean;
  allowPrivileged: boolean;
  requireLimits: boolean;
  allowedRegistries: string[];
  podSecurity?: PodSecurityLevel;
}

/** Which platform rules a release was built with: recorded in its history. */
export interface PlatformRulesRef {
  /** Where they come from: the rules file, a published artifact's reference, OPM_PLATFORM, or none. */
  source: string;
  /** `sha256:` of the rules' text (file names and contents), or `none` without rules. */
  digest: string;
}

export interface PlatformRules {
  /** Where the rules come from (platform.cue), for messages. */
  file?: string;
  ref?: PlatformRulesRef;
  /** Said on every render built with these rules (e.g. OPM_PLATFORM replacing the published rules). */
  warning?: string;
  environments: Environment[];
  security: SecurityRules;
  /** Per module: the cluster-scoped kinds and other namespaces it may render into, the escape-hatch pod fields it may set. */
  modules?: Record<string, { clusterScoped: string[]; namespaces: string[]; podSpec?: string[] }>;
  /** The evaluated `platform` value (for positions of locks). */
  value?: Value;
}

/** Without a platform.cue: no environments, default security rules, any registry. */
export const NO_PLATFORM: PlatformRules = {
  environments: [],
  security: { runAsNonRoot: true, allowPrivileged: false, requireLimits: true, allowedRegistries: [] },
};

const cache = new WeakMap<Session, Promise<PlatformRules>>();

export function loadPlatform(session: Session): Promise<PlatformRules> {
  let p = cache.get(session);
  if (!p) {
    p = doLoad(session);
    cache.set(session, p);
  }
  return p;
}

const SKIP_HINT = 'pass --no-platform-rules to build without any platform rules (a warning says so on every run)';

async function doLoad(session: Session): Promise<PlatformRules> {
  // Rules cannot vanish quietly: a catalog without them is refused unless the caller says to skip them.
  if (session.noPlatformRules) return { ...NO_PLATFORM, ref: { source: 'none (--no-platform-rules)', digest: 'none' } };
  const files = await session.catalog.platformFiles?.();
  if (!files?.length) {
    const publish = session.catalog.location.startsWith('oci://') ? ' (publish them with `opm catalog publish`)' : '';
    throw new ValidationError([`catalog ${session.catalog.location} has no platform rules (platform.cue): refusing to build without them; add them${publish}, or ${SKIP_HINT}`], 'platform');
  }
  const pkg = await session.ctx.build(files, { resolver: session.resolver });
  const v = pkg.lookup('platform');
  const where = files[0]!.filename;
  if (!v.exists()) throw new ValidationError([`${where}: declares no \`platform: #Platform & {...}\`; add the rules, or ${SKIP_HINT}`], 'platform');
  // One walk: toJSChecked fails with exactly the errors validate({concrete, all}) reports.
  let js: { environments: Record<string, Environment>; security: PlatformRules['security']; modules?: PlatformRules['modules'] };
  try {
    js = v.toJSChecked() as typeof js;
  } catch (e) {
    if (e instanceof CueErrorList) throw new ValidationError(e.errors.map((x) => `platform rules ${where}: ${x.message}`), 'platform');
    throw e;
  }
  if (!Object.keys(js.environments ?? {}).length) {
    throw new ValidationError([`${where}: the platform rules declare no environments, so no release could be checked; add them, or ${SKIP_HINT}`], 'platform');
  }
  const origin = await session.catalog.platformSource?.();
  const ref = { source: origin?.source ?? where, digest: rulesDigest(files) };
  return { file: where, ref, ...(origin?.warning ? { warning: origin.warning } : {}), environments: Object.values(js.environments), security: js.security, modules: js.modules ?? {}, value: v };
}

/**
 * The digest of the rules' text: the same rules give the same digest wherever they were
 * read from. The CUE engine's own SHA-256 (core also runs in a browser, where
 * node:crypto is not), not WebCrypto: its first digest loads Node's crypto
 * bindings and web streams, a cost on every `opm release build` for a few
 * KB of text.
 */
function rulesDigest(files: Source[]): string {
  const text = [...files].sort((a, b) => (baseName(a.filename) < baseName(b.filename) ? -1 : 1)).map((f) => `${baseName(f.filename)}\0${f.text}\0`).join('');
  const bytes = sha256(new TextEncoder().encode(text));
  return `sha256:${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function matches(pattern: string, ns: string): boolean {
  if (pattern.endsWith('*')) return ns.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return ns.endsWith(pattern.slice(1));
  return pattern === ns;
}

/** The environment covering a namespace: an exact name wins over a pattern. */
export function environmentFor(rules: PlatformRules, namespace: string): Environment | undefined {
  return (
    rules.environments.find((e) => e.namespaces.includes(namespace)) ??
    rules.environments.find((e) => e.namespaces.some((p) => matches(p, namespace)))
  );
}
