// The portal's web app: a hash router over four pages (catalog, module with
// its release form, releases, release detail). Preact: small (a few KB),
// React's API, no build step beyond JSX.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session, type Session } from './api.js';
import { Catalog } from './catalog.js';
import { ModulePage } from './release-form.js';
import { EditRelease, ReleaseDetail, Releases } from './releases.js';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Page({ hash }: { hash: string }) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'modules' && parts.length === 3) return <ModulePage name={parts[1]!} version={parts[2]!} />;
  if (parts[0] === 'releases' && parts.length === 4 && parts[3] === 'edit') return <EditRelease namespace={parts[1]!} name={parts[2]!} />;
  if (parts[0] === 'releases' && parts.length === 3) return <ReleaseDetail namespace={parts[1]!} name={parts[2]!} />;
  if (parts[0] === 'releases') return <Releases />;
  return <Catalog />;
}

function App() {
  const hash = useHash();
  const [me, setMe] = useState<Session | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    session().then(setMe, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    // Focus moves to the new page's heading, so keyboard and screen reader users land on it.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
  }, [hash]);
  return (
    <>
      <header>
        <strong>opm portal</strong>
        <nav aria-label="main">
          <a href="#/">Catalog</a> · <a href="#/releases">Releases</a>
        </nav>
        {me && <span class="user">{me.user}</span>}
      </header>
      <main>
        {error ? <p role="alert">{error}</p> : me ? <Page hash={hash} /> : <p>Loading…</p>}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
