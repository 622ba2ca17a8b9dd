// From the release form to a rendered release: the ModuleRelease CUE file
// (release-cue.ts) rendered by @opm/core exactly as `opm release build` renders
// a file, with the secret values given at render time (never in the file).
import { renderReleaseFile, type RenderedRelease } from '@opm/core';
import { currentValueOverrides, type KubeClient } from '@opm/kube';
import { HttpError, dnsLabel, objectField, optionalStringMap, str } from './http.js';
import type { PortalCatalog } from './catalog.js';
import { releaseCue, type ReleaseForm } from './release-cue.js';

export interface ParsedRelease {
  form: ReleaseForm;
  /** Secret values by dotted path (they go to the renderer, never into the file). */
  secrets: Record<string, string>;
}

/** A deploy or preview request body: {name, namespace, module, version, labels?, annotations?, values?, secrets?}. */
export async function parseRelease(body: Record<string, unknown>, catalog: PortalCatalog): Promise<ParsedRelease> {
  const mod = await catalog.module(str(body, 'module'), str(body, 'version'));
  const values = objectField(body, 'values');
  const secrets = optionalStringMap(body, 'secrets');
  for (const p of Object.keys(secrets)) {
    if (!mod.secretPaths.includes(p)) throw new HttpError(400, `secrets.${p}: not a secret value of module ${mod.name} ${mod.version} (its secret values: ${mod.secretPaths.join(', ') || 'none'})`);
  }
  return {
    form: {
      name: dnsLabel(str(body, 'name'), 'name'),
      namespace: dnsLabel(str(body, 'namespace'), 'namespace'),
      module: { name: mod.name, version: mod.version },
      labels: optionalStringMap(body, 'labels'),
      annotations: optionalStringMap(body, 'annotations'),
      values: withoutPaths(values, mod.secretPaths),
      secretPaths: Object.keys(secrets),
    },
    secrets,
  };
}

/** Secret paths are supplied separately; a secret value put among the values is dropped, never written to the file. */
function withoutPaths(values: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
  for (const p of paths) {
    const segs = p.split('.');
    let cur: unknown = out;
    for (const s of segs.slice(0, -1)) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
    if (cur && typeof cur === 'object') delete (cur as Record<string, unknown>)[segs[segs.length - 1]!];
  }
  return out;
}

export const fileLabel = (f: ReleaseForm) => `${f.name}.cue`;

/**
 * Renders the form's release file. With a client, the replica counts recorded by
 * `opm release scale` are carried into the render, as `opm release apply` does.
 */
export async function renderForm(p: ParsedRelease, catalog: PortalCatalog, client?: KubeClient): Promise<{ file: string; rendered: RenderedRelease }> {
  const file = releaseCue(p.form);
  const opts = { session: catalog.session, text: file, ...(Object.keys(p.secrets).length ? { secrets: p.secrets } : {}) };
  let rendered = await renderReleaseFile(fileLabel(p.form), opts);
  if (client) {
    const overrides = await currentValueOverrides(client, p.form.namespace, p.form.name).catch(() => ({}));
    if (Object.keys(overrides).length) rendered = await renderReleaseFile(fileLabel(p.form), { ...opts, valueOverrides: overrides });
  }
  return { file, rendered };
}
