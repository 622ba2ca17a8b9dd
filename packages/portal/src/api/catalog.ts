// GET /api/catalog, GET /api/catalog/:module/:version[?namespace=NS], GET /api/catalog/:module/:version/snapshot
import { dnsLabel, sendJson } from '../http.js';
import type { Handler } from '../context.js';
import type { CatalogList } from '../api-types.js';

export const listCatalog: Handler = async ({ res, state }) => {
  sendJson(res, 200, { catalog: state.catalog.label, modules: await state.catalog.modules() } satisfies CatalogList);
};

export const showModule: Handler = async ({ res, state, params, url }) => {
  const ns = url.searchParams.get('namespace');
  sendJson(res, 200, await state.catalog.detail(params[0]!, params[1]!, ns ? dnsLabel(ns, 'namespace') : undefined));
};

export const moduleSnapshot: Handler = async ({ res, state, params }) => {
  sendJson(res, 200, await state.catalog.snapshot(params[0]!, params[1]!));
};
