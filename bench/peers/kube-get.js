// The peer of `opm release list|status|history` in bench/release-cli.bench.js:
// what `kubectl get` does at the least, in plain Node: read the kubeconfig
// ($KUBECONFIG, YAML), take the current context, and make one HTTPS GET of
// the path given (CA from the kubeconfig, bearer token), printing the number
// of items. No Kubernetes client library: the floor a CLI written in Node
// could reach.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse } from 'yaml';

const cfg = parse(readFileSync(process.env.KUBECONFIG, 'utf8'));
const ctx = cfg.contexts.find((c) => c.name === cfg['current-context']).context;
const cluster = cfg.clusters.find((c) => c.name === ctx.cluster).cluster;
const user = cfg.users.find((u) => u.name === ctx.user).user;
const url = new URL(process.argv[2], cluster.server);
const ca = cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64') : undefined;
const req = request(url, { headers: { authorization: `Bearer ${user.token}`, accept: 'application/json' }, ca }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (d) => (body += d));
  res.on('end', () => {
    if (res.statusCode !== 200) {
      console.error(`GET ${url.pathname}: ${res.statusCode} ${body}`);
      process.exit(1);
    }
    console.log(`${JSON.parse(body).items?.length ?? 1} items`);
  });
});
req.on('error', (e) => {
  console.error(e.message);
  process.exit(1);
});
req.end();
