/** In-memory object storage with a global resourceVersion counter and a bounded event history. */
import { clone } from './json.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  type: EventType;
  key: string; // storage key group/plural
  namespace: string;
  object: any;
  old?: any;
}

export type Listener = (e: StoredEvent) => void;

export class ObjectStore {
  private data = new Map<string, Map<string, any>>();
  private rv: number;
  readonly history: StoredEvent[] = [];
  private listeners = new Set<Listener>();

  constructor(
    private readonly historyLimit = 10000,
    initialRV = 1,
  ) {
    this.rv = initialRV;
  }

  currentRV(): number {
    return this.rv;
  }

  nextRV(): number {
    return ++this.rv;
  }

  /** Oldest resourceVersion a watch can still start from. */
  oldestRV(): number {
    return this.history.length ? this.history[0]!.rv - 1 : this.rv;
  }

  private bucket(key: string): Map<string, any> {
    let b = this.data.get(key);
    if (!b) this.data.set(key, (b = new Map()));
    return b;
  }

  static id(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  get(key: string, namespace: string, name: string): any | undefined {
    const o = this.data.get(key)?.get(ObjectStore.id(namespace, name));
    return o === undefined ? undefined : clone(o);
  }

  /** Objects of a resource, sorted by namespace/name (etcd key order). */
  list(key: string, namespace?: string): { id: string; obj: any }[] {
    return this.view(key, namespace).map(({ id, obj }) => ({ id, obj: clone(obj) }));
  }

  /**
   * Like list, but the stored objects themselves, which the caller must not change: a LIST
   * filters them and copies only what it returns (copying every object of a large resource
   * for each page made paged lists slow).
   */
  view(key: string, namespace?: string): { id: string; obj: any }[] {
    const b = this.data.get(key);
    if (!b) return [];
    const out: { id: string; obj: any }[] = [];
    for (const [id, obj] of b) {
      if (namespace !== undefined && namespace !== '' && !id.startsWith(`${namespace}/`)) continue;
      out.push({ id, obj });
    }
    out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return out;
  }

  /**
   * The objects of a resource as they were at resourceVersion `rv` (undoing later events from the history),
   * or undefined when the history no longer reaches back that far (etcd compaction). Read-only, like view.
   */
  viewAt(key: string, namespace: string | undefined, rv: number): { id: string; obj: any }[] | undefined {
    if (rv >= this.rv) return this.view(key, namespace);
    if (rv < this.oldestRV()) return undefined;
    const state = new Map(this.view(key, namespace).map((x) => [x.id, x.obj]));
    for (let i = this.history.length - 1; i >= 0; i--) {
      const e = this.history[i]!;
      if (e.rv <= rv) break;
      if (e.key !== key) continue;
      if (namespace && e.namespace !== namespace) continue;
      const id = ObjectStore.id(e.namespace, e.object.metadata.name);
      if (e.type === 'ADDED') state.delete(id);
      else state.set(id, e.old);
    }
    return [...state.entries()].map(([id, obj]) => ({ id, obj })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  keys(): string[] {
    return [...this.data.keys()];
  }

  /** Writes obj (which must already carry its new resourceVersion) and records the event. */
  put(key: string, namespace: string, name: string, obj: any, rv: number): void {
    const b = this.bucket(key);
    const id = ObjectStore.id(namespace, name);
    const old = b.get(id);
    b.set(id, clone(obj));
    this.record({ rv, type: old ? 'MODIFIED' : 'ADDED', key, namespace, object: clone(obj), old: old ? clone(old) : undefined });
  }

  remove(key: string, namespace: string, name: string, finalObj: any, rv: number): void {
    const b = this.data.get(key);
    const id = ObjectStore.id(namespace, name);
    const old = b?.get(id);
    if (!old) return;
    b!.delete(id);
    this.record({ rv, type: 'DELETED', key, namespace, object: clone(finalObj), old: clone(old) });
  }

  dropResource(key: string): void {
    this.data.delete(key);
  }

  private record(e: StoredEvent): void {
    this.history.push(e);
    while (this.history.length > this.historyLimit) this.history.shift();
    for (const l of [...this.listeners]) l(e);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
