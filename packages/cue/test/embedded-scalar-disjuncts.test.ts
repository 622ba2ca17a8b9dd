// A scalar disjunction embedded beside definitions (`{#early: *"X" | string,
// #early}`) is, as in CUE, a disjunction of structs each with those
// definitions (`*{"X", #early: ...} | {string, #early: ...}`): its disjuncts
// and its default keep the definitions.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('disjuncts of an embedded scalar disjunction', () => {
  const src = 't: {\n\t#early: *"X" | string\n\t#early\n} & {\n\t#early: *"X" | string\n\tstring\n}';

  it('each carry the definitions beside it', () => {
    const ds = compile(src).lookupPath('t').disjuncts?.() ?? [];
    expect(ds.map((d) => d.isDefault)).toEqual([true, false]);
    for (const d of ds) expect(d.value.lookupPath('#early').toCUE()).toBe('*"X" | string');
    expect(ds[0]!.value.toJS()).toBe('X');
  });

  it('has a default that carries them too', () => {
    const d = compile(src).lookupPath('t').default();
    expect(d.toJS()).toBe('X');
    expect(d.lookupPath('#early').toCUE()).toBe('*"X" | string');
  });
});
