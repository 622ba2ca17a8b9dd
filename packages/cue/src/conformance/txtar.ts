// The txtar archive format (golang.org/x/tools/txtar): a free-text comment,
// then files, each introduced by a line `-- NAME --`.

export interface TxtarFile {
  name: string;
  data: string;
  /** 1-based line of the `-- NAME --` marker in the archive. */
  line: number;
}

export interface Txtar {
  comment: string;
  files: TxtarFile[];
}

const marker = /^-- (.+?) --\s*$/;

export function parseTxtar(text: string): Txtar {
  const lines = text.split('\n');
  const files: TxtarFile[] = [];
  const comment: string[] = [];
  let cur: { name: string; line: number; lines: string[] } | undefined;
  const flush = () => {
    if (!cur) return;
    let data = cur.lines.join('\n');
    // Each line of a section ends with a newline; the join drops the last one.
    if (cur.lines.length) data += '\n';
    files.push({ name: cur.name, data, line: cur.line });
  };
  lines.forEach((l, i) => {
    const m = marker.exec(l);
    if (m) {
      flush();
      cur = { name: m[1]!.trim(), line: i + 1, lines: [] };
    } else if (cur) cur.lines.push(l);
    else comment.push(l);
  });
  // A trailing newline at the end of the archive does not start a new line.
  if (cur && cur.lines.length && cur.lines[cur.lines.length - 1] === '') cur.lines.pop();
  else if (!cur && comment.length && comment[comment.length - 1] === '') comment.pop();
  flush();
  return { comment: comment.length ? `${comment.join('\n')}\n` : '', files };
}
