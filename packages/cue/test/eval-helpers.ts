// Evaluating CUE snippets in tests: one shared context, JSON results, and the
// error expected at a path.
import { expect } from 'vitest';
import { newContext } from '../src/engine-index.js';
import type { Value } from '../src/api.js';

const ctx = newContext();

export function compile(src: string): Value {
  return ctx.compile({ filename: 'in.cue', text: src });
}

export function json(src: string): unknown {
  return compile(src).toJS();
}

export function errOf(src: string, path: string) {
  const v = compile(src).lookupPath(path);
  const e = v.err();
  expect(e, `expected an error at ${path}, got ${v.toCUE()}`).toBeDefined();
  return e!;
}

/** The message of the error at path, or undefined when the value there is fine. */
export function errAt(src: string, path: string): string | undefined {
  return compile(src).lookupPath(path).err()?.detail;
}

/** Every order of xs: a program's value must not depend on the order of its declarations. */
export function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}
