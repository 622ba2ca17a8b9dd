// Each model rule with failing inputs (and the passing counterpart).
import { describe, expect, it } from 'vitest';
import { maskValues, openSession, renderReleaseFile, type RenderOptions } from '../src/index.js';
import { exampleText, opts, tempCatalog, tempRelease, failure } from './helpers.js';

const render = async (text: string, o: RenderOptions = {}) => renderReleaseFile(tempRelease(text), { ...(await opts()), ...o });
const prod = exampleText('web-app-prod');
const dev = exampleText('web-app-dev');
const staging = exampleText('ecommerce-staging');

describe('values are validated at every layer', () => {
  it('release layer: names the release, the path, the given value and the constraint with its line', async () => {
    const e = await failure(render(prod.replace('replicas: 5', 'replicas: 0')));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toMatch(/^release web-app-prod: values\.replicas: 0: invalid value 0 \(out of bound >=1\) \(set at \S+\.cue:\d+; schema of simple-web-app 1\.0\.0-platform\.1, definition\.cue line \d+: replicas: int & >=1 & <=20 \| \*1\)$/m);
  });

  it('release layer: wrong types and fields outside the schema are rejected, all of them', async () => {
    const e = await failure(render(prod.replace('replicas: 5', 'replicas: "five"\n        replicaCount: 3')));
    expect(e.message).toMatch(/values\.replicas: "five"/);
    expect(e.message).toMatch(/values\.replicaCount: 3: .*not allowed/);
  });

  it('platform layer: a module whose #overrides violate the schema is rejected when the catalog loads', async () => {
    const catalog = tempCatalog('simple-web-app/1.0.0-platform.1/module.cue', (s) => s.replace('replicas: 2', 'replicas: 0'));
    const e = await failure(renderReleaseFile(tempRelease(prod), { catalog }));
    expect(e.message).toMatch(/^module simple-web-app 1\.0\.0-platform\.1: #overrides\.replicas: 0: .+\(schema of simple-web-app 1\.0\.0-platform\.1, definition\.cue line \d+/m);
  });

  it('platform layer: a module must be what its catalog directory says, and may not lock a value it overrides differently', async () => {
    const renamed = tempCatalog('simple-web-app/1.0.0-platform.1/module.cue', (s) => s.replace('version:     "1.0.0-platform.1"', 'version:     "1.0.0-platform.2"'));
    expect((await failure(renderReleaseFile(tempRelease(prod), { catalog: renamed }))).message).toMatch(/module simple-web-app 1\.0\.0-platform\.1 in .* declares simple-web-app 1\.0\.0-platform\.2/);
    const conflicting = tempCatalog('simple-web-app/1.0.0-platform.1/module.cue', (s) => s.replace('image: repository: "registry.company.com/frontend/web-app"\n\t}\n\n\t#immutable', 'image: repository: "registry.company.com/frontend/other"\n\t}\n\n\t#immutable'));
    expect((await failure(renderReleaseFile(tempRelease(prod), { catalog: conflicting }))).message).toMatch(/#immutable\.image\.repository locks "registry\.company\.com\/frontend\/web-app" but #overrides sets "registry\.company\.com\/frontend\/other"/);
  });

  it('final layer: a required value no layer sets is reported, a secret one with how to supply it', async () => {
    const e = await failure(render(staging.replace(/password: "staging-secure-password-123"\n/, '')));
    expect(e.message).toMatch(/values\.database\.password.*--secret database\.password=env:VAR or file:PATH/);
  });
});

describe('cascade', () => {
  it('definition default < module override < release value', async () => {
    const r = await render(dev.replace('replicas: 1  // Single replica for development', ''));
    expect(r.finalValues.replicas).toBe(2); // platform override (definition default is 1)
    expect(r.origins.replicas?.layer).toBe('module simple-web-app 1.0.0-platform.1 #overrides');
    expect(r.origins['image.tag']).toMatchObject({ layer: 'release web-app-dev', line: expect.any(Number) });
    expect(r.origins['resources.limits.cpu']?.layer).toMatch(/^definition simple-web-app 1\.0\.0 default/);
  });

  it('null in values given as data resets a value to the definition default (dropping the platform override too)', async () => {
    const r = await render(dev.replace('replicas: 1  // Single replica for development', ''), { valueOverrides: { replicas: null, image: { tag: null } } });
    expect(r.finalValues.replicas).toBe(1);
    expect((r.finalValues.image as any).tag).toBe('1.0.0');
  });

  it('null in a release file is CUE: a type error where the schema does not allow it', async () => {
    const e = await failure(render(dev.replace('replicas: 1', 'replicas: null')));
    expect(e.message).toMatch(/release web-app-dev: .*values\.replicas.*null/);
  });

  it('lists replace the lower layer whole', async () => {
    const r = await render(staging.replace('email: ["ecommerce-dev@company.com", "platform-team@company.com"]', 'email: ["only@company.com"]'));
    expect((r.finalValues.platform as any).monitoring.alerts.email).toEqual(['only@company.com']);
  });
});

describe('immutable values', () => {
  it('development may turn monitoring off; production may not, and the error says who locked it', async () => {
    expect((await render(dev)).finalValues).toMatchObject({ platform: { monitoring: { enabled: false } } });
    const e = await failure(render(prod.replace(/enabled: true\n(\s+)level: "detailed"/, 'enabled: false\n$1level: "detailed"')));
    expect(e.message).toMatch(/release web-app-prod: values\.platform\.monitoring\.enabled: cannot set false: locked to true by platform environment production \(platform\.cue line \d+\)/);
  });

  it('a module lock cannot be overridden by any release; repeating the locked value is fine', async () => {
    const e = await failure(render(dev.replace('tag: "dev-latest"', 'tag: "dev-latest"\n            repository: "docker.io/someone/web-app"')));
    expect(e.message).toMatch(/values\.image\.repository: cannot set "docker\.io\/someone\/web-app": locked to "registry\.company\.com\/frontend\/web-app" by module simple-web-app 1\.0\.0-platform\.1 \(#immutable, module\.cue line \d+\)/);
    const ok = await render(dev.replace('tag: "dev-latest"', 'tag: "dev-latest"\n            repository: "registry.company.com/frontend/web-app"'));
    expect(ok.finalValues).toMatchObject({ image: { repository: 'registry.company.com/frontend/web-app' } });
  });

  it('a locked value cannot be reset with null either', async () => {
    const e = await failure(render(prod.replace(/monitoring: \{[^}]*\}/, 'monitoring: null')));
    expect(e.message).toMatch(/cannot reset: values\.platform\.monitoring\.enabled is locked to true/);
  });
});

describe('releases set values only', () => {
  it('rejects a release adding components', async () => {
    const e = await failure(render(dev.replace('#module: catalog.#Module', '#module: catalog.#Module\n    components: extra: {}')));
    expect(e.message).toMatch(/field components is not allowed: a release sets #metadata, #module and values only/);
  });

  it('rejects a release changing the module (components, scopes)', async () => {
    const e = await failure(render(dev.replace('#module: catalog.#Module', '#module: catalog.#Module & {scopes: monitoring: monitoring: enabled: false}')));
    expect(e.message).toMatch(/#module must be exactly <catalog import>\.#Module/);
  });
});

describe('catalog references', () => {
  it('an unknown version lists the versions the catalog has', async () => {
    const e = await failure(render(dev.replace('simple-web-app:1.0.0-platform.1', 'simple-web-app:9.9.9')));
    expect(e.message).toMatch(/has no version 9\.9\.9 of module simple-web-app; available: 1\.0\.0-platform\.1/);
  });

  it('an unknown module lists the modules', async () => {
    const e = await failure(render(dev.replace('simple-web-app:1.0.0-platform.1', 'wordpress:6.0.0')));
    expect(e.message).toMatch(/has no module wordpress; modules: ecommerce-platform, simple-web-app/);
  });
});

describe('policy', () => {
  it('a production release without change-request and approval fails with both listed', async () => {
    const e = await failure(render(prod.replace(/annotations: \{[^}]*\}/s, 'annotations: {}')));
    expect(e.name).toBe('PolicyError');
    expect(e.message).toMatch(/requires annotation deployment\.company\.com\/change-request/);
    expect(e.message).toMatch(/requires annotation deployment\.company\.com\/approved-by/);
  });

  it('reports every violation: missing label and replicas over the development ceiling', async () => {
    const e = await failure(render(dev.replace('replicas: 1', 'replicas: 5').replace('owner: "john.doe@company.com"', '')));
    expect(e.message).toMatch(/2 policy violations/);
    expect(e.message).toMatch(/environment development requires label owner/);
    expect(e.message).toMatch(/Deployment web-app-dev-web: replicas 5 exceeds the development ceiling 3/);
  });

  it('requests are checked too: above their limit and above the ceiling, naming the value and the layer that set it', async () => {
    const withResources = dev.replace(
      '        // Platform-specific values',
      '        resources: {\n            requests: {cpu: "3", memory: "512Mi"}\n            limits: {cpu: "1"}\n        }\n        // Platform-specific values',
    );
    expect(withResources).not.toBe(dev);
    const e = await failure(render(withResources));
    expect(e.name).toBe('PolicyError');
    const at = String.raw`set by release web-app-dev at \S+release\.cue:\d+`;
    expect(e.message).toMatch(new RegExp(String.raw`Deployment web-app-dev-web: container web: cpu request 3 exceeds the development ceiling 2 \(from values\.resources\.requests\.cpu, ${at}\)`));
    expect(e.message).toMatch(
      new RegExp(String.raw`Deployment web-app-dev-web: container web: cpu request 3 exceeds its limit 1 \(resources\.requests\.cpu must be ≤ resources\.limits\.cpu\) \(from values\.resources\.requests\.cpu, ${at}\)`),
    );
    expect(e.message).toMatch(/memory request 512Mi exceeds its limit 256Mi \(resources\.requests\.memory must be ≤ resources\.limits\.memory\)/);
  });

  it('a release in a namespace no environment covers (the default namespace) is rejected', async () => {
    const e = await failure(render(dev.replace('namespace: "development"', '')));
    expect(e.message).toMatch(/namespace default is not covered by any environment/);
  });

  it('images from registries outside the allowed list fail the security policy', async () => {
    const catalog = tempCatalog('platform.cue', (s) => s.replace('allowedRegistries: ["registry.company.com/"]', 'allowedRegistries: ["registry.other.com/"]'));
    const e = await failure(renderReleaseFile(tempRelease(dev), { catalog }));
    expect(e.message).toMatch(/image registry\.company\.com\/frontend\/web-app:dev-latest is not from an allowed registry/);
  });
});

describe('secrets', () => {
  it('are supplied at build time without a literal, and masked for printing', async () => {
    const session = await openSession({});
    const r = await renderReleaseFile(tempRelease(staging.replace(/password: "staging-secure-password-123"\n/, '')), {
      session,
      secrets: { 'database.password': 'supplied-at-build-time' },
    });
    expect(r.warnings.join('\n')).not.toMatch(/literal/);
    const secret = r.objects.find((o) => o.kind === 'Secret') as any;
    expect(secret.stringData.password).toBe('supplied-at-build-time');
    expect(maskValues(r.finalValues, r.secretPaths)).toMatchObject({ database: { password: '<secret>' } });
    expect(r.origins['database.password']?.layer).toBe('secret supplied at build time');
  });

  it('refuses to supply a value that is not a secret', async () => {
    const e = await failure(render(staging, { secrets: { 'database.name': 'x' } }));
    expect(e.message).toMatch(/--secret database\.name: not a secret value/);
  });
});

describe('secrets in error messages', () => {
  it('an invalid secret value is reported without printing it', async () => {
    const e = await failure(render(staging.replace('"staging-secure-password-123"', '"tiny-pass"')));
    expect(e.message).toMatch(/values\.database\.password: "<secret>"/);
    expect(e.message).not.toContain('tiny-pass');
  });
});
