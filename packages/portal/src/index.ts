// @opm/portal: the self-service portal's server (JSON API + the web app's
// files). The web app itself lives in web/ and is bundled into dist/web.
export { Portal, type PortalOptions } from './portal.js';
export { CONTENT_SECURITY_POLICY } from './headers.js';
export { inClusterConfig } from './in-cluster.js';
export { SESSION_COOKIE, CSRF_HEADER } from './auth.js';
export { releaseCue, type ReleaseForm } from './release-cue.js';
export { schemaTree, type SchemaNode, type SchemaGroupNode, type SchemaLeafNode, type FieldKind } from './schema-tree.js';
