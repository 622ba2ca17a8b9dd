// The ModuleRelease custom resource: what a tenant may write. Its schema is
// structural (every field typed) except `spec.values`, which is free-form here
// and checked against the module's own values schema by the webhook and the
// controller. Secret values never sit in the spec: `spec.secretValues` names a
// key of a Secret in the release's namespace for each secret value path.
export const GROUP = 'core.opm.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'ModuleRelease';
export const PLURAL = 'modulereleases';
/** Removed by the controller once the release's objects and history are deleted. */
export const FINALIZER = 'core.opm.dev/cleanup';
/** The operator's field manager for every write (objects, history, status). */
export const OPERATOR_FIELD_MANAGER = 'opm-operator';

const str = { type: 'string' };
const strMap = { type: 'object', additionalProperties: { type: 'string' } };

const condition = {
  type: 'object',
  required: ['type', 'status'],
  properties: {
    type: str,
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    reason: str,
    message: str,
    observedGeneration: { type: 'integer', format: 'int64' },
    lastTransitionTime: { type: 'string', format: 'date-time' },
  },
};

export function moduleReleaseCRD(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { kind: KIND, listKind: `${KIND}List`, plural: PLURAL, singular: 'modulerelease', shortNames: ['mr'], categories: ['opm'] },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Module', type: 'string', jsonPath: '.status.module.name' },
            { name: 'Version', type: 'string', jsonPath: '.status.module.version' },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Revision', type: 'integer', jsonPath: '.status.revision' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                apiVersion: str,
                kind: str,
                metadata: { type: 'object' },
                spec: {
                  type: 'object',
                  required: ['module'],
                  properties: {
                    module: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?:[0-9A-Za-z.+-]+$', description: 'catalog module NAME:VERSION (an exact version)' },
                    values: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                    secretValues: {
                      type: 'array',
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['path'],
                      items: {
                        type: 'object',
                        required: ['path', 'secretKeyRef'],
                        properties: {
                          path: { type: 'string', description: 'dotted values path of a secret value (database.password)' },
                          // Kubernetes' own rules for a Secret's name and data keys (secret-refs.ts checks them with clearer words).
                          secretKeyRef: {
                            type: 'object',
                            required: ['name', 'key'],
                            properties: { name: { type: 'string', maxLength: 253 }, key: { type: 'string', pattern: '^[-._a-zA-Z0-9]+$', maxLength: 253 } },
                          },
                        },
                      },
                    },
                    metadata: { type: 'object', properties: { labels: strMap, annotations: strMap } },
                    suspend: { type: 'boolean' },
                    serviceAccountName: str,
                  },
                },
                status: {
                  type: 'object',
                  properties: {
                    observedGeneration: { type: 'integer', format: 'int64' },
                    conditions: {
                      type: 'array',
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['type'],
                      items: condition,
                    },
                    module: { type: 'object', properties: { name: str, version: str, digest: str } },
                    platform: { type: 'object', description: 'the registry platform rules (--platform oci://…) the release was judged by', properties: { ref: str, version: str, digest: str } },
                    revision: { type: 'integer' },
                    revisionStatus: { type: 'string', enum: ['pending', 'deployed', 'failed'] },
                    manifestDigest: str,
                    inventory: {
                      type: 'array',
                      items: { type: 'object', properties: { apiVersion: str, kind: str, namespace: str, name: str } },
                    },
                    lastError: { type: 'object', properties: { layer: str, path: str, constraint: str, message: str } },
                    lastAppliedTime: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}
