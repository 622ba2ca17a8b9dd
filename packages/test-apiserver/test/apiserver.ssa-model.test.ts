// Model-based check of server-side apply ownership on ConfigMap data (a granular map): random sequences of
// applies by two managers, with and without force, compared against a small reference model of the
// structured-merge-diff rules (conflict iff another owner holds a different value; force takes ownership;
// equal values share ownership; a field a manager stops applying disappears once nobody owns it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
beforeAll(async () => {
  api = await startTestApiServer();
});
afterAll(async () => {
  await api?.close();
});

type Cfg = Record<string, string>;
interface Step {
  m: 'alpha' | 'beta';
  cfg: Cfg;
  force: boolean;
}

async function mergePatch(name: string, patch: Record<string, string | null>) {
  const res = await fetch(`${api.url}/api/v1/namespaces/default/configmaps/${name}?fieldManager=editor`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ data: patch }),
  });
  return { code: res.status, body: (await res.json()) as any };
}

async function apply(name: string, s: Step) {
  const res = await fetch(`${api.url}/api/v1/namespaces/default/configmaps/${name}?fieldManager=${s.m}${s.force ? '&force=true' : ''}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/apply-patch+yaml' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: s.cfg }),
  });
  return { code: res.status, body: (await res.json()) as any };
}

let counter = 0;

describe('server-side apply model', () => {
  it('matches the reference ownership model for random apply sequences', async () => {
    const edit = fc.record({ edit: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom<string | null>('1', '3', null)) });
    const step = fc.record({
      m: fc.constantFrom<'alpha' | 'beta'>('alpha', 'beta'),
      cfg: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom('1', '2')),
      force: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(step, step, edit), { minLength: 1, maxLength: 7 }), async (steps) => {
        const name = `m${counter++}`;
        const live: Cfg = {};
        const owners: Record<string, Set<string>> = {};
        let rv: string | undefined;
        let exists = false;
        for (const st of steps) {
          if ('edit' in st) {
            // an Update (merge patch) by "editor": takes the fields it changes, never conflicts
            const r = await mergePatch(name, st.edit);
            if (!exists) {
              expect(r.code).toBe(404);
              continue;
            }
            for (const [k, v] of Object.entries(st.edit)) {
              if (v === null) {
                delete live[k];
                delete owners[k];
              } else if (live[k] !== v) {
                live[k] = v;
                owners[k] = new Set(['editor']);
              }
            }
            expect(r.body.data ?? {}).toEqual(live);
            rv = r.body.metadata.resourceVersion;
            continue;
          }
          const s = st;
          const conflicts = Object.keys(s.cfg).filter(
            (k) => live[k] !== undefined && live[k] !== s.cfg[k] && [...(owners[k] ?? [])].some((o) => o !== s.m),
          );
          const r = await apply(name, s);
          if (conflicts.length && !s.force) {
            expect(r.code).toBe(409);
            // one cause per (field, other owner)
            const expected = conflicts.flatMap((k) => [...owners[k]!].filter((o) => o !== s.m).map((o) => `${o}:.data.${k}`)).sort();
            const got = r.body.details.causes.map((c: any) => `${/"(.*)"/.exec(c.message)![1]}:${c.field}`).sort();
            expect(got).toEqual(expected);
            continue;
          }
          exists = true;
          const before = { ...live };
          const had = Object.keys(owners).filter((k) => owners[k]!.has(s.m));
          for (const [k, v] of Object.entries(s.cfg)) {
            if (live[k] !== v) owners[k] = new Set([s.m]);
            else (owners[k] ??= new Set()).add(s.m);
            live[k] = v;
          }
          for (const k of had) {
            if (k in s.cfg) continue;
            owners[k]!.delete(s.m);
            if (owners[k]!.size === 0) {
              delete owners[k];
              delete live[k];
            }
          }
          expect([r.code === 200 || r.code === 201, r.body.data ?? {}]).toEqual([true, live]);
          const owned = (m: string) =>
            Object.keys((r.body.metadata.managedFields ?? []).find((e: any) => e.manager === m)?.fieldsV1?.['f:data'] ?? {})
              .filter((k) => k !== '.') // an Update that creates `data` also owns the map itself
              .map((k) => k.slice(2))
              .sort();
          for (const m of ['alpha', 'beta', 'editor']) expect([m, owned(m)]).toEqual([m, Object.keys(owners).filter((k) => owners[k]!.has(m)).sort()]);
          const changed = JSON.stringify(before) !== JSON.stringify(live);
          if (rv !== undefined && !changed && had.sort().join() === Object.keys(owners).filter((k) => owners[k]!.has(s.m)).sort().join()) {
            expect(r.body.metadata.resourceVersion).toBe(rv);
          }
          rv = r.body.metadata.resourceVersion;
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('server-side apply model: associative lists', () => {
  it('merges and prunes containers by name across two appliers like the reference model', async () => {
    const containerSet = fc.uniqueArray(fc.record({ name: fc.constantFrom('x', 'y', 'z'), image: fc.constantFrom('i:1', 'i:2') }), {
      selector: (c) => c.name,
      maxLength: 3,
    });
    const step = fc.record({ m: fc.constantFrom('alpha', 'beta'), containers: containerSet, force: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const name = `l${counter++}`;
        const live = new Map<string, string>(); // container name -> image
        const itemOwners = new Map<string, Set<string>>();
        const imageOwners = new Map<string, Set<string>>();
        for (const s of steps) {
          const body = {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name },
            spec: { selector: { matchLabels: { app: 'l' } }, template: { metadata: { labels: { app: 'l' } }, spec: { containers: s.containers } } },
          };
          const res = await fetch(`${api.url}/apis/apps/v1/namespaces/default/deployments/${name}?fieldManager=${s.m}${s.force ? '&force=true' : ''}`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/apply-patch+yaml' },
            body: JSON.stringify(body),
          });
          const r = (await res.json()) as any;
          const conflicts = s.containers.filter(
            (c) => live.has(c.name) && live.get(c.name) !== c.image && [...(imageOwners.get(c.name) ?? [])].some((o) => o !== s.m),
          );
          if (conflicts.length && !s.force) {
            expect(res.status).toBe(409);
            continue;
          }
          // expected result
          const next = new Map(live);
          const nItems = new Map([...itemOwners].map(([k, v]) => [k, new Set(v)]));
          const nImages = new Map([...imageOwners].map(([k, v]) => [k, new Set(v)]));
          for (const c of s.containers) {
            if (next.get(c.name) !== c.image) nImages.set(c.name, new Set([s.m]));
            else nImages.get(c.name)!.add(s.m);
            next.set(c.name, c.image);
            if (!nItems.has(c.name)) nItems.set(c.name, new Set());
            nItems.get(c.name)!.add(s.m);
          }
          for (const [n, o] of itemOwners) {
            if (!o.has(s.m) || s.containers.some((c) => c.name === n)) continue;
            nItems.get(n)!.delete(s.m);
            nImages.get(n)?.delete(s.m);
            if (nItems.get(n)!.size === 0) {
              nItems.delete(n);
              nImages.delete(n);
              next.delete(n);
            }
          }
          // a leaf the applier stops applying goes away when nobody else owns it, even inside an item another
          // manager keeps (e.g. an image taken over with force): the container then has no image
          const imageless = [...next.keys()].some((n) => (nImages.get(n)?.size ?? 0) === 0);
          if (next.size === 0 || imageless) {
            // a Deployment needs at least one container, and containers need an image
            expect(res.status).toBe(422);
            continue;
          }
          expect(res.status === 200 || res.status === 201).toBe(true);
          const got = Object.fromEntries(r.spec.template.spec.containers.map((c: any) => [c.name, c.image]));
          expect(got).toEqual(Object.fromEntries(next));
          live.clear();
          for (const [k, v] of next) live.set(k, v);
          itemOwners.clear();
          for (const [k, v] of nItems) itemOwners.set(k, v);
          imageOwners.clear();
          for (const [k, v] of nImages) imageOwners.set(k, v);
        }
      }),
      { numRuns: 30 },
    );
  });
});
