// The registry of CUE's builtin packages, keyed by import path.
import type { BuiltinPackage } from './types.js';
import { bitsPackage } from './bits.js';
import { listPackage } from './list.js';
import { mathPackage } from './math.js';
import { strconvPackage } from './strconv.js';
import { stringsPackage } from './strings.js';
import { structPackage } from './struct.js';

export type { Arg, BuiltinContext, BuiltinFunc, BuiltinPackage, Concrete, CStruct, Opaque, ParamKind } from './types.js';
export { BuiltinError } from './types.js';

const all: BuiltinPackage[] = [stringsPackage, listPackage, mathPackage, bitsPackage, strconvPackage, structPackage];

export const builtinPackages: Map<string, BuiltinPackage> = new Map(all.map((p) => [p.path, p]));
