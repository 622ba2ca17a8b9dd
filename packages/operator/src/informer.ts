// A list+watch cache of one kind (client-node's ListWatch), restarted after a
// watch error with a growing delay (capped) until stopped.
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient, KubeObject } from '@opm/kube';

export interface InformerOptions {
  apiVersion: string;
  kind: string;
  labelSelector?: string;
  onChange?: (obj: KubeObject, type: 'add' | 'update' | 'delete') => void;
  onError?: (e: unknown) => void;
}

export class Informer {
  private lw?: ListWatch<KubernetesObject>;
  private stopped = false;
  private retries = 0;
  private timer?: NodeJS.Timeout;
  private synced!: Promise<void>;

  constructor(private readonly kc: KubeConfig, private readonly client: KubeClient, readonly opts: InformerOptions) {}

  async start(): Promise<void> {
    const path = await this.client.api.collectionPath(this.opts.apiVersion, this.opts.kind);
    const { apiVersion, kind, labelSelector } = this.opts;
    const listFn = async () => {
      const r = await this.client.listWithVersion(apiVersion, kind, labelSelector ? { labelSelector } : {});
      // Items of a list carry no kind/apiVersion on a real server.
      for (const i of r.items) {
        i.apiVersion ??= apiVersion;
        i.kind ??= kind;
      }
      return { apiVersion, kind: `${kind}List`, metadata: { resourceVersion: r.resourceVersion }, items: r.items as KubernetesObject[] };
    };
    this.lw = new ListWatch<KubernetesObject>(path, new Watch(this.kc), listFn as never, false, labelSelector);
    const cb = (type: 'add' | 'update' | 'delete') => (o: KubernetesObject) => {
      this.retries = 0;
      const obj = o as unknown as KubeObject;
      obj.apiVersion ??= apiVersion;
      obj.kind ??= kind;
      this.opts.onChange?.(obj, type);
    };
    this.lw.on('add', cb('add'));
    this.lw.on('update', cb('update'));
    this.lw.on('delete', cb('delete'));
    this.lw.on('error', (e) => {
      this.opts.onError?.(e);
      if (this.stopped) return;
      const delay = Math.min(500 * 2 ** this.retries++, 30_000);
      this.timer = setTimeout(() => void this.lw?.start().catch((err) => this.opts.onError?.(err)), delay);
      this.timer.unref();
    });
    this.synced = this.lw.start();
    await this.synced;
  }

  get(name: string, namespace?: string): KubeObject | undefined {
    return this.lw?.get(name, namespace) as KubeObject | undefined;
  }

  list(namespace?: string): KubeObject[] {
    return (this.lw?.list(namespace) ?? []) as unknown as KubeObject[];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.lw?.stop();
  }
}
