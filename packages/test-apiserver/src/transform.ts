/**
 * The metadata-only response transform of kube-apiserver: a GET or LIST whose Accept header asks for
 * `application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1` gets only each object's metadata
 * (what controller-runtime's metadata client and `kubectl get -o name` use to avoid reading payloads).
 * Accept ranges are tried in order; the first one this server can serve wins. Ranges for other media
 * types or transforms (YAML, protobuf, Table) are skipped, and plain JSON is the last resort.
 */

export type Transform = 'PartialObjectMetadata' | 'PartialObjectMetadataList';

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type, ...ps] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of ps) {
        const i = p.indexOf('=');
        if (i > 0) params[p.slice(0, i).trim()] = p.slice(i + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params };
    })
    .filter((r) => r.type !== '' && r.params.q !== '0');
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

/** The transform the request asks for, or undefined for the plain object (list). */
export function requestedTransform(accept: string | undefined, isList: boolean): Transform | undefined {
  if (!accept) return undefined;
  const want: Transform = isList ? 'PartialObjectMetadataList' : 'PartialObjectMetadata';
  for (const r of parseAccept(accept)) {
    if (!JSON_TYPES.has(r.type)) continue;
    if (r.params.as === undefined) return undefined;
    if (r.params.as === want && r.params.g === 'meta.k8s.io' && r.params.v === 'v1') return want;
  }
  return undefined;
}

export function contentTypeOf(t: Transform | undefined): string {
  return t ? `application/json;as=${t};g=meta.k8s.io;v=v1` : 'application/json';
}

const partial = (obj: any) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata });

/** Applies the transform to a served object or list (items of the list carry their own kind, as upstream). */
export function transform(t: Transform | undefined, body: any): any {
  if (t === 'PartialObjectMetadata') return partial(body);
  if (t === 'PartialObjectMetadataList') {
    return { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: body.metadata, items: (body.items ?? []).map(partial) };
  }
  return body;
}
