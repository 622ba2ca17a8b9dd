// Runs before `npm test`: the tests use a few programs that npm does not install.
// On a fresh Debian machine where we are root, install the missing ones with apt-get,
// so the README's test command is enough; anywhere else, name what is missing and how
// to get it, and fail before any test runs rather than in the middle of the suite.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// program → [Debian package, what needs it]
const TOOLS = [
  ['docker-registry', 'docker-registry', 'the OCI tests run against a real registry on 127.0.0.1'],
  ['openssl', 'openssl', 'the test API server generates its TLS certificates with it'],
  ['chromium', 'chromium', "the browser bundle of @opm/core and the portal's web app are tested in Chromium (driven by playwright-core; no browser is downloaded)"],
];

function onPath(bin) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const missing = TOOLS.filter(([bin]) => !onPath(bin));
if (missing.length === 0) process.exit(0);

const pkgs = missing.map(([, pkg]) => pkg);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && onPath('apt-get') && process.env.OPM_TEST_NO_INSTALL !== '1') {
  console.error(`test prerequisites: installing ${pkgs.join(', ')} with apt-get (set OPM_TEST_NO_INSTALL=1 to skip)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 15 * 60_000 });
  const update = run(['update', '-qq']);
  const install = update.status === 0 ? run(['install', '-y', '-qq', '--no-install-recommends', ...pkgs]) : update;
  const still = missing.filter(([bin]) => !onPath(bin));
  if (install.status === 0 && still.length === 0) process.exit(0);
  console.error('test prerequisites: apt-get could not install everything');
}

console.error('The tests need these programs, which npm does not install:');
for (const [bin, pkg, why] of missing) {
  if (!onPath(bin)) console.error(`  ${bin} (Debian/Ubuntu: apt-get install ${pkg}): ${why}`);
}
process.exit(1);
