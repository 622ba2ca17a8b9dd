// The catalog page: every module with its versions and description.
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';
import type { CatalogList, ModuleSummary as Module } from '../src/api-types.js';

export function Catalog() {
  const [mods, setMods] = useState<Module[] | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    get<CatalogList>('/api/catalog').then(
      (c) => {
        setMods(c.modules);
        requestAnimationFrame(() => performance.mark('opm:catalog-ready'));
      },
      (e: Error) => setError(e.message),
    );
  }, []);
  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title" tabIndex={-1}>Catalog</h1>
      {error && <p role="alert">{error}</p>}
      {!mods && !error && <p>Loading…</p>}
      {mods?.map((m) => (
        <article class="card" key={m.name}>
          <h2>{m.name}</h2>
          {m.description && <p>{m.description}</p>}
          <p>
            Versions:{' '}
            {m.versions.map((v, i) => (
              <span key={v}>
                {i > 0 && ', '}
                <a href={`#/modules/${encodeURIComponent(m.name)}/${encodeURIComponent(v)}`} aria-label={`${m.name} ${v}`}>
                  {v}
                </a>
              </span>
            ))}
          </p>
        </article>
      ))}
    </section>
  );
}
