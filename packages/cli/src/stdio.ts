// Where opm's own output goes. process.stdout and process.stderr are stream
// objects made on first use: making one loads Node's streams, and for a pipe
// (opm's output read by another program) its socket layer too — ~25 of Node's
// own modules, a fixed cost of every cold command that `node -e 0` does not
// pay. Run as the `opm` command (bin/opm.js asks for it), output is written
// with fs.writeSync instead, whole and in order, before the command goes on.
// Otherwise (main called in-process: tests capture process.stdout.write) the
// streams are used as before.
import { writeSync } from 'node:fs';

let direct = false;
/** Descriptors whose output went to the stream: once it holds queued data, all later output goes there too (order). */
const streamed = new Set<number>();
/** Descriptors whose reader has gone (EPIPE): the rest of the output has nowhere to go. */
const closed = new Set<number>();

/** Write to file descriptors 1 and 2 directly from now on (bin/opm.js, through main). */
export function useDirectOutput(): void {
  direct = true;
}

export function writeOut(text: string): void {
  write(1, text);
}

export function writeErr(text: string): void {
  write(2, text);
}

function write(fd: 1 | 2, text: string): void {
  const stream = () => (fd === 1 ? process.stdout : process.stderr);
  if (!direct || streamed.has(fd)) {
    stream().write(text);
    return;
  }
  if (closed.has(fd)) return;
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A non-blocking descriptor (set so by whoever shares it) that is full: the
        // stream waits for it; it takes the rest of this and all later output.
        streamed.add(fd);
        stream().write(buf.subarray(off));
        return;
      }
      if (code === 'EPIPE') {
        // The reader closed its end (`opm ... | head`): as with any Unix tool, stop writing there.
        closed.add(fd);
        return;
      }
      throw e;
    }
  }
}
