// Open validators (CUE v3: a builtin marked NonConcrete, typocheck.go
// cHasOpenValidator): matchN and matchIf check the whole value they are
// given, fields included, so the struct group that holds one leaves the
// fields to them and allows any label, as `...` would. Other validators
// (struct.MaxFields, list.UniqueItems) only add a check: the group stays as
// closed as its fields make it.
import type { Val } from './values.js';

export function opensGroup(x: Val): boolean {
  if (x.t !== 'cons') return false;
  const vs = x.validators;
  for (let i = 0; i < vs.length; i++) if (vs[i]!.fn === 'matchN' || vs[i]!.fn === 'matchIf') return true;
  return false;
}
