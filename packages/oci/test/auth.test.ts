import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  credentialsFromDockerConfig,
  defaultCredentialProvider,
  dockerConfigPath,
  isLoopbackRegistry,
  loadDockerConfig,
  nextLink,
  parseDockerConfig,
  parseOciReference,
  parseWwwAuthenticate,
  RegistryClient,
  tagToVersion,
  versionToTag,
} from '../src/index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('docker config auth', () => {
  const cfg = parseDockerConfig(
    JSON.stringify({
      auths: {
        'registry.example.com': { auth: b64('alice:s3cr:et') },
        'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') },
        'http://localhost:5000': { username: 'bob', password: 'pw' },
        'other.example.com': {},
        'token.example.com': { identitytoken: 'abc' },
      },
      credHelpers: { 'gcr.io': 'gcloud' },
    }),
    '/home/u/.docker/config.json',
  );

  it('decodes base64 auth and username/password entries, matching hosts loosely', () => {
    expect(credentialsFromDockerConfig(cfg, 'registry.example.com')).toEqual({ username: 'alice', password: 's3cr:et' });
    // host:port falls back to a host-only entry
    expect(credentialsFromDockerConfig(cfg, 'registry.example.com:443')).toEqual({ username: 'alice', password: 's3cr:et' });
    expect(credentialsFromDockerConfig(cfg, 'docker.io')).toEqual({ username: 'hubuser', password: 'hubpass' });
    expect(credentialsFromDockerConfig(cfg, 'registry-1.docker.io')).toEqual({ username: 'hubuser', password: 'hubpass' });
    expect(credentialsFromDockerConfig(cfg, 'localhost:5000')).toEqual({ username: 'bob', password: 'pw' });
    expect(credentialsFromDockerConfig(cfg, 'localhost:5001')).toBeUndefined();
    expect(credentialsFromDockerConfig(cfg, 'other.example.com')).toBeUndefined();
    expect(credentialsFromDockerConfig(cfg, 'unknown.example.com')).toBeUndefined();
  });

  it('says clearly that credential helpers and identity tokens are not supported yet', () => {
    expect(() => credentialsFromDockerConfig(cfg, 'gcr.io')).toThrow(/not supported yet: docker credential helpers \(docker-credential-gcloud, configured in \/home\/u\/\.docker\/config\.json\) for gcr\.io.*--password-stdin/);
    expect(() => credentialsFromDockerConfig(cfg, 'token.example.com')).toThrow(/not supported yet: identity\/registry tokens/);
    const store = parseDockerConfig(JSON.stringify({ auths: { 'ghcr.io': {} }, credsStore: 'desktop' }));
    expect(() => credentialsFromDockerConfig(store, 'ghcr.io')).toThrow(/docker-credential-desktop/);
  });

  it('rejects malformed files and auth entries, without printing their content', () => {
    expect(() => parseDockerConfig('{nope', '/x/config.json')).toThrow(/cannot parse registry auth file \/x\/config\.json/);
    const bad = parseDockerConfig(JSON.stringify({ auths: { r: { auth: b64('no-colon-secret') } } }));
    const err = (() => {
      try {
        credentialsFromDockerConfig(bad, 'r');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/not base64 of "username:password"/);
    expect(err?.message).not.toContain('no-colon-secret');
  });

  it('finds the file: REGISTRY_AUTH_FILE, then DOCKER_CONFIG, then ~/.docker/config.json', async () => {
    expect(dockerConfigPath({ REGISTRY_AUTH_FILE: '/a/auth.json', DOCKER_CONFIG: '/d', HOME: '/h' })).toBe('/a/auth.json');
    expect(dockerConfigPath({ DOCKER_CONFIG: '/d', HOME: '/h' })).toBe('/d/config.json');
    expect(dockerConfigPath({ HOME: '/h' })).toBe('/h/.docker/config.json');
    const dir = await mkdtemp(join(tmpdir(), 'opm-oci-auth-'));
    try {
      expect(loadDockerConfig({ HOME: dir })).toBeUndefined();
      await writeFile(join(dir, 'auth.json'), JSON.stringify({ auths: { 'r.example': { auth: b64('u:p') } } }));
      const provider = defaultCredentialProvider({ env: { REGISTRY_AUTH_FILE: join(dir, 'auth.json') } });
      expect(provider('r.example')).toEqual({ username: 'u', password: 'p' });
      // Explicit credentials win over the file.
      expect(defaultCredentialProvider({ credentials: { username: 'x', password: 'y' }, env: { REGISTRY_AUTH_FILE: join(dir, 'auth.json') } })('r.example')).toEqual({ username: 'x', password: 'y' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('protocol details', () => {
  it('parses WWW-Authenticate challenges', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' } },
    ]);
    expect(parseWwwAuthenticate('Basic realm="opm test"')).toEqual([{ scheme: 'basic', params: { realm: 'opm test' } }]);
    expect(parseWwwAuthenticate('Basic realm="a", Bearer realm="b", error="insufficient_scope"')).toEqual([
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'b', error: 'insufficient_scope' } },
    ]);
    expect(parseWwwAuthenticate('')).toEqual([]);
  });

  it('parses Link headers', () => {
    expect(nextLink('</v2/_catalog?last=b&n=1>; rel="next"')).toBe('/v2/_catalog?last=b&n=1');
    expect(nextLink('<https://r/x>; rel="prev", <https://r/y>; rel=next')).toBe('https://r/y');
    expect(nextLink(null)).toBeUndefined();
  });

  it('parses references and decides where plain http is allowed', () => {
    expect(parseOciReference('oci://localhost:5000/platform/catalog/web:1.0.0')).toEqual({ registry: 'localhost:5000', repository: 'platform/catalog/web', tag: '1.0.0' });
    const d = 'sha256:' + 'a'.repeat(64);
    expect(parseOciReference(`oci://[::1]:5000/web@${d}`)).toEqual({ registry: '[::1]:5000', repository: 'web', digest: d });
    expect(parseOciReference('oci://ghcr.io', { allowEmptyRepository: true })).toEqual({ registry: 'ghcr.io', repository: '' });
    expect(() => parseOciReference('https://ghcr.io/x')).toThrow(/not an OCI reference/);
    expect(() => parseOciReference('oci://ghcr.io/Upper')).toThrow(/invalid repository/);
    expect(() => parseOciReference('oci://ghcr.io/x@sha256:zz')).toThrow(/invalid digest/);
    for (const h of ['localhost:5000', '127.0.0.1:1', '127.1.2.3', '[::1]:5000']) expect(isLoopbackRegistry(h)).toBe(true);
    for (const h of ['ghcr.io', '10.0.0.1:5000', 'localhost.example.com']) expect(isLoopbackRegistry(h)).toBe(false);
    expect(new RegistryClient({ registry: 'localhost:5000' }).baseUrl).toBe('http://localhost:5000');
    expect(new RegistryClient({ registry: 'ghcr.io' }).baseUrl).toBe('https://ghcr.io');
    expect(new RegistryClient({ registry: 'docker.io' }).baseUrl).toBe('https://registry-1.docker.io');
    expect(new RegistryClient({ registry: 'reg.lan:5000', insecure: true }).baseUrl).toBe('http://reg.lan:5000');
    expect(versionToTag('1.0.0+build.1')).toBe('1.0.0_build.1');
    expect(tagToVersion('1.0.0_build.1')).toBe('1.0.0+build.1');
  });
});

// distribution's token auth needs a signing certificate and a token server;
// the Bearer flow is exercised here against a small stub registry instead.
describe('Bearer token flow (stub registry)', () => {
  let server: Server;
  let host: string;
  const seen: { url: string; auth?: string }[] = [];
  let tokensIssued = 0;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', `http://${host}`);
      seen.push({ url: url.pathname + url.search, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      if (url.pathname === '/token') {
        const publicScope = url.searchParams.get('scope') === 'repository:public/app:pull';
        if (!publicScope && req.headers.authorization !== `Basic ${b64('alice:pw')}`) {
          res.writeHead(401).end();
          return;
        }
        tokensIssued++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `tok-${url.searchParams.getAll('scope').join(' ')}` }));
        return;
      }
      if (url.pathname === '/v2/public/app/tags/list' && req.headers.authorization === 'Bearer tok-repository:public/app:pull') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'public/app', tags: ['0.1.0'] }));
        return;
      }
      const scope = url.pathname.startsWith('/v2/public/') ? 'repository:public/app:pull' : 'repository:team/web:pull';
      if (req.headers.authorization !== `Bearer tok-${scope}`) {
        res
          .writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="stub",scope="${scope}"`, 'content-type': 'application/json' })
          .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        return;
      }
      if (url.pathname === '/v2/team/web/tags/list') {
        // Two pages, linked: 1.0.0 then 2.0.0.
        const last = url.searchParams.get('last');
        if (!last) {
          res.writeHead(200, { 'content-type': 'application/json', link: '</v2/team/web/tags/list?n=1&last=1.0.0>; rel="next"' }).end(JSON.stringify({ name: 'team/web', tags: ['1.0.0'] }));
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'team/web', tags: ['2.0.0', 'latest'] }));
        }
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known' }] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    host = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('gets a token from the realm with Basic credentials, caches it per scope, and follows Link pages', async () => {
    const client = new RegistryClient({ registry: host, credentials: { username: 'alice', password: 'pw' } });
    expect(await client.listTags('team/web')).toEqual(['1.0.0', '2.0.0', 'latest']);
    expect(await client.listTags('team/web')).toEqual(['1.0.0', '2.0.0', 'latest']);
    expect(tokensIssued).toBe(1);
    const tokenReq = seen.find((s) => s.url.startsWith('/token'))!;
    expect(tokenReq.url).toBe('/token?service=stub&scope=repository%3Ateam%2Fweb%3Apull');
    // After the token: requests carry it, the password never goes to the registry itself.
    expect(seen.filter((s) => s.url.startsWith('/v2/') && s.auth?.startsWith('Basic'))).toEqual([]);
    expect(seen.filter((s) => s.url.startsWith('/v2/') && s.auth?.startsWith('Bearer')).length).toBe(4);
  });

  it('fails clearly without credentials and with wrong ones', async () => {
    const anon = new RegistryClient({ registry: host, env: { HOME: '/nonexistent' } });
    await expect(anon.listTags('team/web')).rejects.toThrow(/requires authentication .* no credentials were found/);
    const wrong = new RegistryClient({ registry: host, credentials: { username: 'alice', password: 'nope-secret' } });
    const err = (await wrong.listTags('team/web').catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/token service .* refused the credentials/);
    expect(err.message).not.toContain('nope-secret');
  });

  it('pulls public repositories anonymously even when only an unsupported credential helper is configured', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opm-oci-helper-'));
    try {
      await writeFile(join(dir, 'auth.json'), JSON.stringify({ auths: {}, credsStore: 'desktop' }));
      const client = new RegistryClient({ registry: host, env: { REGISTRY_AUTH_FILE: join(dir, 'auth.json') } });
      expect(await client.listTags('public/app')).toEqual(['0.1.0']);
      await expect(client.listTags('team/web')).rejects.toThrow(/not supported yet: docker credential helpers \(docker-credential-desktop/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('maps registry errors to clear messages', async () => {
    const client = new RegistryClient({ registry: host, credentials: { username: 'alice', password: 'pw' } });
    // Authorised scope but unknown path → registry 404 with its error body.
    await expect(client.getManifest('team/web', '1.0.0')).rejects.toThrow(/get manifest team\/web:1\.0\.0 on 127\.0\.0\.1:\d+: 404 .*NAME_UNKNOWN: repository name not known/);
  });
});
