// Releases: the list across the namespaces the user may see, and one
// release's detail, updated live from the server's watches (server-sent
// events), with its history, a diff between two revisions, and scale,
// roll back and delete (each confirmed first).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, follow, get, send } from './api.js';
import { ModulePage } from './release-form.js';
import { Table, type Column } from './table.js';
import type { DiffAnswer, HistoryAnswer, ObjectHealth, OperationStarted, ReleaseDetail as Status, ReleaseList, ReleaseRow as Row, RevisionRow as Revision } from '../src/api-types.js';

function age(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : s < 172800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86400)}d`;
}

const RELEASE_COLUMNS: Column<Row>[] = [
  { header: 'Name', cell: (r) => <a href={`#/releases/${r.namespace}/${r.name}`}>{r.name}</a> },
  { header: 'Namespace', cell: (r) => r.namespace },
  { header: 'Module', cell: (r) => `${r.module} ${r.version}` },
  { header: 'Revision', cell: (r) => r.revision },
  { header: 'Status', cell: (r) => r.status },
  { header: 'Age', cell: (r) => age(r.updatedAt) },
];

const OBJECT_COLUMNS: Column<ObjectHealth>[] = [
  { header: 'Object', cell: (o) => `${o.ref.kind}/${o.ref.name}` },
  { header: 'Health', cell: (o) => o.health, class: (o) => `status-${o.health}` },
  { header: 'Detail', cell: (o) => o.reason },
];

const HISTORY_COLUMNS: Column<Revision>[] = [
  { header: 'Revision', cell: (r) => r.revision },
  { header: 'Status', cell: (r) => r.status },
  { header: 'Description', cell: (r) => r.description },
  { header: 'Age', cell: (r) => age(r.updatedAt) },
];

export function Releases() {
  const [rows, setRows] = useState<Row[] | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    get<ReleaseList>('/api/releases').then((r) => setRows(r.releases), (e: Error) => setError(e.message));
  }, []);
  return (
    <section aria-labelledby="releases-title">
      <h1 id="releases-title" tabIndex={-1}>Releases</h1>
      {error && <p role="alert">{error}</p>}
      {rows && rows.length === 0 && <p>No releases you may see.</p>}
      {rows && rows.length > 0 && (
        <Table label="releases" columns={RELEASE_COLUMNS} rows={rows} rowKey={(r) => `${r.namespace}/${r.name}`} />
      )}
    </section>
  );
}

/** The module's form, filled with the release's current values and metadata. */
export function EditRelease({ namespace, name }: { namespace: string; name: string }) {
  const [st, setSt] = useState<Status | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    get<Status>(`/api/releases/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`).then(setSt, (e: Error) => setError(e.message));
  }, [namespace, name]);
  if (error) return <p role="alert">{error}</p>;
  if (!st) return <p>Loading…</p>;
  return <ModulePage name={st.module.name} version={st.module.version} edit={{ name, namespace, values: st.values, labels: st.labels ?? {}, annotations: st.annotations ?? {} }} />;
}

