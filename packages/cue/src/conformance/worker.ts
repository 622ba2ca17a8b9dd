// Worker thread entry: runs archives one at a time for the supervisor in
// runner.ts, which enforces the time bound by terminating this thread.
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { runArchive } from './archive.js';
import { estimateAssertions } from './estimate.js';
import type { Engine } from './types.js';

export interface WorkerRequest {
  id: number;
  name: string;
  path: string;
}

export type WorkerMessage =
  | { id: number; type: 'plan'; planned: import('./types.js').AssertionResult[] }
  | { id: number; type: 'done'; result: import('./types.js').FileResult }
  | { id: -1; type: 'ready' }
  | { id: -1; type: 'fatal'; error: string };

const port = parentPort!;
const { engineModule } = workerData as { engineModule: string };

let engine: Engine;
try {
  engine = (await import(engineModule)) as Engine;
  if (typeof engine.newContext !== 'function') throw new Error(`${engineModule} does not export newContext()`);
  port.postMessage({ id: -1, type: 'ready' } satisfies WorkerMessage);
} catch (err) {
  port.postMessage({ id: -1, type: 'fatal', error: (err as Error).message } satisfies WorkerMessage);
  process.exit(1);
}

port.on('message', async (req: WorkerRequest) => {
  const text = await readFile(req.path, 'utf8');
  let result;
  try {
    result = await runArchive(engine, req.name, text, (planned) => port.postMessage({ id: req.id, type: 'plan', planned } satisfies WorkerMessage));
  } catch (err) {
    const msg = `runner error: ${(err as Error).message ?? String(err)}`;
    result = { file: req.name, assertions: estimateAssertions(text, msg), error: msg, ms: 0 };
  }
  port.postMessage({ id: req.id, type: 'done', result } satisfies WorkerMessage);
});
