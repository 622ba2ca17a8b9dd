import { describe, expect, it } from 'vitest';
import { builtinPackages } from '../src/builtins/index.js';

// CUE's package interfaces (names as in cuelang.org/go/pkg). Names listed under
// `absent` are deliberately not implemented yet: the evaluator reports them as
// not supported rather than computing something different from CUE.
const expected: Record<string, { funcs: string[]; absent?: string[]; consts?: string[] }> = {
  strings: {
    funcs: 'ByteAt ByteSlice Runes Repeat MinRunes MaxRunes ToTitle ToCamel SliceRunes Compare Count Contains ContainsAny LastIndex IndexAny LastIndexAny SplitN SplitAfterN Split SplitAfter Fields Join HasPrefix HasSuffix ToUpper ToLower Trim TrimLeft TrimRight TrimSpace TrimPrefix TrimSuffix Replace Index'.split(' '),
  },
  list: {
    funcs: 'Drop FlattenN Repeat Concat Take Slice Reverse MinItems MaxItems UniqueItems Contains Avg Max Min Product Range Sum Sort SortStable SortStrings IsSorted IsSortedStrings'.split(' '),
    absent: ['MatchN'],
  },
  math: {
    funcs: 'Jacobi Floor Ceil Trunc Round RoundToEven MultipleOf Abs Acosh Asin Acos Asinh Atan Atan2 Atanh Cbrt Copysign Dim Exp Exp2 Expm1 Hypot Ldexp Log Log10 Log2 Log1p Logb Ilogb Mod Pow Pow10 Remainder Signbit Cos Sin Sinh Cosh Sqrt Tan Tanh'.split(' '),
    absent: 'Erf Erfc Erfinv Erfcinv Gamma J0 Y0 J1 Y1 Jn Yn'.split(' '),
    consts: 'MaxExp MinExp MaxPrec ToNearestEven ToNearestAway ToZero AwayFromZero ToNegativeInf ToPositiveInf Below Exact Above MaxBase E Pi Phi Sqrt2 SqrtE SqrtPi SqrtPhi Ln2 Log2E Ln10 Log10E'.split(' '),
  },
  'math/bits': { funcs: 'Lsh Rsh At Set And Or Xor Clear OnesCount Len'.split(' ') },
  strconv: {
    funcs: 'Unquote ParseBool FormatBool ParseFloat ParseNumber ParseUint ParseInt Atoi FormatFloat FormatUint FormatInt Quote QuoteToASCII QuoteToGraphic QuoteRune QuoteRuneToASCII QuoteRuneToGraphic IsPrint IsGraphic'.split(' '),
    consts: ['IntSize'],
  },
  struct: { funcs: ['MinFields', 'MaxFields'] },
  regexp: { funcs: 'Find FindAll FindAllNamedSubmatch FindAllSubmatch FindNamedSubmatch FindSubmatch ReplaceAll ReplaceAllLiteral Valid Match QuoteMeta'.split(' ') },
  'encoding/json': { funcs: 'Valid Compact Indent HTMLEscape Marshal MarshalStream UnmarshalStream Unmarshal Validate'.split(' ') },
  'encoding/yaml': { funcs: 'Marshal MarshalStream Unmarshal UnmarshalStream Validate ValidatePartial'.split(' ') },
  'encoding/base64': { funcs: 'EncodedLen DecodedLen Encode Decode'.split(' ') },
  'encoding/hex': { funcs: 'EncodedLen DecodedLen Decode Dump Encode'.split(' ') },
  'encoding/csv': { funcs: ['Encode', 'Decode'] },
  'crypto/md5': { funcs: ['Sum'], consts: ['Size', 'BlockSize'] },
  'crypto/sha1': { funcs: ['Sum'], consts: ['Size', 'BlockSize'] },
  'crypto/sha256': { funcs: ['Sum256', 'Sum224'], consts: ['Size', 'Size224', 'BlockSize'] },
  'crypto/sha512': { funcs: ['Sum512', 'Sum384', 'Sum512_224', 'Sum512_256'], consts: ['Size', 'Size224', 'Size256', 'Size384', 'BlockSize'] },
  'crypto/ed25519': { funcs: ['Valid'], consts: ['PublicKeySize'] },
  'crypto/hmac': { funcs: ['Sign'], consts: 'MD5 SHA1 SHA224 SHA256 SHA384 SHA512 SHA512_224 SHA512_256'.split(' ') },
  uuid: { funcs: 'Valid Parse ToString URN FromInt ToInt Variant Version SHA1 MD5'.split(' '), consts: ['ns'] },
  time: {
    funcs: 'Duration FormatDuration ParseDuration Time Format FormatString Parse Unix ToUnix ToUnixNano Split'.split(' '),
    consts: 'Nanosecond Microsecond Millisecond Second Minute Hour ANSIC UnixDate RubyDate RFC822 RFC822Z RFC850 RFC1123 RFC1123Z RFC3339 RFC3339Nano RFC3339Date Kitchen Kitchen24 January December Sunday Saturday'.split(' '),
  },
  net: {
    funcs: 'SplitHostPort JoinHostPort FQDN ParseIP IPv4 IPv6 IP IPCIDR LoopbackIP MulticastIP InterfaceLocalMulticastIP LinkLocalMulticastIP LinkLocalUnicastIP GlobalUnicastIP UnspecifiedIP ToIP4 ToIP16 IPString AddIP AddIPCIDR ParseCIDR InCIDR CompareIP PathEscape PathUnescape QueryEscape QueryUnescape URL AbsURL'.split(' '),
    consts: ['IPv4len', 'IPv6len'],
  },
  path: { funcs: 'Match Clean ToSlash FromSlash SplitList Split Join Ext Resolve Rel Base Dir IsAbs VolumeName'.split(' '), consts: ['Unix', 'Windows', 'Plan9'] },
  html: { funcs: ['Escape', 'Unescape'] },
  'text/template': { funcs: ['Execute', 'HTMLEscape', 'JSEscape'] },
};

describe('builtin registry', () => {
  it('registers every package under its import path', () => {
    for (const [key, p] of builtinPackages) expect(p.path).toBe(key);
    expect([...builtinPackages.keys()].sort()).toEqual(Object.keys(expected).sort());
  });
  for (const [path, exp] of Object.entries(expected)) {
    it(`${path} has CUE's functions and constants`, () => {
      const p = builtinPackages.get(path)!;
      expect(Object.keys(p.funcs).sort()).toEqual([...exp.funcs].sort());
      for (const a of exp.absent ?? []) expect(p.funcs[a]).toBeUndefined();
      for (const c of exp.consts ?? []) expect(p.consts?.[c]).toBeDefined();
      for (const [name, f] of Object.entries(p.funcs)) {
        expect(f.params.length, name).toBeGreaterThan(0);
        if (f.validator) expect(f.params.length, name).toBeGreaterThanOrEqual(1);
        if (f.minArgs !== undefined) expect(f.minArgs).toBeLessThan(f.params.length);
        for (const i of Object.keys(f.listElems ?? {})) expect(f.params[Number(i)], `${name} listElems`).toBe('list');
      }
    });
  }
  it('declares list comparators as CUE source', () => {
    const src = builtinPackages.get('list')!.cue!;
    for (const decl of ['Comparer:', 'Ascending:', 'Descending:', 'less: x < y', 'less: x > y']) expect(src).toContain(decl);
  });
});
