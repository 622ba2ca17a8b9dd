// Runs every archive of a corpus directory. Each archive runs in a worker
// thread with a time bound: an engine that loops or crashes on one archive
// costs that archive's assertions (counted as failures), not the run.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runArchive } from './archive.js';
import { estimateAssertions } from './estimate.js';
import type { AssertionResult, Engine, FileResult } from './types.js';
import type { WorkerMessage, WorkerRequest } from './worker.js';

export interface RunOptions {
  /** Per-archive time bound in milliseconds (worker mode). Default 20 s. */
  timeoutMs?: number;
  /** Parallel workers. Default 1. */
  jobs?: number;
  /** Only archives whose relative path contains this string. */
  filter?: string;
  /** Run in this thread with this engine instead of workers (no time bound): for tests. */
  inProcess?: Engine;
  /** Module URL exporting newContext(), loaded by each worker. */
  engineModule?: string;
  /** Called as each archive finishes, in corpus order. */
  onFile?: (r: FileResult) => void;
}

export async function listArchives(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.txtar')) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

export async function runCorpus(dir: string, opts: RunOptions = {}): Promise<FileResult[]> {
  const paths = (await listArchives(dir)).filter((p) => !opts.filter || rel(dir, p).includes(opts.filter));
  const results: (FileResult | undefined)[] = new Array(paths.length);
  let next = 0; // next result to report, to keep output in corpus order
  const done = (i: number, r: FileResult) => {
    results[i] = r;
    // (Not `onFile?.(results[next++])`: an absent callback would skip the increment.)
    while (next < results.length && results[next]) {
      const r = results[next++]!;
      opts.onFile?.(r);
    }
  };
  if (opts.inProcess) {
    for (let i = 0; i < paths.length; i++) {
      const name = rel(dir, paths[i]!);
      const text = await readFile(paths[i]!, 'utf8');
      try {
        done(i, await runArchive(opts.inProcess, name, text));
      } catch (err) {
        const msg = `runner error: ${(err as Error).message}`;
        done(i, { file: name, assertions: estimateAssertions(text, msg), error: msg, ms: 0 });
      }
    }
    return results as FileResult[];
  }
  const engineModule = opts.engineModule ?? new URL('../engine-index.js', import.meta.url).href;
  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, paths.length));
  let queue = 0;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      const pool = new WorkerSlot(engineModule, opts.timeoutMs ?? 20_000);
      try {
        while (queue < paths.length) {
          const i = queue++;
          done(i, await pool.run(rel(dir, paths[i]!), paths[i]!));
        }
      } finally {
        await pool.close();
      }
    }),
  );
  return results as FileResult[];
}

function rel(dir: string, p: string): string {
  return relative(dir, p).split(sep).join('/');
}

/** One worker thread, replaced after a timeout or crash. */
class WorkerSlot {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private seq = 0;

  constructor(
    private readonly engineModule: string,
    private readonly timeoutMs: number,
  ) {}

  private start(): Promise<void> {
    const w = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { engineModule: this.engineModule },
      resourceLimits: { maxOldGenerationSizeMb: 1024, stackSizeMb: 8 },
      stdout: true, // engine debug output must not corrupt the report
      stderr: true,
    });
    w.stdout.resume();
    w.stderr.resume();
    this.worker = w;
    this.ready = new Promise((resolve, reject) => {
      const onMsg = (m: WorkerMessage) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') reject(new RunnerError(`cannot load the engine: ${m.error}`));
        else return;
        w.off('message', onMsg);
      };
      w.on('message', onMsg);
      w.once('error', (e) => reject(new RunnerError(`worker failed to start: ${e.message}`)));
    });
    return this.ready;
  }

  async run(name: string, path: string): Promise<FileResult> {
    if (!this.worker) await this.start();
    else await this.ready;
    const w = this.worker!;
    const id = ++this.seq;
    const started = Date.now();
    let planned: AssertionResult[] | undefined;
    return new Promise<FileResult>((resolve) => {
      const finish = (r: FileResult, kill: boolean) => {
        clearTimeout(timer);
        w.off('message', onMsg);
        w.off('error', onErr);
        w.off('exit', onExit);
        if (kill) {
          void w.terminate();
          this.worker = undefined;
        }
        resolve(r);
      };
      const lost = async (why: string, timedOut: boolean) => {
        const assertions = planned
          ? planned.map((a) => (a.status === 'pass' ? { ...a, status: 'fail' as const, message: why } : a))
          : estimateAssertions(await readFile(path, 'utf8'), why);
        const r: FileResult = { file: name, assertions, error: why, ms: Date.now() - started };
        if (timedOut) r.timedOut = true;
        finish(r, true);
      };
      const onMsg = (m: WorkerMessage) => {
        if (m.id !== id) return;
        if (m.type === 'plan') planned = m.planned;
        else if (m.type === 'done') finish(m.result, false);
      };
      const onErr = (e: Error) => void lost(`engine crashed: ${e.message}`, false);
      const onExit = (code: number) => void lost(`worker exited (code ${code})`, false);
      const timer = setTimeout(() => void lost(`timed out after ${this.timeoutMs / 1000}s`, true), this.timeoutMs);
      w.on('message', onMsg);
      w.once('error', onErr);
      w.once('exit', onExit);
      w.postMessage({ id, name, path } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    if (this.worker) await this.worker.terminate();
    this.worker = undefined;
  }
}

/** A failure of the runner itself (as opposed to the engine): main exits with 2. */
export class RunnerError extends Error {
  override name = 'RunnerError';
}
