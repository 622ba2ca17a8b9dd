// Long actions (deploy, rollback, scale, delete) run in the background as
// operations: the POST answers 202 with an id at once, and the page follows
// the progress lines and the result over server-sent events. Only the user
// who started an operation can read it. Bounded: the newest operations and
// the last lines of each are kept.
import { randomBytes } from 'node:crypto';
import type { Reporter } from '@opm/kube';
import type { OperationAnswer } from './api-types.js';

export type OperationState = OperationAnswer['state'];
export type OperationView = OperationAnswer;

interface Operation extends OperationView {
  owner: string;
  listeners: Set<(event: string, data: unknown) => void>;
}

const MAX_OPERATIONS = 200;
const MAX_LINES = 500;

export class Operations {
  private readonly ops = new Map<string, Operation>();

  start(
    owner: string,
    kind: string,
    release: { namespace: string; name: string },
    run: (reporter: Reporter) => Promise<unknown>,
    describeError: (e: unknown) => string,
  ): OperationView {
    const op: Operation = { id: randomBytes(12).toString('base64url'), kind, release, state: 'running', lines: [], startedAt: new Date().toISOString(), owner, listeners: new Set() };
    this.ops.set(op.id, op);
    while (this.ops.size > MAX_OPERATIONS) {
      const oldest = [...this.ops.values()].find((o) => o.state !== 'running');
      if (!oldest) break;
      this.ops.delete(oldest.id);
    }
    const emit = (event: string, data: unknown) => {
      for (const l of op.listeners) l(event, data);
    };
    const line = (t: string) => {
      op.lines.push(t);
      if (op.lines.length > MAX_LINES) op.lines.shift();
      emit('line', t);
    };
    const reporter: Reporter = { line, progress: (t) => t && emit('progress', t) };
    void (async () => {
      try {
        op.result = (await run(reporter)) as Record<string, unknown>;
        op.state = 'succeeded';
      } catch (e) {
        op.error = describeError(e);
        op.state = 'failed';
      }
      op.endedAt = new Date().toISOString();
      emit('end', view(op));
    })();
    return view(op);
  }

  get(owner: string, id: string): OperationView | undefined {
    const op = this.ops.get(id);
    return op && op.owner === owner ? view(op) : undefined;
  }

  /** Calls `f` for every later event; returns the unsubscribe function. */
  subscribe(owner: string, id: string, f: (event: string, data: unknown) => void): (() => void) | undefined {
    const op = this.ops.get(id);
    if (!op || op.owner !== owner) return undefined;
    op.listeners.add(f);
    return () => op.listeners.delete(f);
  }

  /** Resolves when every running operation has ended (server shutdown). */
  async settle(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while ([...this.ops.values()].some((o) => o.state === 'running') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  }
}

function view(op: Operation): OperationView {
  const { owner: _o, listeners: _l, ...rest } = op;
  return { ...rest, lines: [...rest.lines] };
}
