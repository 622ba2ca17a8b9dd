// Component and scope names become parts of Kubernetes object names. The
// schema's `components: [Id=#NameType]` cannot refuse a name that a module's
// own literal adds next to the core.#Module it embeds (CUE lets an embedding's
// literal add fields anywhere in the definition it embeds, and a pattern only
// constrains the labels it matches), so a bad name used to fail deep inside a
// transformer (or render nothing); it is refused by name, at every depth of
// the core schema (schema-labels.ts), with the module file's position.
import { describe, expect, it } from 'vitest';
import { renderReleaseFile } from '../src/index.js';
import { exampleText, tempCatalog, tempRelease, failure } from './helpers.js';

const DEFINITION = 'simple-web-app/1.0.0-platform.1/definition.cue';

describe('component names', () => {
  for (const bad of ['Web_X', '"web.app"', '"-web"', `"${'w'.repeat(64)}"`]) {
    it(`refuses ${bad}, naming the component and #NameType`, async () => {
      const catalog = tempCatalog(DEFINITION, (s) => s.replace('components: web: {', `components: ${bad}: {`));
      const e = await failure(renderReleaseFile(tempRelease(exampleText('web-app-dev')), { catalog }));
      expect(e.message).toContain(`component ${bad.replaceAll('"', '')}: name must match #NameType`);
      expect(e.message).not.toContain('transformer');
    });
  }

  // Every name-keyed map of #Component (containers, volumes, configs, mounts, ports, ...) and any
  // field core's schema does not declare, at any depth: found by the schema's own patterns, not a list.
  for (const [what, from, to, path, rule] of [
    ['a container', 'containers: web: {', 'containers: "My Container": {', 'workload.containers."My Container"', 'name must match #NameType (=~"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")'],
    ['a volume', 'volumes: tmp:', 'volumes: Tmp_X:', 'volumes.Tmp_X', 'name must match #NameType'],
    ['a volume mount', 'volumeMounts: tmp:', 'volumeMounts: Tmp_X:', 'workload.containers.web.volumeMounts.Tmp_X', 'name must match #NameType'],
    ['a config', 'configs: settings:', 'configs: "settings.v2":', 'configs."settings.v2"', 'name must match #NameType'],
    ['a container port', 'ports: http:', 'ports: "http-port-too-long-x":', 'workload.containers.web.ports."http-port-too-long-x"', 'name must match #PortNameType (=~"^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$")'],
    ['a misspelt container field', 'containers: web: {', 'containers: web: {\nimagee: "x"\n', 'workload.containers.web.imagee', "field not allowed: core's schema declares no such field"],
  ] as const) {
    it(`refuses ${what} the module's literal adds outside the schema, naming path, constraint and file`, async () => {
      const catalog = tempCatalog(DEFINITION, (s) => {
        expect(s).toContain(from);
        return s.replace(from, to);
      });
      const e = await failure(renderReleaseFile(tempRelease(exampleText('web-app-dev')), { catalog }));
      expect(e.message).toContain(`module simple-web-app 1.0.0-platform.1: component web: ${path}: ${rule}`);
      expect(e.message).toMatch(/\n {4}\S*simple-web-app\/1\.0\.0-platform\.1\/definition\.cue:\d+:\d+/);
      expect((e as { layer?: string }).layer).toBe('module');
      expect(e.message).not.toContain('transformer');
    });
  }

  it('renders a valid name other than the example one', async () => {
    const catalog = tempCatalog(DEFINITION, (s) => s.replace('components: web: {', 'components: "web-2": {'));
    const r = await renderReleaseFile(tempRelease(exampleText('web-app-dev')), { catalog });
    expect(r.objects.some((o) => o.kind === 'Deployment')).toBe(true);
  });
});
