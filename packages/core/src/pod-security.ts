// The Kubernetes Pod Security Standards (baseline and restricted), checked on
// every rendered pod the way the API server's PodSecurity admission would, so
// a release that a namespace labelled `pod-security.kubernetes.io/enforce`
// would reject fails at build time instead, with every reason at once.
// Rules and allowed values follow kubernetes.io/docs/concepts/security/pod-security-standards
// (policy version "latest" as of Kubernetes 1.31).

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

type Obj = Record<string, any>;

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** Violations of `level` by one pod spec; `id` prefixes each (`Deployment web`). */
export function checkPodSecurity(level: PodSecurityLevel, id: string, pod: Obj, podMeta: Obj = {}): string[] {
  if (level === 'privileged') return [];
  const v: string[] = [];
  const says = (what: string) => v.push(`${id}: ${what} (Pod Security "${level}")`);
  const psc: Obj = pod.securityContext ?? {};
  const containers: Obj[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  const each = (f: (c: Obj, sc: Obj, cid: string) => void) => {
    for (const c of containers) f(c, c.securityContext ?? {}, `container ${c.name}`);
  };

  // Baseline.
  if (psc.windowsOptions?.hostProcess === true) says('pod securityContext.windowsOptions.hostProcess must not be true');
  each((_c, sc, cid) => {
    if (sc.windowsOptions?.hostProcess === true) says(`${cid}: securityContext.windowsOptions.hostProcess must not be true`);
  });
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[f] === true) says(`${f} must not be true`);
  each((_c, sc, cid) => {
    if (sc.privileged === true) says(`${cid}: securityContext.privileged must not be true`);
    const bad = ((sc.capabilities?.add ?? []) as string[]).filter((x) => !BASELINE_CAPABILITIES.has(x));
    if (bad.length) says(`${cid}: capabilities ${bad.join(', ')} must not be added`);
  });
  for (const vol of (pod.volumes ?? []) as Obj[]) if (vol.hostPath) says(`volume ${vol.name}: hostPath volumes are not allowed`);
  each((c, _sc, cid) => {
    for (const p of (c.ports ?? []) as Obj[]) if (p.hostPort) says(`${cid}: hostPort ${p.hostPort} is not allowed`);
  });
  const appArmor = (p: Obj | undefined, where: string) => {
    if (p?.type === 'Unconfined') says(`${where}appArmorProfile.type must not be Unconfined`);
  };
  appArmor(psc.appArmorProfile, 'pod securityContext.');
  each((_c, sc, cid) => appArmor(sc.appArmorProfile, `${cid}: securityContext.`));
  for (const [k, val] of Object.entries(podMeta.annotations ?? {})) {
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && val !== 'runtime/default' && !String(val).startsWith('localhost/')) {
      says(`annotation ${k}: ${String(val)} is not allowed`);
    }
  }
  const seLinux = (o: Obj | undefined, where: string) => {
    if (!o) return;
    if (o.type !== undefined && !SELINUX_TYPES.has(o.type)) says(`${where}seLinuxOptions.type ${o.type} is not allowed`);
    if (o.user) says(`${where}seLinuxOptions.user must not be set`);
    if (o.role) says(`${where}seLinuxOptions.role must not be set`);
  };
  seLinux(psc.seLinuxOptions, 'pod securityContext.');
  each((_c, sc, cid) => {
    seLinux(sc.seLinuxOptions, `${cid}: securityContext.`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') says(`${cid}: securityContext.procMount must be Default`);
  });
  if (psc.seccompProfile?.type === 'Unconfined') says('pod securityContext.seccompProfile.type must not be Unconfined');
  each((_c, sc, cid) => {
    if (sc.seccompProfile?.type === 'Unconfined') says(`${cid}: securityContext.seccompProfile.type must not be Unconfined`);
  });
  for (const s of (psc.sysctls ?? []) as Obj[]) if (!SAFE_SYSCTLS.has(s.name)) says(`sysctl ${s.name} is not allowed`);
  if (level === 'baseline') return v;

  // Restricted.
  for (const vol of (pod.volumes ?? []) as Obj[]) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (type && type !== 'hostPath' && !RESTRICTED_VOLUMES.has(type)) says(`volume ${vol.name}: ${type} volumes are not allowed`);
  }
  each((_c, sc, cid) => {
    if (sc.allowPrivilegeEscalation !== false) says(`${cid}: securityContext.allowPrivilegeEscalation must be false`);
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true)) says(`${cid}: securityContext.runAsNonRoot must be true (pod or container)`);
    if (sc.runAsUser === 0) says(`${cid}: securityContext.runAsUser must not be 0`);
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') says(`${cid}: seccompProfile.type must be RuntimeDefault or Localhost (pod or container)`);
    const drop = (sc.capabilities?.drop ?? []) as string[];
    if (!drop.includes('ALL')) says(`${cid}: capabilities.drop must include ALL`);
    const add = ((sc.capabilities?.add ?? []) as string[]).filter((x) => x !== 'NET_BIND_SERVICE');
    if (add.length) says(`${cid}: only NET_BIND_SERVICE may be added to capabilities, not ${add.join(', ')}`);
  });
  if (psc.runAsUser === 0) says('pod securityContext.runAsUser must not be 0');
  return v;
}
