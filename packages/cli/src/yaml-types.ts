// Which plain scalars a YAML reader would take for something other than a
// string. Manifests are read by YAML 1.2 tools (the `yaml` library, GitOps
// tools) and by YAML 1.1 ones (kubectl and client-go through go-yaml, Python's
// PyYAML): a ConfigMap value `on` written bare reaches the API server as the
// boolean true and is rejected. A string that either family would resolve to
// another type (bool, int, float, null, timestamp, merge key, value key) is
// therefore always quoted. The YAML 1.1 forms follow the type repository
// (yaml.org/type: bool, int, float, null, timestamp, merge, value); the 1.2
// ones follow the core schema.

const YAML_1_1 = [
  // bool
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  // null
  /^(?:~|null|Null|NULL|)$/,
  // int: binary, octal (leading 0), decimal (readers also take "09" and "1_000"), hexadecimal, sexagesimal
  /^[-+]?0b[01_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  // float: decimal with or without exponent (readers differ; the union of go-yaml's, PyYAML's and the `yaml`
  // library's: "1e3", ".", "1."), sexagesimal, infinity, not-a-number. The type repository's `[0-9.]*` would
  // also take "1.2.3"; no reader does, so versions stay unquoted.
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  // timestamp
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*Z|[ \t]*[-+][0-9]{1,2}(?::[0-9]{2})?)?$/,
  // merge key, value key
  /^(?:<<|=)$/,
];

const YAML_1_2_CORE = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^[-+]?0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^[-+]?0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
];

// Every form above starts with one of these characters (or is empty): a cheap first test for the common case.
const MAY_RESOLVE = /^(?:$|[-+.0-9~<=yYnNtTfFoO])/;

/** True when a YAML 1.1 or 1.2 (core schema) reader would read `s`, written as a plain scalar, as a non-string. */
export function resolvesToNonString(s: string): boolean {
  if (!MAY_RESOLVE.test(s)) return false;
  return YAML_1_1.some((re) => re.test(s)) || YAML_1_2_CORE.some((re) => re.test(s));
}
