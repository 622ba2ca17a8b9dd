// The whole-module check (module.ts moduleProblems) evaluates the catalog
// module once more without a release; `opm release build` runs it only once
// a render failed (RenderOptions.moduleCheck 'on-failure'). A failed render
// must then report exactly what the check run first would have, and a render
// that succeeds without it has still checked everything it outputs.
import { describe, expect, it } from 'vitest';
import { loadModule, openSession, renderReleaseFile } from '../src/index.js';
import { exampleText, failure, tempCatalog, tempRelease } from './helpers.js';

const MODULE = 'simple-web-app/1.0.0-platform.1/module.cue';
const DEFINITION = 'simple-web-app/1.0.0-platform.1/definition.cue';

function edit(from: string, to: string) {
  return (s: string) => {
    expect(s).toContain(from);
    return s.replace(from, to);
  };
}

describe("moduleCheck 'on-failure'", () => {
  // The last fails reading the release file (it embeds the module), before any render: the same either way.
  for (const [what, file, from, to, says] of [
    ['a misspelt field a component reads', DEFINITION, 'envFrom: [{config: "settings"}]', 'envFrom: [{config: "settings"}, {prefixx: "B_"}]', /^module simple-web-app 1\.0\.0-platform\.1: \S*prefixx: field not allowed/],
    ['a conflict in a scope', MODULE, 'monitoring: {\n\t\t\tcore.#PlatformScope', 'monitoring: {\n\t\t\tcore.#PlatformScope\n\t\t\t_y: 1 & 2', /^module simple-web-app 1\.0\.0-platform\.1: module\.scopes\.monitoring\._y\S*: conflicting values 1 and 2/],
    ['a conflict in #overrides', MODULE, 'replicas: 2\n', 'replicas: 2 & 3\n', /#overrides\.replicas: conflicting values 2 and 3/],
  ] as const) {
    it(`reports ${what} as the check run first does`, async () => {
      const catalog = tempCatalog(file, edit(from, to));
      const release = tempRelease(exampleText('web-app-dev'));
      const first = await failure(renderReleaseFile(release, { catalog }));
      const late = await failure(renderReleaseFile(release, { catalog, moduleCheck: 'on-failure' }));
      expect(late.message).toBe(first.message);
      expect((late as { layer?: string }).layer).toBe((first as { layer?: string }).layer);
      expect(first.message).toMatch(says);
    });
  }

  it('renders past an error no output comes from, which every other caller of loadModule still refuses', async () => {
    const catalog = tempCatalog(MODULE, edit('#immutable: {', '_unused: 1 & 2\n\t#immutable: {'));
    const release = tempRelease(exampleText('web-app-dev'));
    const e = await failure(renderReleaseFile(release, { catalog }));
    expect(e.message).toMatch(/^module simple-web-app 1\.0\.0-platform\.1: module\._unused\S*: conflicting values 1 and 2/);
    const clean = await renderReleaseFile(release, { catalog: tempCatalog(MODULE, (s) => s) });
    const late = await renderReleaseFile(release, { catalog, moduleCheck: 'on-failure' });
    expect(late.objects).toEqual(clean.objects);
    const session = await openSession({ catalog });
    await expect(loadModule(session, 'simple-web-app', '1.0.0-platform.1')).rejects.toThrow(/_unused\S*: conflicting values 1 and 2/);
  });

  it('still fails with the catalog error for an unknown version', async () => {
    const release = tempRelease(exampleText('web-app-dev').replace('1.0.0-platform.1', '9.9.9'));
    const first = await failure(renderReleaseFile(release, {}));
    const late = await failure(renderReleaseFile(release, { moduleCheck: 'on-failure' }));
    expect(late.message).toBe(first.message);
    expect(first.message).toContain('9.9.9');
  });
});
