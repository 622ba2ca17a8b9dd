// The registry of CUE's builtin packages, keyed by import path.
import type { BuiltinPackage } from './types.js';
import { bitsPackage } from './bits.js';
import { hmacPackage, md5Package, sha1Package, sha256Package, sha512Package } from './crypto.js';
import { csvPackage } from './csv.js';
import { ed25519Package } from './ed25519.js';
import { base64Package, hexPackage } from './encoding.js';
import { htmlPackage } from './html.js';
import { jsonPackage } from './json.js';
import { listPackage } from './list.js';
import { mathPackage } from './math.js';
import { netPackage } from './net.js';
import { pathPackage } from './path.js';
import { regexpPackage } from './regexp.js';
import { strconvPackage } from './strconv.js';
import { stringsPackage } from './strings.js';
import { structPackage } from './struct.js';
import { timePackage } from './time.js';
import { templatePackage } from './template.js';
import { uuidPackage } from './uuid.js';
import { yamlPackage } from './yaml.js';

export type { Arg, BuiltinContext, BuiltinErrorOptions, BuiltinFunc, BuiltinPackage, Concrete, CStruct, Opaque, ParamKind } from './types.js';
export { BuiltinError } from './types.js';

const all: BuiltinPackage[] = [
  stringsPackage,
  listPackage,
  mathPackage,
  bitsPackage,
  strconvPackage,
  structPackage,
  regexpPackage,
  jsonPackage,
  yamlPackage,
  base64Package,
  hexPackage,
  csvPackage,
  md5Package,
  sha1Package,
  sha256Package,
  sha512Package,
  hmacPackage,
  ed25519Package,
  uuidPackage,
  pathPackage,
  htmlPackage,
  netPackage,
  timePackage,
  templatePackage,
];

export const builtinPackages: Map<string, BuiltinPackage> = new Map(all.map((p) => [p.path, p]));
