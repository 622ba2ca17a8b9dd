// `opm release list|status|history` as a user runs them: a fresh process each
// time, over HTTPS (the test API server with a self-signed certificate) to a
// namespace (development) holding one release with 2 revisions. No kubectl runs on these
// machines, so its stand-in measured in the same rounds is bench/peers/kube-get.js:
// plain Node reading the kubeconfig and making one HTTPS GET (the floor of a
// `kubectl get` written in Node). Also in the same rounds: the same GET made
// with @kubernetes/client-node, and `node -e 0`. Target (issue 12 item 12):
// each command within 2x the peer.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { coldProcessesStatsAsync, fmt } from './lib.js';

const { startTestApiServer } = await import('../packages/test-apiserver/dist/index.js');

const root = fileURLToPath(new URL('..', import.meta.url));
const opm = fileURLToPath(new URL('../packages/cli/bin/opm.js', import.meta.url));
const peer = fileURLToPath(new URL('./peers/kube-get.js', import.meta.url));
const peerClientNode = fileURLToPath(new URL('./peers/kube-get-client-node.js', import.meta.url));

const api = await startTestApiServer({ tls: true, controllers: true, namespace: 'development' });
api.store.write({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'development' } });
const env = { ...process.env, KUBECONFIG: api.kubeconfigPath, NO_COLOR: '1' };
// Two revisions of the development example, applied by opm itself (in a child process, so this one keeps serving).
const apply = (replicas) =>
  new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [opm, 'release', 'apply', 'examples/releases/web-app-dev.cue', '-n', 'development', '--set', `replicas=${replicas}`], { cwd: root, env });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`opm release apply exited ${code}:\n${out}`))));
  });
await apply(1);
await apply(2);

const stats = await coldProcessesStatsAsync(
  {
    list: [opm, 'release', 'list', '-n', 'development'],
    status: [opm, 'release', 'status', 'web-app-dev', '-n', 'development'],
    history: [opm, 'release', 'history', 'web-app-dev', '-n', 'development'],
    peer: [peer, '/api/v1/namespaces/development/secrets?labelSelector=opm.dev%2Fowner%3Dopm'],
    'peer (client-node)': [peerClientNode, 'development', 'opm.dev/owner=opm'],
    'node -e 0': ['-e', '0'],
  },
  { runs: 7, cwd: root, env },
);
await api.close();

const p = stats.peer;
const cpu = (s) => (s.cpu === undefined ? '' : `, cpu ${fmt(s.cpu)}`);
const ratio = (s) => `${(s.wall / p.wall).toFixed(2)}x wall${s.cpu !== undefined && p.cpu ? `, ${(s.cpu / p.cpu).toFixed(2)}x cpu` : ''}`;
console.log('fresh processes, 7 rounds of every case in turn; medians; ratio to the peer (plain Node, one HTTPS GET)');
for (const [name, s] of Object.entries(stats)) {
  const target = ['list', 'status', 'history'].includes(name) ? ` (target <= 2x: ${s.wall <= 2 * p.wall ? 'met' : 'NOT met'})` : '';
  console.log(`  ${name.padEnd(20)} ${fmt(s.wall)}${cpu(s)}  ${name === 'peer' ? '' : ratio(s)}${target}`);
}
