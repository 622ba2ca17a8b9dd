// Registry credentials and auth challenges.
//
// Credentials come from explicit options (`--registry-username` and
// `--password-stdin`) or from the same files docker, podman and helm read:
// `REGISTRY_AUTH_FILE`, else `$DOCKER_CONFIG/config.json`, else
// `~/.docker/config.json`. Credentials are looked up lazily, only when a
// registry asks for them, so an unsupported credential helper configured for
// Docker Desktop does not break anonymous pulls.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { OciError } from './errors.js';
import { hostName } from './reference.js';

export interface Credentials {
  username: string;
  password: string;
}

/** Returns credentials for a registry (`host[:port]`), or undefined for anonymous access. */
export type CredentialProvider = (registry: string) => Credentials | undefined;

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface DockerConfig {
  /** The file it was read from, for messages. */
  path: string;
  auths: Record<string, AuthEntry>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

type Env = Record<string, string | undefined>;

/** The auth file that applies, whether or not it exists. */
export function dockerConfigPath(env: Env = process.env): string {
  if (env.REGISTRY_AUTH_FILE) return env.REGISTRY_AUTH_FILE;
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  return join(env.HOME || homedir(), '.docker', 'config.json');
}

/** Parses the text of a docker config / containers auth.json file. */
export function parseDockerConfig(text: string, path = 'config.json'): DockerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new OciError(`cannot parse registry auth file ${path}: ${(err as Error).message}`, 'INVALID');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new OciError(`registry auth file ${path} is not a JSON object`, 'INVALID');
  const o = raw as Record<string, unknown>;
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const auths: Record<string, AuthEntry> = {};
  for (const [k, v] of Object.entries(obj(o.auths))) {
    const e = obj(v);
    const entry: AuthEntry = {};
    for (const f of ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const) {
      if (typeof e[f] === 'string' && e[f] !== '') entry[f] = e[f] as string;
    }
    auths[k] = entry;
  }
  const credHelpers: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(o.credHelpers))) if (typeof v === 'string') credHelpers[k] = v;
  const cfg: DockerConfig = { path, auths, credHelpers };
  if (typeof o.credsStore === 'string' && o.credsStore !== '') cfg.credsStore = o.credsStore;
  return cfg;
}

/** Reads the applicable auth file; undefined when it does not exist. */
export function loadDockerConfig(env: Env = process.env): DockerConfig | undefined {
  const path = dockerConfigPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OciError(`cannot read registry auth file ${path}: ${(err as Error).message}`);
  }
  return parseDockerConfig(text, path);
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** `https://host:port/v1/` → `host:port`; docker hub aliases collapse to `docker.io`. */
function normaliseKey(key: string): string {
  const k = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return DOCKER_HUB.has(k) ? 'docker.io' : k;
}

function decodeEntry(entry: AuthEntry, key: string, path: string): Credentials | undefined {
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i <= 0) throw new OciError(`registry auth file ${path}: the "auth" entry for ${key} is not base64 of "username:password"`, 'INVALID');
    return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
  }
  if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
  if (entry.identitytoken || entry.registrytoken) {
    throw new OciError(
      `not supported yet: identity/registry tokens in ${path} (entry ${key}); log in with a username and password or use --registry-username/--password-stdin`,
      'UNSUPPORTED',
    );
  }
  return undefined;
}

/**
 * Credentials for `registry` from a parsed config. Throws a clear
 * "not supported yet" error when only a credential helper could answer.
 */
export function credentialsFromDockerConfig(cfg: DockerConfig, registry: string): Credentials | undefined {
  const want = normaliseKey(registry);
  // An exact host:port match wins over a host-only entry.
  const candidates = Object.keys(cfg.auths).filter((k) => normaliseKey(k) === want);
  if (candidates.length === 0 && want.includes(':') && !want.startsWith('[')) {
    const host = hostName(want);
    candidates.push(...Object.keys(cfg.auths).filter((k) => normaliseKey(k) === host));
  }
  for (const key of candidates) {
    const creds = decodeEntry(cfg.auths[key]!, key, cfg.path);
    if (creds) return creds;
  }
  const helper = Object.entries(cfg.credHelpers).find(([k]) => normaliseKey(k) === want)?.[1] ?? cfg.credsStore;
  if (helper) {
    throw new OciError(
      `not supported yet: docker credential helpers (docker-credential-${helper}, configured in ${cfg.path}) for ${registry}; ` +
        `use --registry-username with --password-stdin, or an "auths" entry with "auth" or username/password`,
      'UNSUPPORTED',
    );
  }
  return undefined;
}

/**
 * The default provider: explicit credentials first, else the auth file read
 * (once) from the environment.
 */
export function defaultCredentialProvider(opts: { credentials?: Credentials; env?: Env } = {}): CredentialProvider {
  let cfg: DockerConfig | undefined | null = null;
  return (registry) => {
    if (opts.credentials) return opts.credentials;
    if (cfg === null) cfg = loadDockerConfig(opts.env ?? process.env);
    return cfg ? credentialsFromDockerConfig(cfg, registry) : undefined;
  };
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header into challenges, e.g.
 * `Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull"`.
 * Several challenges may share one header; a new one starts at a bare token
 * followed by a space.
 */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const out: Challenge[] = [];
  const re = /\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s+|=("(?:[^"\\]|\\.)*"|[^,\s]*))?\s*,?/gy;
  let cur: Challenge | undefined;
  let m: RegExpExecArray | null;
  let guard = 0;
  while (re.lastIndex < header.length && (m = re.exec(header)) && guard++ < 100) {
    if (m[0] === '') break;
    const [, token, value] = m;
    if (value === undefined) {
      cur = { scheme: token!.toLowerCase(), params: {} };
      out.push(cur);
    } else if (cur) {
      cur.params[token!.toLowerCase()] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
    }
  }
  return out;
}

export function basicAuthorization(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}
