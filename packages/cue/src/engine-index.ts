// Public entry of the native CUE engine: `newContext()` returns a Context
// (see api.ts) backed by the evaluator in eval/.
import type { Context } from './api.js';
import { ContextImpl } from './context.js';

export function newContext(): Context {
  return new ContextImpl();
}

export { ContextImpl } from './context.js';
export { ValueImpl } from './value.js';
export { ANY_STRING } from './api.js';
export { defaultLimits, setLimits, type Limits } from './eval/limits.js';
