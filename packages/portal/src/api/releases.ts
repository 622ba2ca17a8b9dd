// Releases: list, detail, live status (SSE), history, diff between revisions,
// and the actions rollback, scale and delete (operations, like deploy).
import { renderRelease } from '@opm/core';
import {
  KubeApiError,
  deleteRelease,
  diffRevisions,
  listReleases,
  releaseHistory,
  releaseStatus,
  replicasPath,
  rollbackRelease,
  scaleRelease,
  setIn,
  watchRelease,
  type KubeClient,
  type ReleaseContext,
  type RerenderRelease,
  type RevisionSummary,
} from '@opm/kube';
import { operatorManaged } from '@opm/operator';
import { HttpError, readJson, sendJson } from '../http.js';
import type { Handler, PortalState, RequestContext } from '../context.js';
import type { HistoryAnswer, OperationStarted, ReleaseDetail, ReleaseList } from '../api-types.js';
import { apiError } from '../errors.js';
import { openEventStream } from '../sse.js';
import { mrRef, rollbackThroughOperator } from '../operator-deploy.js';
import { clusterNamespaces, namespacePattern } from './namespaces.js';

const isForbidden = (e: unknown) => e instanceof KubeApiError && e.code === 403;

/**
 * The releases the caller may see: all namespaces when RBAC allows listing
 * Secrets cluster-wide, else each namespace of the platform's environments
 * (literal names, and the cluster's namespaces matching a pattern, listed as
 * the caller or else as the portal) whose history the caller may read.
 */
async function visibleReleases(client: KubeClient, state: PortalState): Promise<{ releases: RevisionSummary[]; scope: 'cluster' | string[] }> {
  try {
    return { releases: await listReleases(client), scope: 'cluster' };
  } catch (e) {
    if (!isForbidden(e)) throw e;
  }
  const patterns = (await state.catalog.environments()).flatMap((env) => env.namespaces);
  const names = new Set(patterns.filter((p) => !p.includes('*')));
  const globs = patterns.filter((p) => p.includes('*')).map(namespacePattern);
  if (globs.length) for (const ns of await clusterNamespaces(client, state.own)) if (globs.some((g) => g.test(ns))) names.add(ns);
  const releases: RevisionSummary[] = [];
  const seen: string[] = [];
  for (const ns of [...names].sort()) {
    try {
      releases.push(...(await listReleases(client, ns)));
      seen.push(ns);
    } catch (e) {
      if (!isForbidden(e)) throw e;
    }
  }
  return { releases, scope: seen };
}

export const listAll: Handler = async ({ res, state, principal }) => {
  const { releases, scope } = await visibleReleases(principal.client, state);
  sendJson(res, 200, {
    namespaces: scope,
    releases: releases.map((r) => ({ name: r.name, namespace: r.namespace, module: r.module, version: r.moduleVersion, revision: r.revision, status: r.status, updatedAt: r.updatedAt })),
  } satisfies ReleaseList);
};

const releaseOf = (c: RequestContext) => ({ namespace: c.params[0]!, name: c.params[1]! });

export const detail: Handler = async (c) => {
  const { namespace, name } = releaseOf(c);
  const status = await releaseStatus(c.principal.client, namespace, name, { metadata: true });
  const managed = await operatorManaged(c.principal.client, namespace, name).catch(() => undefined);
  sendJson(c.res, 200, { ...status, managedBy: managed ? 'operator' : 'opm' } satisfies ReleaseDetail);
};

/** Live status: the status now, then again after every change the release's watches see (at most every 250 ms). */
export const events: Handler = async (c) => {
  const { namespace, name } = releaseOf(c);
  const client = c.principal.client;
  const first = await releaseStatus(client, namespace, name);
  const stream = openEventStream(c.req, c.res);
  stream.send('status', first);
  let lastText = JSON.stringify(first);
  let pending: NodeJS.Timeout | undefined;
  let reading = false;
  const refresh = () => {
    if (pending || stream.closed) return;
    pending = setTimeout(async () => {
      pending = undefined;
      if (reading) return refresh();
      reading = true;
      try {
        const s = await releaseStatus(client, namespace, name);
        const text = JSON.stringify(s);
        if (text !== lastText) stream.send('status', s);
        lastText = text;
      } catch (e) {
        stream.send('error', { error: c.state.catalog.publicText(apiError(e).message) });
      } finally {
        reading = false;
      }
    }, 250);
  };
  const kinds = new Map(first.objects.map((o) => [`${o.ref.group}/${o.ref.version}/${o.ref.kind}/${o.ref.namespace ?? ''}`, o.ref]));
  const w = watchRelease(client, namespace, name, [...kinds.values()], refresh, (e) => c.state.log(`portal: watch of release ${namespace}/${name}: ${apiError(e).message}`));
  stream.onClose(() => {
    w.stop();
    clearTimeout(pending);
  });
};

export const history: Handler = async (c) => {
  const { namespace, name } = releaseOf(c);
  const revs = await releaseHistory(c.principal.client, namespace, name);
  sendJson(c.res, 200, { revisions: revs.map((r) => ({ revision: r.revision, status: r.status, description: r.description, module: r.module, version: r.moduleVersion, updatedAt: r.updatedAt })) } satisfies HistoryAnswer);
};

