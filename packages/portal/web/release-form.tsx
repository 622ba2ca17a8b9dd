// A module version and the form of a new release, generated from its values
// schema tree: groups as fieldsets, numbers with their bounds, enums as
// selects, patterns, booleans, lists and maps as JSON; defaults shown with
// the layer that set them; locked values read-only; secrets as password
// inputs. Every change is validated in the browser (validate.ts) and the
// messages appear next to their field and in a live region.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, follow, get, send } from './api.js';
import type { EnvironmentInfo, ModuleDetail, NamespaceChoices, OperationStarted, PreviewAnswer, SchemaGroupNode as GroupNode, SchemaLeafNode as LeafNode, SchemaNode } from '../src/api-types.js';
import { validatorFor, type Problem, type Validator } from './validate.js';

type Raw = Record<string, string | boolean>;

/** How long typing pauses before the release is rendered for the policy check. */
const POLICY_PAUSE_MS = 300;

const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function leavesOf(n: SchemaNode): LeafNode[] {
  return n.type === 'field' ? [n] : n.children.flatMap(leavesOf);
}

/** The typed value of one input, as the user wrote it (a wrong type is CUE's to report). */
function typed(leaf: LeafNode, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  if (leaf.kind === 'int' || leaf.kind === 'number') return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (leaf.kind === 'enum') return leaf.enum?.find((e) => String(e) === raw) ?? raw;
  if (leaf.kind === 'list' || leaf.kind === 'map' || leaf.kind === 'any') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

function setIn(obj: Record<string, unknown>, path: string[], v: unknown): void {
  let cur = obj;
  for (const p of path.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[path[path.length - 1]!] = v;
}

function globMatch(pattern: string, ns: string): boolean {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[-a-z0-9]*')}$`).test(ns);
}

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function Field({ leaf, raw, onChange, problem }: { leaf: LeafNode; raw: string | boolean | undefined; onChange: (v: string | boolean | undefined) => void; problem?: Problem }) {
  const id = fieldId(leaf.path);
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const described = [hintId, ...(problem ? [errId] : [])].join(' ');
  const hint = [
    leaf.description ?? '',
    leaf.constraint,
    leaf.default !== undefined ? `default ${shown(leaf.default)} (${leaf.defaultLayer})` : '',
    leaf.locked ? `locked by ${leaf.locked.by}` : '',
    leaf.required ? 'required' : '',
    leaf.secret ? 'secret: never shown again once set' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const common = { id, 'aria-describedby': described, 'aria-invalid': !!problem, name: leaf.path };
  let input;
  if (leaf.locked) {
    input = <input {...common} type="text" readOnly class="locked" value={leaf.secret ? '' : shown(leaf.locked.value)} />;
  } else if (leaf.kind === 'bool') {
    const checked = typeof raw === 'boolean' ? raw : leaf.default === true;
    input = <input {...common} type="checkbox" checked={checked} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />;
  } else if (leaf.kind === 'enum') {
    input = (
      <select {...common} value={typeof raw === 'string' ? raw : String(leaf.default ?? '')} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {leaf.default === undefined && <option value="">(not set)</option>}
        {leaf.enum!.map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  } else {
    const isNumber = leaf.kind === 'int' || leaf.kind === 'number';
    // Preact types an input by its `type`; this one's type is chosen at run time.
    const props: any = {
      ...common,
      type: leaf.secret ? 'password' : isNumber ? 'number' : 'text',
      autoComplete: leaf.secret ? 'new-password' : 'off',
      ...(isNumber && leaf.min !== undefined ? { min: leaf.min } : {}),
      ...(isNumber && leaf.max !== undefined ? { max: leaf.max } : {}),
      ...(isNumber ? { step: leaf.kind === 'int' ? 1 : 'any' } : {}),
      placeholder: leaf.secret || leaf.default === undefined ? '' : shown(leaf.default),
      value: typeof raw === 'string' ? raw : '',
      onInput: (e: Event) => {
        const v = (e.target as HTMLInputElement).value;
        onChange(v === '' ? undefined : v);
      },
    };
    input = <input {...props} />;
  }
  return (
    <div class="field">
      <label for={id}>
        {leaf.name}
        {leaf.optional ? ' (optional)' : ''}
      </label>
      {input}
      <span class="hint" id={hintId}>
        {hint}
      </span>
      {problem && (
        <span class="error" id={errId}>
          {problem.message}
        </span>
      )}
    </div>
  );
}

function Group({ node, raw, set, problems }: { node: GroupNode; raw: Raw; set: (path: string, v: string | boolean | undefined) => void; problems: Map<string, Problem> }) {
  const body = node.children.map((c) =>
    c.type === 'group' ? (
      <Group key={c.path} node={c} raw={raw} set={set} problems={problems} />
    ) : (
      <Field key={c.path} leaf={c} raw={raw[c.path]} onChange={(v) => set(c.path, v)} problem={problems.get(c.path)} />
    ),
  );
  if (!node.path) return <>{body}</>;
  return (
    <fieldset>
      <legend>{node.name}</legend>
      {body}
    </fieldset>
  );
}

/** An existing release being edited: its name and namespace stay, its values and metadata fill the form. */
export interface EditTarget {
  name: string;
  namespace: string;
  values: Record<string, unknown>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The form's inputs for values already set (secrets are masked by the server: left empty). */
function rawFrom(leaves: LeafNode[], values: Record<string, unknown>): Raw {
  const raw: Raw = {};
  for (const leaf of leaves) {
    if (leaf.secret || leaf.locked) continue;
    let cur: unknown = values;
    for (const p of leaf.path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
    if (cur === undefined) continue;
    raw[leaf.path] = typeof cur === 'boolean' ? cur : typeof cur === 'string' ? cur : leaf.kind === 'int' || leaf.kind === 'number' || leaf.kind === 'enum' ? String(cur) : JSON.stringify(cur);
  }
  return raw;
}

export function ModulePage({ name, version, edit }: { name: string; version: string; edit?: EditTarget }) {
  const [mod, setMod] = useState<ModuleDetail | undefined>();
  const [validator, setValidator] = useState<Validator | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    const base = `/api/catalog/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;
    Promise.all([get<ModuleDetail>(base), get<unknown>(`${base}/snapshot`)]).then(
      ([m, snapshot]) => {
        setMod(m);
        // A function in state must be wrapped: a bare one would be called as an updater.
        setValidator(() => validatorFor(snapshot, { name, version }));
      },
      (e: Error) => setError(e.message),
    );
  }, [name, version]);
  if (error) return <p role="alert">{error}</p>;
  if (!mod || !validator) return <p>Loading…</p>;
  return (
    <section aria-labelledby="module-title">
      <h1 id="module-title" tabIndex={-1}>
        {mod.name} {mod.version}
      </h1>
      {mod.description && <p>{mod.description}</p>}
      <div class="card">
        <p>
          Definition {mod.definition.name} {mod.definition.version} · components: {mod.components.join(', ') || '-'}
          {mod.platformComponents.length > 0 && ` · added by the platform: ${mod.platformComponents.join(', ')}`} · platform policies: {mod.policies.join(', ') || '-'}
        </p>
        {mod.immutable.length > 0 && (
          <p>
            Immutable values:{' '}
            {mod.immutable.map((l) => `${l.path} = ${shown(l.value)} (${l.by})`).join('; ')}
          </p>
        )}
      </div>
      <ReleaseForm mod={mod} validate={validator} {...(edit ? { edit } : {})} />
    </section>
  );
}

function ReleaseForm({ mod, validate, edit }: { mod: ModuleDetail; validate: Validator; edit?: EditTarget }) {
  const [relName, setRelName] = useState(edit?.name ?? '');
  const [namespace, setNamespace] = useState(edit?.namespace ?? '');
  const env: EnvironmentInfo | undefined = mod.environments.find((e) => e.namespaces.some((p) => globMatch(p, namespace)));
  // The schema with the locks of the environment the namespace falls in (read-only inputs), fetched once per environment.
  const [envSchema, setEnvSchema] = useState<{ env: string; schema: ModuleDetail['schema'] } | undefined>();
  useEffect(() => {
    if (!env) return;
    let current = true;
    const path = `/api/catalog/${encodeURIComponent(mod.name)}/${encodeURIComponent(mod.version)}?namespace=${encodeURIComponent(namespace)}`;
    get<ModuleDetail>(path).then(
      (m) => current && setEnvSchema({ env: env.name, schema: m.schema }),
      () => current && setEnvSchema(undefined),
    );
    return () => {
      current = false;
    };
  }, [env?.name]);
  const schema = env && envSchema?.env === env.name ? envSchema.schema : mod.schema;
  const leaves = useMemo(() => leavesOf(schema), [schema]);
  const [raw, setRaw] = useState<Raw>(() => (edit ? rawFrom(leaves, edit.values) : {}));
  const [meta, setMeta] = useState<Record<string, string>>(() => ({ ...(edit?.labels ?? {}), ...(edit?.annotations ?? {}) }));
  const [serverProblems, setServerProblems] = useState<string[]>([]);
  const [preview, setPreview] = useState<PreviewAnswer | undefined>();
  const [log, setLog] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();

  // Where this user may create a release: the environments' namespaces RBAC allows (GET /api/namespaces).
  const [choices, setChoices] = useState<NamespaceChoices | undefined>();
  const [choicesError, setChoicesError] = useState('');
  useEffect(() => {
    get<NamespaceChoices>('/api/namespaces').then(setChoices, (e: Error) => setChoicesError(e.message));
  }, []);
  const namespaces = choices?.namespaces.map((n) => n.name) ?? [];

  const { values, secrets } = useMemo(() => {
    const values: Record<string, unknown> = {};
    const secrets: Record<string, string> = {};
    for (const leaf of leaves) {
      const r = raw[leaf.path];
      if (r === undefined || leaf.locked) continue;
      if (leaf.secret) secrets[leaf.path] = String(r);
      else setIn(values, leaf.path.split('.'), typed(leaf, r));
    }
    return { values, secrets };
  }, [raw, leaves]);
  const labels = Object.fromEntries((env?.requiredLabels ?? []).map((k) => [k, meta[k] ?? '']));
  const annotations = Object.fromEntries((env?.requiredAnnotations ?? []).map((k) => [k, meta[k] ?? '']));
  const draftKey = JSON.stringify([relName, namespace, labels, annotations, values, secrets]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [checked, setChecked] = useState('');
  // The platform's object policy, from a render in the browser: [draft it is about, its violations].
  const [policy, setPolicy] = useState<{ key: string; problems: Problem[] } | undefined>();
  const seq = useRef(0);
  const draft = { name: relName, namespace, labels, annotations, values, secrets };
  useEffect(() => {
    // Every change is checked in the browser; only the newest answer is shown.
    const n = ++seq.current;
    const start = performance.now();
    void validate.values(draft).then(
      (found) => {
        // User Timing: what bench/portal.bench.js reads for the cost of one validation.
        performance.measure('opm:validate', { start, end: performance.now() });
        if (n !== seq.current) return;
        setProblems(found);
        setChecked(draftKey);
      },
      (e: Error) => n === seq.current && setProblems([{ path: '', message: `the check failed: ${e.message}` }]),
    );
  }, [validate, draftKey]);
  const valuesOk = checked === draftKey && problems.length === 0;
  const canRender = valuesOk && !!namespace && !!env;
  useEffect(() => {
    // Object policy needs a render (several times the values stage): once the values pass and typing pauses.
    if (!canRender) return;
    const n = seq.current;
    const timer = setTimeout(() => {
      const start = performance.now();
      void validate.policy(draft).then(
        (found) => {
          performance.measure('opm:policy', { start, end: performance.now() });
          if (n === seq.current) setPolicy({ key: draftKey, problems: found });
        },
        (e: Error) => n === seq.current && setPolicy({ key: draftKey, problems: [{ path: '', message: `the policy check failed: ${e.message}` }] }),
      );
    }, POLICY_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [validate, draftKey, canRender]);
  const policyNow = policy?.key === draftKey ? policy.problems : undefined;
  useEffect(() => {
    performance.mark('opm:form-ready');
  }, []);
  const fieldProblems = [...problems, ...(policyNow ?? [])];
  const byPath = useMemo(() => new Map(fieldProblems.filter((p) => p.path).map((p) => [p.path, p])), [problems, policyNow]);
  const nameProblem = relName && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(relName) ? 'a release name is a DNS label: lower-case letters, digits and -' : '';
  const nsProblem =
    namespace && !env
      ? `no environment of the platform covers namespace ${namespace} (allowed: ${mod.environments.flatMap((e) => e.namespaces).join(', ')})`
      : namespace && !edit && choices && !namespaces.includes(namespace)
        ? `namespace ${namespace} is not one you may create a release in: those are the environments' existing namespaces where RBAC allows you to ${choices.checked} (${namespaces.join(', ') || 'none'})`
        : '';
  const missingMeta = env ? [...env.requiredLabels, ...env.requiredAnnotations].filter((k) => !meta[k]) : [];
  const ready = relName && namespace && (choices || edit) && !nameProblem && !nsProblem && valuesOk && policyNow?.length === 0 && missingMeta.length === 0;

  const set = (path: string, v: string | boolean | undefined) => {
    setRaw((r) => {
      const next = { ...r };
      if (v === undefined) delete next[path];
      else next[path] = v;
      return next;
    });
    setPreview(undefined);
    setServerProblems([]);
  };
  const body = () => ({
    name: relName,
    namespace,
    module: mod.name,
    version: mod.version,
    labels,
    annotations,
    values,
    secrets,
  });
  const fail = (e: unknown) => {
    setServerProblems(e instanceof ApiError && e.problems.length ? e.problems : [(e as Error).message]);
  };
  const doPreview = async () => {
    setBusy(true);
    try {
      setPreview(await send<PreviewAnswer>('POST', '/api/preview', body()));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const doDeploy = async () => {
    setBusy(true);
    setLog([]);
    setOutcome(undefined);
    try {
      const op = await send<OperationStarted>('POST', '/api/releases', body());
      setLog([`deploying through ${op.via === 'operator' ? 'the opm operator (ModuleRelease)' : 'opm apply'}…`]);
      const end = await follow(op.operation, (l) => setLog((x) => [...x, l]));
      setOutcome(end.state === 'succeeded' ? { ok: true, text: end.result?.unchanged ? `Release ${relName} unchanged (revision ${String(end.result?.revision ?? '')} stays deployed).` : `Release ${relName} deployed (revision ${String(end.result?.revision ?? '')}).` } : { ok: false, text: end.error ?? 'failed' });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const download = preview ? URL.createObjectURL(new Blob([preview.file], { type: 'text/plain' })) : undefined;

  return (
    <form
      class="card"
      aria-labelledby="form-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void doDeploy();
      }}
    >
      <h2 id="form-title">{edit ? `Edit release ${edit.name}` : 'New release'}</h2>
      {edit && <p>Secret values are never shown again: type them anew to change them (a required secret must be given).</p>}
      <div class="field">
        <label for="release-name">Release name</label>
        <input id="release-name" name="name" required readOnly={!!edit} value={relName} aria-invalid={!!nameProblem} aria-describedby="release-name-error" onInput={(e) => setRelName((e.target as HTMLInputElement).value)} />
        <span class="error" id="release-name-error">
          {nameProblem}
        </span>
      </div>
      <div class="field">
        <label for="release-namespace">Namespace</label>
        <input id="release-namespace" name="namespace" list="namespaces" required readOnly={!!edit} value={namespace} aria-invalid={!!nsProblem} aria-describedby="release-namespace-hint release-namespace-error" onInput={(e) => setNamespace((e.target as HTMLInputElement).value)} />
        <datalist id="namespaces">
          {namespaces.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <span class="hint" id="release-namespace-hint">
          {env ? `environment ${env.name} (${env.tier})` : choices ? `one of: ${namespaces.join(', ') || '(none: RBAC lets you create releases in no namespace of the platform)'}` : choicesError || 'loading the namespaces you may use…'}
        </span>
        <span class="error" id="release-namespace-error">
          {nsProblem}
        </span>
      </div>
      {env && [...env.requiredLabels.map((k) => ['label', k] as const), ...env.requiredAnnotations.map((k) => ['annotation', k] as const)].map(([what, k]) => (
        <div class="field" key={`${what}-${k}`}>
          <label for={`meta-${what}-${k}`}>
            {what} {k}
          </label>
          <input id={`meta-${what}-${k}`} required value={meta[k] ?? ''} onInput={(e) => setMeta((m) => ({ ...m, [k]: (e.target as HTMLInputElement).value }))} />
        </div>
      ))}
      <fieldset>
        <legend>values</legend>
        <Group node={schema} raw={raw} set={set} problems={byPath} />
      </fieldset>
      <div role="status" aria-live="polite" class="problems" id="problems">
        {problems.length > 0 && `${problems.length} value${problems.length === 1 ? '' : 's'} to fix: ${problems.map((p) => p.message).join('; ')}`}
        {problems.filter((p) => !leaves.some((l) => l.path === p.path)).map((p) => (
          <p key={p.message}>{p.message}</p>
        ))}
      </div>
      <div role="status" aria-live="polite" class="problems" id="policy-problems" aria-busy={canRender && !policyNow}>
        {canRender && !policyNow && <p class="hint">Checking the platform's policy on the rendered objects…</p>}
        {policyNow && policyNow.length > 0 && (
          <>
            <p>Platform policy (checked in your browser, as opm release vet does):</p>
            {policyNow.map((p) => (
              <p key={p.message}>{p.message}</p>
            ))}
          </>
        )}
      </div>
      <div role="alert" class="problems" id="server-problems">
        {serverProblems.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </div>
      <div class="actions">
        <button type="button" disabled={!ready || busy} onClick={() => void doPreview()}>
          Preview
        </button>
        <button type="submit" class="primary" disabled={!ready || busy}>
          Deploy
        </button>
      </div>
      {preview && (
        <section aria-labelledby="preview-title">
          <h3 id="preview-title">Preview</h3>
          {preview.warnings.map((w) => (
            <p key={w}>warning: {w}</p>
          ))}
          <h4>
            Release file <a href={download} download={preview.fileName}>download {preview.fileName}</a>
          </h4>
          <pre id="release-file">{preview.file}</pre>
          <h4>Manifests (secrets masked)</h4>
          <pre id="manifests">{preview.manifests}</pre>
        </section>
      )}
      {log.length > 0 && (
        <section aria-labelledby="progress-title">
          <h3 id="progress-title">Progress</h3>
          <div class="log" role="log" aria-live="polite">
            {log.join('\n')}
          </div>
        </section>
      )}
      {outcome && (
        <p role="alert" id="outcome" class={outcome.ok ? 'status-Ready' : 'status-Failed'}>
          {outcome.text} {outcome.ok && <a href={`#/releases/${namespace}/${relName}`}>Open release {relName}</a>}
        </p>
      )}
    </form>
  );
}
