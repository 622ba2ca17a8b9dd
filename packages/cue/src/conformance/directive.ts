// One parsed `@test(...)` attribute: the directive (first field), its version
// qualifier (`eq:v3`, `allows:todo=false`) and the remaining fields.
import { parseAttrBody, type AttrField } from './attr.js';

export interface TestDirective {
  /** e.g. eq, err, closed, allows, kind, permute, skip, todo, desc, ignore, share, shareID, debug, debugCheck, final; '' for `@test()`. */
  name: string;
  /** Version qualifier after `:` ('' when none). `todo` marks an expected-to-fail assertion. */
  version: string;
  /** Value of a `name=value` first field (closed=false, allows=false, kind=int, desc="..."), else undefined. */
  firstValue?: string;
  /** Fields after the first. */
  args: AttrField[];
  /** The attribute as written, for reports. */
  text: string;
}

/** The evaluator version this engine corresponds to: `@test(x:v3, ...)` overrides `@test(x, ...)`. */
export const ENGINE_VERSION = 'v3';

export function parseTestDirective(body: string, text: string): TestDirective {
  const fields = parseAttrBody(body);
  const first = fields[0];
  if (!first || (first.key === '' && first.raw === '')) return { name: '', version: '', args: [], text };
  const head = first.key !== '' ? first.key : first.raw;
  const colon = head.lastIndexOf(':');
  const d: TestDirective = {
    name: colon >= 0 ? head.slice(0, colon) : head,
    version: colon >= 0 ? head.slice(colon + 1) : '',
    args: fields.slice(1),
    text,
  };
  if (first.key !== '') d.firstValue = first.value;
  return d;
}

export function arg(d: TestDirective, key: string): AttrField | undefined {
  return d.args.find((a) => a.key === key);
}

export function positional(d: TestDirective): AttrField[] {
  return d.args.filter((a) => a.key === '');
}

/** Assertions that check semantics this engine must share with CUE: they count as passed or failed. */
export const SEMANTIC = new Set(['eq', 'err', 'closed', 'allows', 'kind', 'permute']);
/** Checks of Go evaluator internals (structure sharing, its debug printer): reported as unsupported. */
export function isInternal(name: string): boolean {
  return name === 'share' || name === 'shareID' || name === 'final' || name.startsWith('debug');
}
/** Directives that steer the runner and assert nothing themselves. */
export const CONTROL = new Set(['skip', 'todo', 'desc', 'ignore', 'checkOrder']);
