// GET /api/catalog, GET /api/catalog/:module/:version
import { sendJson } from '../http.js';
import type { Handler } from '../context.js';

export const listCatalog: Handler = async ({ res, state }) => {
  sendJson(res, 200, { catalog: state.catalog.session.catalog.location, modules: await state.catalog.modules() });
};

export const showModule: Handler = async ({ res, state, params }) => {
  sendJson(res, 200, await state.catalog.detail(params[0]!, params[1]!));
};
