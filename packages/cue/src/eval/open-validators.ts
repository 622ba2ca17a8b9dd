// Open validators (CUE v3: a builtin marked NonConcrete, typocheck.go
// cHasOpenValidator): matchN and matchIf check the whole value they are
// given, fields included, so the struct group that holds one leaves the
// fields to them and allows any label, as `...` would. Other validators
// (struct.MaxFields, list.UniqueItems) only add a check: the group stays as
// closed as its fields make it.
import type { Expr } from '../ast.js';
import type { Val } from './values.js';

export function opensGroup(x: Val): boolean {
  if (x.t !== 'cons') return false;
  const vs = x.validators;
  for (let i = 0; i < vs.length; i++) if (vs[i]!.fn === 'matchN' || vs[i]!.fn === 'matchIf') return true;
  return false;
}

/**
 * A field value written as a call of matchN or matchIf (`#X: {a: matchN(...),
 * a: c?: int}`): it opens its definition's group for the field (fields.ts
 * gives it the group as a struct literal gets one).
 */
export function openValidatorCall(e: Expr | undefined): boolean {
  if (e?.type !== 'CallExpr') return false;
  const f = e.fun;
  return f.type === 'Ident' && (f.name === 'matchN' || f.name === 'matchIf');
}

/**
 * Whether a field value (a conjunct's expression) may bring an open validator
 * that opens its definition's group for the field: the call as written, or a
 * reference to such a call (`#X: {a: M, a: c?: int}` with M: matchN(...)).
 * A reference in a definition has a group of its own per definition, as a
 * literal does (fields.ts), so it is known which group it opens.
 */
export function openValidatorSource(e: Expr | undefined): boolean {
  if (!e) return false;
  return openValidatorCall(e) || e.type === 'Ident' || e.type === 'SelectorExpr' || e.type === 'IndexExpr';
}
