// Everything a platform team applies to install the operator: the CRD, the
// opm-system namespace, the operator's ServiceAccount and RBAC (limited to the
// kinds the bundled Kubernetes provider renders), the Deployment and webhook
// Service, the ValidatingWebhookConfiguration (CA from cert-manager or a
// bundle), and two ClusterRoles to bind to tenants per namespace.
import { FINALIZER, GROUP, PLURAL, moduleReleaseCRD } from './crd.js';
import { WEBHOOK_PATH } from './webhook.js';

export interface ManifestOptions {
  namespace?: string;
  image?: string;
  /** Where the catalog is, as the operator sees it (a directory in the image, or oci://). */
  catalog?: string;
  /** A platform.cue in the image, or oci://REGISTRY/PREFIX (published rules); else the catalog's own. */
  platform?: string;
  /** PEM CA bundle that signed the webhook's serving certificate; without it cert-manager issues one. */
  caBundle?: string;
  replicas?: number;
  webhookPort?: number;
}

/** The kinds the bundled provider renders (packages/core/providers/kubernetes), by API group. */
export const RENDERED_RESOURCES: { apiGroups: string[]; resources: string[] }[] = [
  { apiGroups: [''], resources: ['configmaps', 'secrets', 'services', 'persistentvolumeclaims', 'namespaces'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
];

const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const NAME = 'opm-operator';

export function operatorManifests(o: ManifestOptions = {}): Record<string, unknown>[] {
  const ns = o.namespace ?? 'opm-system';
  const port = o.webhookPort ?? 9443;
  const labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'opm' };
  const tlsSecret = `${NAME}-webhook-tls`;
  const args = ['operator', 'run', `--catalog=${o.catalog ?? '/catalog'}`, `--namespace=${ns}`, `--webhook-port=${port}`, '--tls-cert-file=/tls/tls.crt', '--tls-key-file=/tls/tls.key'];
  if (o.platform) args.push(`--platform=${o.platform}`);
  const objects: Record<string, unknown>[] = [
    moduleReleaseCRD(),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: NAME, namespace: ns, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: NAME, labels },
      rules: [
        { apiGroups: [GROUP], resources: [PLURAL], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
        { apiGroups: [GROUP], resources: [`${PLURAL}/status`], verbs: ['get', 'update', 'patch'] },
        { apiGroups: [GROUP], resources: [`${PLURAL}/finalizers`], verbs: ['update'] },
        // The release Leases, the leader Lease, and release history Secrets (core group, above).
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: WRITE },
        // Events are written through events.k8s.io/v1 (the API server also serves them as core/v1 Events).
        { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
        ...RENDERED_RESOURCES.map((r) => ({ ...r, verbs: WRITE })),
        // Applying as a release's ServiceAccount (spec.serviceAccountName / --default-service-account).
        { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: NAME, namespace: ns, labels },
      spec: {
        replicas: o.replicas ?? 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': NAME } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            terminationGracePeriodSeconds: 60,
            containers: [
              {
                name: 'operator',
                image: o.image ?? 'ghcr.io/open-platform-model/opm-operator:latest',
                args,
                ports: [{ name: 'webhook', containerPort: port, protocol: 'TCP' }],
                readinessProbe: { httpGet: { path: '/healthz', port: 'webhook', scheme: 'HTTPS' }, periodSeconds: 10 },
                resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'tls', mountPath: '/tls', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tls', secret: { secretName: tlsSecret } }, { name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${NAME}-webhook`, namespace: ns, labels },
      spec: { selector: { 'app.kubernetes.io/name': NAME }, ports: [{ name: 'https', port: 443, targetPort: 'webhook', protocol: 'TCP' }] },
    },
  ];
  if (!o.caBundle) {
    objects.push(
      { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: `${NAME}-selfsigned`, namespace: ns, labels }, spec: { selfSigned: {} } },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: `${NAME}-webhook`, namespace: ns, labels },
        spec: {
          secretName: tlsSecret,
          dnsNames: [`${NAME}-webhook.${ns}.svc`, `${NAME}-webhook.${ns}.svc.cluster.local`],
          issuerRef: { kind: 'Issuer', name: `${NAME}-selfsigned` },
        },
      },
    );
  }
  objects.push({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: NAME, labels, ...(o.caBundle ? {} : { annotations: { 'cert-manager.io/inject-ca-from': `${ns}/${NAME}-webhook` } }) },
    webhooks: [
      {
        name: `modulereleases.${GROUP}`,
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        // Fail closed: no ModuleRelease is admitted unchecked while the webhook is down.
        failurePolicy: 'Fail',
        timeoutSeconds: 15,
        rules: [{ apiGroups: [GROUP], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: [PLURAL], scope: 'Namespaced' }],
        clientConfig: {
          service: { name: `${NAME}-webhook`, namespace: ns, path: WEBHOOK_PATH, port: 443 },
          ...(o.caBundle ? { caBundle: Buffer.from(o.caBundle).toString('base64') } : {}),
        },
      },
    ],
  });
  // Tenant roles: bind them per namespace with a RoleBinding.
  objects.push(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'opm-release-editor', labels },
      rules: [{ apiGroups: [GROUP], resources: [PLURAL], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'opm-release-viewer', labels },
      rules: [{ apiGroups: [GROUP], resources: [PLURAL, `${PLURAL}/status`], verbs: ['get', 'list', 'watch'] }],
    },
  );
  return objects;
}

export { FINALIZER };
