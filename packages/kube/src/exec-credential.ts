// Credential plugins (kubeconfig `users[].user.exec`, as cloud CLIs install
// them): client-node runs the plugin with no time limit, so a plugin that
// hangs (waiting for a login prompt, a network call of its own) hangs the
// command past --timeout. opm runs the plugin itself, under the command's
// deadline and the per-request bound: when either passes, the plugin is killed
// and the command fails naming it. Its credential (token or client
// certificate) is reused until its expirationTimestamp, one run at a time.
import { spawn } from 'node:child_process';
import type { User } from '@kubernetes/client-node';
import { ApiUnreachableError, type RequestBounds } from './http.js';
import { formatDuration } from './duration.js';

type ExecConfig = NonNullable<User['exec']>;

interface ExecCredential {
  status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string };
}

/** A plugin that failed or printed no usable credential (a configuration problem: exit 3 in the CLI). */
export class CredentialPluginError extends ApiUnreachableError {
  constructor(message: string, timedOut = false) {
    super(message, timedOut ? 'ETIMEDOUT' : 'EPLUGIN', timedOut);
    this.name = 'CredentialPluginError';
  }
}

/** The exec configuration of a user, from `exec` or the legacy `auth-provider` form. */
export function execConfigOf(user: User | null | undefined): ExecConfig | undefined {
  if (!user) return undefined;
  if (user.exec) return user.exec;
  const legacy = (user.authProvider as { config?: { exec?: ExecConfig } } | undefined)?.config?.exec;
  return legacy ?? undefined;
}

/** Longest stderr tail quoted in an error: enough to say why, not a dump. */
const STDERR_TAIL = 300;

export class ExecCredentialPlugin {
  private credential?: { status: NonNullable<ExecCredential['status']>; expires: number };
  private running?: Promise<NonNullable<ExecCredential['status']>>;

  constructor(
    private readonly userName: string,
    private readonly exec: ExecConfig,
  ) {}

  /** The current credential, running the plugin when there is none or it expired. */
  async get(bounds: RequestBounds): Promise<NonNullable<ExecCredential['status']>> {
    if (this.credential && this.credential.expires > Date.now()) return this.credential.status;
    this.running ??= this.run(bounds).finally(() => (this.running = undefined));
    return this.running;
  }

  private describe(): string {
    return `the credential plugin ${this.exec.command} of kubeconfig user ${this.userName}`;
  }

  private run(bounds: RequestBounds): Promise<NonNullable<ExecCredential['status']>> {
    const { deadline, requestTimeoutMs } = bounds;
    const perRun = AbortSignal.timeout(requestTimeoutMs);
    const signal = deadline ? AbortSignal.any([deadline.signal, perRun]) : perRun;
    if (signal.aborted) return Promise.reject(new CredentialPluginError(`${this.describe()} was not run: ${deadline?.what ?? 'the deadline'} had passed`, true));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const e of this.exec.env ?? []) env[e.name] = e.value;
    // What kubectl tells a plugin: the API version it expects, and that no one can answer a prompt.
    env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion: this.exec.apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
    return new Promise((resolve, reject) => {
      const child = spawn(this.exec.command, this.exec.args ?? [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let settled = false;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        f();
      };
      const onAbort = () => {
        // SIGKILL: a plugin stuck at a prompt or on the network is not waited for.
        child.kill('SIGKILL');
        const what = deadline?.signal.aborted ? deadline.what : formatDuration(requestTimeoutMs);
        finish(() => reject(new CredentialPluginError(`${this.describe()} did not finish within ${what}; it was stopped`, true)));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4 * STDERR_TAIL)));
      child.on('error', (e) => finish(() => reject(new CredentialPluginError(`${this.describe()} could not be run: ${e.message}`))));
      child.on('close', (code, sig) => {
        if (code !== 0) {
          const tail = stderr.trim().split('\n').slice(-3).join(' / ').slice(-STDERR_TAIL);
          finish(() => reject(new CredentialPluginError(`${this.describe()} failed (${code === null ? `signal ${sig}` : `exit code ${code}`})${tail ? `: ${tail}` : ''}`)));
          return;
        }
        let cred: ExecCredential;
        try {
          cred = JSON.parse(stdout) as ExecCredential;
        } catch {
          finish(() => reject(new CredentialPluginError(`${this.describe()} printed no ExecCredential JSON`)));
          return;
        }
        const st = cred.status;
        if (!st || (!st.token && !(st.clientCertificateData && st.clientKeyData))) {
          finish(() => reject(new CredentialPluginError(`${this.describe()} gave neither a token nor a client certificate and key`)));
          return;
        }
        // Without an expiry the credential is kept for the life of the client (kubectl keeps it for the process).
        const expires = st.expirationTimestamp ? Date.parse(st.expirationTimestamp) : Infinity;
        this.credential = { status: st, expires: Number.isNaN(expires) ? 0 : expires };
        finish(() => resolve(st));
      });
    });
  }
}
