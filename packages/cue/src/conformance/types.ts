import type { Context } from '../api.js';

/** What the runner needs of the engine; injected so the runner can be tested and reused. */
export interface Engine {
  newContext(): Context;
}

/** pass/fail/unsupported are counted; skipped (skip, todo, other versions) is listed only. */
export type Status = 'pass' | 'fail' | 'unsupported' | 'skipped';

export interface AssertionResult {
  /** CUE path of the field, `(file level)` for file-level attributes. */
  path: string;
  directive: string;
  status: Status;
  /** `file:line:col` of the attribute. */
  at: string;
  /** The attribute as written (shortened). */
  text: string;
  message?: string;
  /** Secondary mismatches that do not decide the outcome (error text, positions). */
  notes?: string[];
}

export interface FileResult {
  /** Path of the archive relative to the corpus directory, '/'-separated. */
  file: string;
  assertions: AssertionResult[];
  /** Set when the archive could not be run at all (build failure, crash, timeout). */
  error?: string;
  timedOut?: boolean;
  ms: number;
}

export interface Totals {
  passed: number;
  failed: number;
  unsupported: number;
  skipped: number;
}

export function totals(results: AssertionResult[]): Totals {
  const t: Totals = { passed: 0, failed: 0, unsupported: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === 'pass') t.passed++;
    else if (r.status === 'fail') t.failed++;
    else if (r.status === 'unsupported') t.unsupported++;
    else t.skipped++;
  }
  return t;
}