export function ReleaseDetail({ namespace, name }: { namespace: string; name: string }) {
  const [st, setSt] = useState<Status | undefined>();
  const [gone, setGone] = useState(false);
  const [error, setError] = useState('');
  const [revs, setRevs] = useState<Revision[]>([]);
  const [diff, setDiff] = useState<DiffAnswer | undefined>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [replicas, setReplicas] = useState('');
  const [log, setLog] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const base = `/api/releases/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

  const loadHistory = () =>
    get<HistoryAnswer>(`${base}/history`).then(
      (h) => setRevs(h.revisions),
      () => setRevs([]),
    );
  useEffect(() => {
    const es = new EventSource(`${base}/events`);
    es.addEventListener('status', (e) => {
      setSt(JSON.parse((e as MessageEvent<string>).data) as Status);
      void loadHistory();
    });
    es.addEventListener('error', (e) => {
      const data = (e as MessageEvent<string>).data;
      if (data) setError((JSON.parse(data) as { error: string }).error);
    });
    // The stream cannot open (e.g. 404: no such release): say so once, no retry loop.
    es.onerror = () => {
      if (es.readyState === EventSource.CONNECTING) {
        es.close();
        get<Status>(base).then(setSt, (e: ApiError) => (e.status === 404 ? setGone(true) : setError(e.message)));
      }
    };
    return () => es.close();
  }, [base]);

  const act = async (what: string, question: string, method: string, path: string, body?: unknown) => {
    if (!confirm(question)) return;
    setBusy(true);
    setLog([`${what}…`]);
    try {
      const op = await send<OperationStarted>(method, path, body);
      const end = await follow(op.operation, (l) => setLog((x) => [...x, l]));
      setLog((x) => [...x, end.state === 'succeeded' ? `${what}: done` : `${what} failed: ${end.error}`]);
      if (what === 'delete' && end.state === 'succeeded') setGone(true);
      void loadHistory();
    } catch (e) {
      setLog((x) => [...x, `${what} failed: ${(e as Error).message}`]);
    } finally {
      setBusy(false);
    }
  };

  if (gone) {
    return (
      <section>
        <h1 tabIndex={-1}>Release {name}</h1>
        <p role="status" id="release-gone">
          Release {name} does not exist in namespace {namespace}.
        </p>
        <div class="log" role="log">
          {log.join('\n')}
        </div>
      </section>
    );
  }
  return (
    <section aria-labelledby="release-title">
      <h1 id="release-title" tabIndex={-1}>
        Release {name} <small>({namespace})</small>
      </h1>
      {error && <p role="alert">{error}</p>}
      {!st && <p>Loading…</p>}
      {st && (
        <>
          <p>
            {st.module.name} {st.module.version} · revision <span id="revision">{st.revision}</span> ({st.status}) · health:{' '}
            <span id="health" class={`status-${st.health}`} aria-live="polite">
              {st.health}
            </span>
            {st.managedBy === 'operator' && ' · managed by the opm operator'} · <a href={`#/releases/${namespace}/${name}/edit`}>Edit values</a>
          </p>
          <Table label="objects" columns={OBJECT_COLUMNS} rows={st.objects} rowKey={(o) => `${o.ref.kind}/${o.ref.name}`} />
          <h2>Values</h2>
          <pre>{JSON.stringify(st.values, null, 2)}</pre>
          <h2>Actions</h2>
          <div class="actions">
            <label for="replicas">Replicas</label>
            <input id="replicas" type="number" min={0} step={1} value={replicas} onInput={(e) => setReplicas((e.target as HTMLInputElement).value)} />
            <button type="button" disabled={busy || replicas === ''} onClick={() => void act('scale', `Scale ${name} to ${replicas} replicas?`, 'POST', `${base}/scale`, { replicas: Number(replicas) })}>
              Scale
            </button>
            <button type="button" disabled={busy || revs.length < 2} onClick={() => void act('rollback', `Roll ${name} back to the previous good revision?`, 'POST', `${base}/rollback`, {})}>
              Roll back
            </button>
            <button type="button" class="danger" disabled={busy} onClick={() => void act('delete', `Delete release ${name} and its objects?`, 'DELETE', base)}>
              Delete
            </button>
          </div>
          {log.length > 0 && (
            <div class="log" role="log" aria-live="polite" id="action-log">
              {log.join('\n')}
            </div>
          )}
          <h2>History</h2>
          <Table label="history" columns={HISTORY_COLUMNS} rows={revs} rowKey={(r) => r.revision} />
          <div class="actions">
            <RevisionSelect id="diff-from" label="Diff from revision" revs={revs} value={from} onChange={setFrom} />
            <RevisionSelect id="diff-to" label="Diff to revision" revs={revs} value={to} onChange={setTo} />
            <button type="button" disabled={!from || !to} onClick={() => void get<DiffAnswer>(`${base}/diff?from=${from}&to=${to}`).then(setDiff, (e: Error) => setError(e.message))}>
              Diff
            </button>
          </div>
          {diff && <pre id="diff">{diff.values + diff.manifest || 'no difference'}</pre>}
        </>
      )}
    </section>
  );
}

/** A labelled choice of one of the release's revisions (the two ends of a diff). */
function RevisionSelect(p: { id: string; label: string; revs: { revision: number }[]; value: string; onChange: (v: string) => void }) {
  return (
    <>
      <label for={p.id}>{p.label}</label>
      <select id={p.id} value={p.value} onChange={(e) => p.onChange((e.target as HTMLSelectElement).value)}>
        <option value="">revision…</option>
        {p.revs.map((r) => (
          <option key={r.revision} value={String(r.revision)}>
            {r.revision}
          </option>
        ))}
      </select>
    </>
  );
}
