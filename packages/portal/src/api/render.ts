// POST /api/preview and POST /api/releases (deploy).
import { stringify } from 'yaml';
import { applyRelease, maskSecretObject, Redactor, type DesiredRelease, type ReleaseContext } from '@opm/kube';
import { guardOperatorOwnership } from '@opm/operator';
import { readJson, sendJson } from '../http.js';
import type { Handler } from '../context.js';
import type { OperationStarted, PreviewAnswer } from '../api-types.js';
import { apiError } from '../errors.js';
import { parseRelease, renderForm } from '../render.js';
import { operatorInstalled, deployThroughOperator } from '../operator-deploy.js';

/** The rendered manifests (Secret data and every secret value masked) and the release file. */
export const preview: Handler = async ({ req, res, state, principal }) => {
  const p = await parseRelease(await readJson(req), state.catalog);
  const { file, rendered } = await renderForm(p, state.catalog, principal.client);
  const redactor = new Redactor().addObjects(rendered.objects).addValues(rendered.userValues, rendered.secretPaths).addValues(rendered.finalValues, rendered.secretPaths);
  for (const v of Object.values(p.secrets)) redactor.addString(v);
  const manifests = redactor.scrub(rendered.objects.map((o) => stringify(maskSecretObject(o), { sortMapEntries: false })).join('---\n'));
  sendJson(res, 200, {
    file,
    fileName: `${p.form.name}.cue`,
    manifests,
    objects: rendered.objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? rendered.namespace })),
    environment: rendered.environment ?? null,
    warnings: rendered.warnings.map((w) => redactor.scrub(w)),
    via: (await operatorInstalled(principal.client)) ? 'operator' : 'apply',
  } satisfies PreviewAnswer);
};

/**
 * Deploys: through the operator's ModuleRelease when its CRD is installed,
 * else the same apply as `opm release apply` (@opm/kube applyRelease). The
 * release is rendered (validated, policy-checked) before the 202: a bad
 * release is refused at once with every problem listed.
 */
export const deploy: Handler = async ({ req, res, state, principal }) => {
  const p = await parseRelease(await readJson(req), state.catalog);
  const { rendered } = await renderForm(p, state.catalog, principal.client);
  const release = { namespace: rendered.namespace, name: rendered.name };
  const viaOperator = await operatorInstalled(principal.client);
  const env = rendered.environment ? (await state.catalog.environments()).find((e) => e.name === rendered.environment) : undefined;
  const op = state.operations.start(
    principal.csrf,
    'deploy',
    release,
    async (reporter) => {
      if (viaOperator) return deployThroughOperator(principal.client, p, state.timeoutMs, reporter);
      const ctx: ReleaseContext = { client: principal.client, reporter };
      await guardOperatorOwnership(principal.client, release.namespace, release.name, false);
      const res = await applyRelease(ctx, rendered as DesiredRelease, {
        wait: true,
        timeoutMs: state.timeoutMs,
        historyMax: state.historyMax,
        skipUnchanged: true,
        createNamespace: env?.createNamespace ?? false,
      });
      return { via: 'apply', revision: res.revision, unchanged: !!res.unchanged, objects: res.results.map((r) => ({ kind: r.ref.kind, name: r.ref.name, action: r.action })) };
    },
    (e) => state.catalog.publicText(apiError(e).message),
  );
  sendJson(res, 202, { operation: op.id, via: viaOperator ? 'operator' : 'apply', release } satisfies OperationStarted);
};
