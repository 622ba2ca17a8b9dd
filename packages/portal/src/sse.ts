// Server-sent events: one `event:`/`data:` frame per message, a comment every
// 15 s so proxies keep the stream open, and an end when the client leaves.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  readonly closed: boolean;
  onClose(f: () => void): void;
}

const KEEPALIVE_MS = 15_000;

export function openEventStream(req: IncomingMessage, res: ServerResponse): EventStream {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': opm portal\n\n');
  let closed = false;
  const listeners: (() => void)[] = [];
  const keep = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
  keep.unref();
  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(keep);
    for (const f of listeners) f();
    res.end();
  };
  req.on('close', end);
  return {
    send(event, data) {
      if (closed) return;
      // JSON has no raw newlines, so one data: line per message.
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close: end,
    get closed() {
      return closed;
    },
    onClose(f) {
      if (closed) f();
      else listeners.push(f);
    },
  };
}
