// core's #NameType (schema/metadata.cue: `#NameType: string & =~"…"`, a DNS
// label) for the places that check a name in TypeScript before or without the
// schema: a catalog's module directory names. One constant; a test checks it
// is the pattern the shipped schema declares (test/name-type.test.ts).
export const NAME_TYPE_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';

export const NAME_TYPE = new RegExp(NAME_TYPE_PATTERN);

/** The constraint as messages state it. */
export const NAME_TYPE_RULE = `#NameType (=~"${NAME_TYPE_PATTERN}": lowercase letters, digits and "-", at most 63 characters)`;

export function isNameType(s: string): boolean {
  return NAME_TYPE.test(s);
}
