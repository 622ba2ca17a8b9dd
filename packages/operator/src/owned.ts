// Caches of the objects releases own, one informer per kind, all namespaces,
// selected by opm's release label. They let a resync judge an unchanged
// release (no drift, every object healthy) without a single API request, and
// their events (someone edited an object, a rollout finished) wake the release.
import type { KubeConfig } from '@kubernetes/client-node';
import { LABEL_RELEASE, LABEL_RELEASE_NAMESPACE, type KubeClient, type KubeObject, type ObjectRef } from '@opm/kube';
import { Informer } from './informer.js';

const apiVersionOf = (r: { group: string; version: string }) => (r.group ? `${r.group}/${r.version}` : r.version);

export class OwnedObjects {
  private readonly informers = new Map<string, Promise<Informer>>();
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly client: KubeClient,
    private readonly onOwnerChange: (namespace: string, name: string) => void,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  /** Starts (once) and waits for the informer of a kind. */
  ensure(apiVersion: string, kind: string): Promise<Informer> {
    const key = `${apiVersion}|${kind}`;
    let p = this.informers.get(key);
    if (!p) {
      const inf = new Informer(this.kc, this.client, {
        apiVersion,
        kind,
        labelSelector: LABEL_RELEASE,
        onChange: (o) => {
          const l = o.metadata.labels ?? {};
          const name = l[LABEL_RELEASE];
          const ns = l[LABEL_RELEASE_NAMESPACE];
          if (name && ns && !this.stopped) this.onOwnerChange(ns, name);
        },
        onError: this.onError,
      });
      p = inf.start().then(() => inf);
      p.catch(() => this.informers.delete(key));
      this.informers.set(key, p);
    }
    return p;
  }

  /** The cached live object, or undefined (not there, or its kind not watched yet). */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const inf = await this.ensure(apiVersionOf(ref), ref.kind);
    return inf.get(ref.name, ref.namespace);
  }

  get kinds(): number {
    return this.informers.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.informers.values()];
    this.informers.clear();
    await Promise.all(all.map((p) => p.then((i) => i.stop()).catch(() => undefined)));
  }
}