function revisionParam(v: string | null, what: string): number {
  const n = Number(v);
  if (v === null || !Number.isInteger(n) || n < 1) throw new HttpError(400, `${what}: a revision number is required`);
  return n;
}

export const diff: Handler = async (c) => {
  const { namespace, name } = releaseOf(c);
  const from = revisionParam(c.url.searchParams.get('from'), 'from');
  const to = revisionParam(c.url.searchParams.get('to'), 'to');
  sendJson(c.res, 200, await diffRevisions(c.principal.client, namespace, name, from, to));
};

function startAction(c: RequestContext, kind: string, run: (ctx: ReleaseContext) => Promise<unknown>): void {
  const release = releaseOf(c);
  const op = c.state.operations.start(c.principal.csrf, kind, release, (reporter) => run({ client: c.principal.client, reporter }), (e) => c.state.catalog.publicText(apiError(e).message));
  sendJson(c.res, 202, { operation: op.id, release } satisfies OperationStarted);
}

/** Operator-managed releases change through their ModuleRelease; the rest like the CLI's commands. */
async function managed(c: RequestContext): Promise<boolean> {
  const { namespace, name } = releaseOf(c);
  return !!(await operatorManaged(c.principal.client, namespace, name));
}

export const rollback: Handler = async (c) => {
  const body = await readJson(c.req);
  const revision = body.revision === undefined || body.revision === null ? undefined : revisionParam(String(body.revision), 'revision');
  const { namespace, name } = releaseOf(c);
  if (await managed(c)) {
    startAction(c, 'rollback', (ctx) => rollbackThroughOperator(ctx.client, namespace, name, revision, c.state.timeoutMs, ctx.reporter));
    return;
  }
  startAction(c, 'rollback', async (ctx) => {
    const r = await rollbackRelease(ctx, namespace, name, revision, { wait: true, timeoutMs: c.state.timeoutMs, historyMax: c.state.historyMax });
    return { target: r.target, revision: r.revision };
  });
};

export const scale: Handler = async (c) => {
  const body = await readJson(c.req);
  const replicas = Number(body.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) throw new HttpError(400, `replicas: a whole number ≥ 0 is required (got ${JSON.stringify(body.replicas)})`);
  const component = body.component === undefined || body.component === null || body.component === '' ? undefined : String(body.component);
  const { namespace, name } = releaseOf(c);
  const session = c.state.catalog.session;
  if (await managed(c)) {
    const mr = (await c.principal.client.get(mrRef(namespace, name))) as unknown as { spec: { values?: Record<string, unknown> } };
    const values = setIn(mr.spec.values ?? {}, replicasPath(component), replicas);
    startAction(c, 'scale', async (ctx) => {
      await ctx.client.mergePatch(mrRef(namespace, name), { spec: { values } });
      ctx.reporter.line(`ModuleRelease ${namespace}/${name}: values.${replicasPath(component).join('.')}=${replicas}; the opm operator deploys it`);
      return { replicas };
    });
    return;
  }
  const rerender: RerenderRelease = (input) => renderRelease(input, { session });
  startAction(c, 'scale', async (ctx) => {
    const r = await scaleRelease(ctx, namespace, name, { component, replicas, rerender, wait: true, timeoutMs: c.state.timeoutMs, historyMax: c.state.historyMax });
    return { revision: r.revision, replicas };
  });
};

export const remove: Handler = async (c) => {
  const { namespace, name } = releaseOf(c);
  if (await managed(c)) {
    startAction(c, 'delete', async (ctx) => {
      await ctx.client.delete(mrRef(namespace, name));
      ctx.reporter.line(`ModuleRelease ${namespace}/${name} deleted; the opm operator deletes the release`);
      return { deleted: true };
    });
    return;
  }
  startAction(c, 'delete', async (ctx) => {
    const removed = await deleteRelease(ctx, namespace, name, { wait: true, timeoutMs: c.state.timeoutMs });
    return { deleted: removed.length };
  });
};

export const operation: Handler = async (c) => {
  const op = c.state.operations.get(c.principal.csrf, c.params[0]!);
  if (!op) throw new HttpError(404, `no operation ${c.params[0]}`);
  sendJson(c.res, 200, op);
};

/** The operation's lines so far, then each new line, then `end` with the result. */
export const operationEvents: Handler = async (c) => {
  const id = c.params[0]!;
  const op = c.state.operations.get(c.principal.csrf, id);
  if (!op) throw new HttpError(404, `no operation ${id}`);
  const stream = openEventStream(c.req, c.res);
  for (const l of op.lines) stream.send('line', l);
  if (op.state !== 'running') {
    stream.send('end', op);
    stream.close();
    return;
  }
  const off = c.state.operations.subscribe(c.principal.csrf, id, (event, data) => {
    stream.send(event, data);
    if (event === 'end') stream.close();
  });
  stream.onClose(() => off?.());
};
