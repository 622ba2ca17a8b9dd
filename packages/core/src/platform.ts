// The catalog's platform rules (platform.cue): environments, ceilings,
// required metadata, locked values, security rules.
import type { Value } from '@opm/cue';
import { ValidationError } from './errors.js';
import type { PlainObject } from './paths.js';
import type { Session } from './session.js';

export interface Environment {
  name: string;
  tier: 'development' | 'staging' | 'production';
  namespaces: string[];
  createNamespace: boolean;
  requiredLabels: string[];
  requiredAnnotations: string[];
  ceilings: { replicas?: number; cpu?: string; memory?: string; storage?: string };
  immutable: PlainObject;
}

export interface PlatformRules {
  /** Where the rules come from (platform.cue), for messages. */
  file?: string;
  environments: Environment[];
  security: { runAsNonRoot: boolean; allowPrivileged: boolean; requireLimits: boolean; allowedRegistries: string[] };
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

async function doLoad(session: Session): Promise<PlatformRules> {
  const files = await session.catalog.platformFiles?.();
  if (!files?.length) return NO_PLATFORM;
  const pkg = await session.ctx.build(files, { resolver: session.resolver });
  const v = pkg.lookup('platform');
  const where = files[0]!.filename;
  if (!v.exists()) throw new ValidationError([`${where}: declares no \`platform: #Platform & {...}\``], 'platform');
  const errs = v.validate({ concrete: true, all: true });
  if (errs.length) throw new ValidationError(errs.map((e) => `platform rules ${where}: ${e.message}`), 'platform');
  const js = v.toJS() as { environments: Record<string, Environment>; security: PlatformRules['security'] };
  return { file: where, environments: Object.values(js.environments), security: js.security, value: v };
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
