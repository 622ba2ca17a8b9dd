// The semantic checks other than eq/err: closed, allows, kind.
import { ANY_STRING, type Kind, type Selector, type Value } from '../api.js';
import { positional, type TestDirective } from './directive.js';
import { show } from './errcheck.js';
import { unquote } from './attr.js';

export function checkClosed(val: Value, d: TestDirective): string | undefined {
  const want = d.firstValue !== 'false';
  const got = val.isClosed();
  return got === want ? undefined : `got closed=${got}, want ${want}${show(val)}`;
}

// "Any index" (Go's cue.AnyIndex): the Value API takes concrete indexes, so
// probe with one that only an open list allows.
const ANY_INDEX: Selector = 2 ** 31 - 1;

export function checkAllows(val: Value, d: TestDirective): string | undefined {
  const want = d.firstValue !== 'false';
  const sel = positional(d)[0]?.raw;
  if (!sel) return 'allows: missing selector argument';
  const kinds = val.kind() === 'incomplete' ? val.incompleteKinds() : [val.kind()];
  if (!kinds.includes('struct') && !kinds.includes('list')) return `allows: only valid on struct or list values, got ${kinds.join('|')}${show(val)}`;
  let label: Selector;
  if (sel === 'string') label = ANY_STRING;
  else if (sel === 'int') label = ANY_INDEX;
  else if (/^\d+$/.test(sel)) label = Number(sel);
  else label = unquote(sel);
  const got = val.allows(label);
  return got === want ? undefined : `allows(${sel}) = ${got}, want ${want}`;
}

const ALL_KINDS: Kind[] = ['null', 'bool', 'int', 'float', 'string', 'bytes', 'struct', 'list'];

export function checkKind(val: Value, d: TestDirective): string | undefined {
  const spec = d.firstValue ?? positional(d)[0]?.value;
  if (!spec) return 'kind: missing kind';
  const want = new Set<Kind>();
  for (const k of spec.split('|').map((s) => s.trim())) {
    if (k === 'top' || k === '_') ALL_KINDS.forEach((x) => want.add(x));
    else if (k === 'number') ['int', 'float'].forEach((x) => want.add(x as Kind));
    else if (k === 'bottom' || k === '_|_') want.add('bottom');
    else if ((ALL_KINDS as string[]).includes(k)) want.add(k as Kind);
    else return `kind: unknown kind ${JSON.stringify(k)}`;
  }
  const kind = val.kind();
  const got = new Set<Kind>(kind === 'incomplete' ? val.incompleteKinds() : [kind]);
  const same = got.size === want.size && [...want].every((k) => got.has(k));
  return same ? undefined : `got kind ${[...got].join('|') || '(none)'}, want ${[...want].join('|')}`;
}
