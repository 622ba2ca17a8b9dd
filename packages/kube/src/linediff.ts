// A small unified line diff (LCS based), enough for manifests of a few
// thousand lines; no diff library is installed in the workspace.
export type DiffOp = { op: ' ' | '-' | '+'; line: string };

const MAX_CELLS = 16_000_000;

export function diffLines(a: string[], b: string[]): DiffOp[] {
  // Trim the common prefix and suffix first: manifests mostly change in a few places.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffOp[] = a.slice(0, start).map((line) => ({ op: ' ', line }));
  const ma = a.slice(start, endA);
  const mb = b.slice(start, endB);
  const n = ma.length;
  const m = mb.length;
  if (n * m > MAX_CELLS) {
    // Too big to align: show it as a replacement rather than spend minutes.
    for (const line of ma) out.push({ op: '-', line });
    for (const line of mb) out.push({ op: '+', line });
  } else {
    // lcs[i][j] = LCS length of ma[i..] and mb[j..]
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = ma[i] === mb[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && ma[i] === mb[j]) {
        out.push({ op: ' ', line: ma[i]! });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // Removals before additions on ties, as diff -u prints them.
        out.push({ op: '-', line: ma[i]! });
        i++;
      } else {
        out.push({ op: '+', line: mb[j]! });
        j++;
      }
    }
  }
  for (const line of a.slice(endA)) out.push({ op: ' ', line });
  return out;
}

/** `diff -u` output; '' when equal. */
export function unifiedDiff(a: string, b: string, fromName: string, toName: string, context = 3): string {
  const la = a === '' ? [] : a.replace(/\n$/, '').split('\n');
  const lb = b === '' ? [] : b.replace(/\n$/, '').split('\n');
  const ops = diffLines(la, lb);
  if (!ops.some((o) => o.op !== ' ')) return '';
  const lines = [`--- ${fromName}`, `+++ ${toName}`];
  // Positions (1-based line numbers in a and b) of each op.
  const posA: number[] = [];
  const posB: number[] = [];
  let pa = 1;
  let pb = 1;
  for (const o of ops) {
    posA.push(pa);
    posB.push(pb);
    if (o.op !== '+') pa++;
    if (o.op !== '-') pb++;
  }
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.op === ' ') {
      k++;
      continue;
    }
    const from = Math.max(0, k - context);
    let to = k;
    // Extend the hunk while changes are within 2*context lines of each other.
    for (;;) {
      while (to < ops.length && ops[to]!.op !== ' ') to++;
      let next = to;
      while (next < ops.length && ops[next]!.op === ' ' && next - to < 2 * context) next++;
      if (next < ops.length && ops[next]!.op !== ' ' && next - to <= 2 * context) to = next;
      else break;
    }
    const end = Math.min(ops.length, to + context);
    const hunk = ops.slice(from, end);
    const countA = hunk.filter((o) => o.op !== '+').length;
    const countB = hunk.filter((o) => o.op !== '-').length;
    const startA = countA === 0 ? posA[from]! - 1 : posA[from]!;
    const startB = countB === 0 ? posB[from]! - 1 : posB[from]!;
    lines.push(`@@ -${startA},${countA} +${startB},${countB} @@`);
    for (const o of hunk) lines.push(`${o.op}${o.line}`);
    k = end;
  }
  return lines.join('\n') + '\n';
}
