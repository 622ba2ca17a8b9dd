// Security (issue 18.6): the platform's registry allow-list matches whole host
// names and whole path segments.
import { describe, expect, it } from 'vitest';
import { imageFromRegistry } from '../src/policy.js';
import { renderReleaseFile } from '../src/node-session.js';
import { RELEASES_DIR, tempCatalog } from './helpers.js';
import path from 'node:path';

describe('security: registry allow-list (18.6)', () => {
  it('admits the host and its repositories, nothing that merely starts with the same text', () => {
    for (const entry of ['registry.company.com', 'registry.company.com/', 'REGISTRY.company.com']) {
      expect(imageFromRegistry('registry.company.com/web:1.0', entry)).toBe(true);
      expect(imageFromRegistry('registry.company.com/team/web@sha256:abc', entry)).toBe(true);
      expect(imageFromRegistry('registry.company.com.evil.example/web:1.0', entry)).toBe(false);
      expect(imageFromRegistry('registry.company.community/web:1.0', entry)).toBe(false);
      expect(imageFromRegistry('registry.company.com:5000/web:1.0', entry)).toBe(false);
      expect(imageFromRegistry('registry.company.com', entry)).toBe(false);
      expect(imageFromRegistry('evil.example/registry.company.com/web', entry)).toBe(false);
    }
    expect(imageFromRegistry('registry.company.com/mirror/postgres:15', 'registry.company.com/mirror')).toBe(true);
    expect(imageFromRegistry('registry.company.com/mirror:1', 'registry.company.com/mirror')).toBe(true);
    expect(imageFromRegistry('registry.company.com/mirror-evil/x:1', 'registry.company.com/mirror')).toBe(false);
    expect(imageFromRegistry('registry.company.com:5000/x', 'registry.company.com:5000')).toBe(true);
  });

  it('a release whose image host only starts with the allowed host is refused', async () => {
    // The allow-list written without a trailing slash; the module's (locked) image from a look-alike host.
    const cat = tempCatalog('platform.cue', (s) => s.replace('"registry.company.com/"', '"registry.company.com"'));
    const { readFileSync, writeFileSync } = await import('node:fs');
    const mod = path.join(cat, 'simple-web-app', '1.0.0-platform.1', 'module.cue');
    writeFileSync(mod, readFileSync(mod, 'utf8').replaceAll('"registry.company.com/frontend/web-app"', '"registry.company.com.evil.example/frontend/web-app"'));
    const err = await renderReleaseFile(path.join(RELEASES_DIR, 'web-app-dev.cue'), { catalog: cat }).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/registry\.company\.com\.evil\.example\/frontend\/web-app.* is not from an allowed registry/);
  });
});
