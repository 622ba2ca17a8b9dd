// Component and scope names become parts of Kubernetes object names. The
// schema's `components: [Id=#NameType]` cannot refuse a name that a module's
// own literal adds next to the core.#Module it embeds, so a bad name used to
// fail deep inside a transformer (or render nothing); it is refused by name.
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

  it('renders a valid name other than the example one', async () => {
    const catalog = tempCatalog(DEFINITION, (s) => s.replace('components: web: {', 'components: "web-2": {'));
    const r = await renderReleaseFile(tempRelease(exampleText('web-app-dev')), { catalog });
    expect(r.objects.some((o) => o.kind === 'Deployment')).toBe(true);
  });
});
