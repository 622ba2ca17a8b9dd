// Text and JSON reports of a conformance run.
import { totals, type FileResult, type Totals } from './types.js';

/** `PASS|FAIL path  (passed/counted)`; `verbose` appends unsupported/skipped counts and timeouts. */
export function fileLine(r: FileResult, verbose = false): string {
  const t = totals(r.assertions);
  const status = t.failed > 0 || (r.error !== undefined && t.passed === 0 && t.failed + t.unsupported === 0) ? 'FAIL' : 'PASS';
  const extra = [t.unsupported ? `${t.unsupported} unsupported` : '', t.skipped ? `${t.skipped} skipped` : '', r.timedOut ? 'timed out' : ''].filter(Boolean);
  return `${status} ${r.file}  (${t.passed}/${t.passed + t.failed})${verbose && extra.length ? ` [${extra.join(', ')}]` : ''}`;
}

export function failureDetails(r: FileResult): string[] {
  const out: string[] = [];
  if (r.error) out.push(`    error: ${r.error}`);
  for (const a of r.assertions) {
    if (a.status !== 'fail') continue;
    out.push(`    ${a.at} ${a.path} ${a.directive}: ${a.message ?? ''}`);
    out.push(`      ${a.text}`);
  }
  return out;
}

export function summaryLine(results: FileResult[]): string {
  const t = totals(results.flatMap((r) => r.assertions));
  return `conformance: ${t.passed} passed, ${t.failed} failed, ${t.unsupported} unsupported`;
}

export interface JsonReport {
  dir: string;
  totals: Totals;
  directories: Record<string, Totals>;
  files: (FileResult & { totals: Totals })[];
}

export function jsonReport(dir: string, results: FileResult[]): JsonReport {
  const dirs: Record<string, Totals> = {};
  for (const r of results) {
    const d = r.file.includes('/') ? r.file.slice(0, r.file.lastIndexOf('/')) : '.';
    const t = totals(r.assertions);
    const acc = (dirs[d] ??= { passed: 0, failed: 0, unsupported: 0, skipped: 0 });
    acc.passed += t.passed;
    acc.failed += t.failed;
    acc.unsupported += t.unsupported;
    acc.skipped += t.skipped;
  }
  return {
    dir,
    totals: totals(results.flatMap((r) => r.assertions)),
    directories: dirs,
    files: results.map((r) => ({ ...r, totals: totals(r.assertions) })),
  };
}

/** Per-directory totals as text lines (for the end of a verbose run). */
export function directoryLines(results: FileResult[]): string[] {
  const rep = jsonReport('', results);
  return Object.entries(rep.directories).map(([d, t]) => `  ${d.padEnd(20)} ${t.passed} passed, ${t.failed} failed, ${t.unsupported} unsupported`);
}
