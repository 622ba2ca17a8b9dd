// The one CUE context of the process: the engine caches built imports per
// context, so the core schema and catalog modules evaluate once per process.
import { newContext, type Context } from '@opm/cue';

let shared: Context | undefined;

export function cueContext(): Context {
  shared ??= newContext();
  return shared;
}
