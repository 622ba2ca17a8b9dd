// Package net: IP addresses and prefixes with Go's net/netip rules (strict
// dotted decimal, RFC 5952 IPv6 text, zones), host:port splitting, DNS names
// and URL escaping.
import { type Arg, type BuiltinPackage, type Concrete, type CStruct } from './types.js';
import { bigint, fail, fn, formatValue, kindOf, str, utf8Decode, utf8Encode } from './common.js';

/** An address: 4 or 16 bytes; `is4` false for 16-byte addresses (including IPv4-mapped ones). */
interface Addr {
  bytes: number[];
  zone: string;
}

const is4 = (a: Addr) => a.bytes.length === 4;
const is4In6 = (a: Addr) => a.bytes.length === 16 && a.bytes.slice(0, 10).every((b) => b === 0) && a.bytes[10] === 0xff && a.bytes[11] === 0xff;
const unmap = (a: Addr): Addr => (is4In6(a) ? { bytes: a.bytes.slice(12), zone: '' } : a);

/** A netip parse failure, formatted like Go's parseAddrError. */
class AddrError extends Error {
  constructor(input: string, msg: string, at?: string) {
    super(`ParseAddr(${JSON.stringify(input)}): ${msg}${at !== undefined && at !== '' ? ` (at ${JSON.stringify(at)})` : ''}`);
  }
}

/** netip's parseIPv4Fields over in[off:end]. */
function parseIPv4Fields(input: string, off: number, end: number): number[] {
  const s = input.slice(off, end);
  const fields: number[] = [];
  let val = 0;
  let digLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digLen === 1 && val === 0) throw new AddrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + (c.charCodeAt(0) - 48);
      digLen++;
      if (val > 255) throw new AddrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') throw new AddrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (fields.length === 3) throw new AddrError(input, 'IPv4 address too long');
      fields.push(val);
      val = 0;
      digLen = 0;
    } else throw new AddrError(input, 'unexpected character', s.slice(i));
  }
  if (fields.length < 3) throw new AddrError(input, 'IPv4 address too short');
  fields.push(val);
  return fields;
}

/** netip's parseIPv6. */
function parseIPv6(input: string): Addr {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') throw new AddrError(input, 'zone must be a non-empty string');
  }
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { bytes: ip, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const d = parseInt(s[off]!, 16);
      if (!/^[0-9a-fA-F]$/.test(s[off]!)) break;
      acc = acc * 16 + d;
      if (off > 3) throw new AddrError(input, 'each group must have 4 or less digits', s);
      if (acc > 0xffff) throw new AddrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0) throw new AddrError(input, 'each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) throw new AddrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16) throw new AddrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      let end = input.length;
      if (zone.length > 0) end -= zone.length + 1;
      const v4 = parseIPv4Fields(input, end - s.length, end);
      for (let k = 0; k < 4; k++) ip[i + k] = v4[k]!;
      s = '';
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 255;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':') throw new AddrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) throw new AddrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) throw new AddrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) throw new AddrError(input, 'trailing garbage after address', s);
  if (i < 16) {
    if (ellipsis < 0) throw new AddrError(input, 'address string too short');
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis; j < ellipsis + n; j++) ip[j] = 0;
  } else if (ellipsis >= 0) throw new AddrError(input, 'the :: must expand to at least one field of zeros');
  return { bytes: ip, zone };
}

/** netip.ParseAddr; throws AddrError with Go's message. */
function parseAddrStrict(s: string): Addr {
  for (const c of s) {
    if (c === '.') return { bytes: parseIPv4Fields(s, 0, s.length), zone: '' };
    if (c === ':') return parseIPv6(s);
    if (c === '%') throw new AddrError(s, 'missing IPv6 address');
  }
  throw new AddrError(s, 'unable to parse IP');
}

function parseAddr(s: string): Addr | undefined {
  try {
    return parseAddrStrict(s);
  } catch (e) {
    if (e instanceof AddrError) return undefined;
    throw e;
  }
}

/** The address of a string or bytes argument, failing with netip's message. */
function mustParse(s: string): Addr {
  try {
    return parseAddrStrict(s);
  } catch (e) {
    if (e instanceof AddrError) fail(e.message);
    throw e;
  }
}

/** An address from a string, bytes or list of byte values; undefined when invalid (like netGetIP). */
function getIP(v: Arg | undefined): Addr | undefined {
  if (typeof v === 'string') return parseAddr(v);
  if (v instanceof Uint8Array) return parseAddr(utf8Decode(v));
  if (Array.isArray(v)) {
    const bs: number[] = [];
    for (const e of v) {
      if (typeof e !== 'bigint' || e < 0n || e > 255n) return undefined;
      bs.push(Number(e));
    }
    return bs.length === 4 || bs.length === 16 ? { bytes: bs, zone: '' } : undefined;
  }
  return undefined;
}

function mustIP(v: Arg | undefined): Addr {
  if (typeof v === 'string') return mustParse(v);
  if (v instanceof Uint8Array) return mustParse(utf8Decode(v));
  const a = getIP(v);
  if (!a) fail(`invalid IP ${formatValue(v ?? null)}`);
  return a;
}

/** netip.Addr.String: dotted IPv4, RFC 5952 IPv6 (with ::ffff:a.b.c.d for mapped addresses), zone suffix. */
function addrString(a: Addr): string {
  if (is4(a)) return a.bytes.join('.');
  const zone = a.zone ? '%' + a.zone : '';
  if (is4In6(a)) return '::ffff:' + a.bytes.slice(12).join('.') + zone;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((a.bytes[i]! << 8) | a.bytes[i + 1]!);
  // Longest run (length >= 2) of zero groups, first one on ties.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(groups) + zone;
  return hex(groups.slice(0, best)) + '::' + hex(groups.slice(best + bestLen)) + zone;
}

interface Prefix {
  addr: Addr;
  bits: number;
}

/** netip.ParsePrefix. */
function parsePrefix(s: string): Prefix {
  const i = s.lastIndexOf('/');
  if (i < 0) fail(`netip.ParsePrefix(${JSON.stringify(s)}): no '/'`);
  const addr = parseAddr(s.slice(0, i));
  if (!addr) fail(`netip.ParsePrefix(${JSON.stringify(s)}): ParseAddr(${JSON.stringify(s.slice(0, i))}): invalid IP address`);
  if (addr.zone !== '') fail(`netip.ParsePrefix(${JSON.stringify(s)}): IPv6 zones cannot be present in a prefix`);
  const bitsStr = s.slice(i + 1);
  if (!/^(0|[1-9]\d*)$/.test(bitsStr)) fail(`netip.ParsePrefix(${JSON.stringify(s)}): bad bits after slash: ${JSON.stringify(bitsStr)}`);
  const bits = Number(bitsStr);
  const max = addr.bytes.length * 8;
  if (bits > max) fail(`netip.ParsePrefix(${JSON.stringify(s)}): prefix length out of range`);
  return { addr, bits };
}

function getPrefix(v: Arg | undefined): Prefix {
  if (typeof v === 'string') return parsePrefix(v);
  if (v instanceof Uint8Array) return parsePrefix(utf8Decode(v));
  return fail(`invalid type ${kindOf(v ?? null)} for IP CIDR`);
}

function toBig(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function fromBig(v: bigint, size: number): number[] {
  const out = new Array<number>(size).fill(0);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 255n);
    v >>= 8n;
  }
  return out;
}

function masked(p: Prefix): Addr {
  const n = p.addr.bytes.length * 8;
  const mask = ((1n << BigInt(p.bits)) - 1n) << BigInt(n - p.bits);
  return { bytes: fromBig(toBig(p.addr.bytes) & mask, p.addr.bytes.length), zone: '' };
}

function contains(p: Prefix, a: Addr): boolean {
  if (a.zone !== '' || a.bytes.length !== p.addr.bytes.length) return false;
  return toBig(masked(p).bytes) === toBig(masked({ addr: a, bits: p.bits }).bytes);
}

function addIP(a: Addr, offset: bigint): Addr {
  const i = toBig(a.bytes) + offset;
  if (i < 0n) fail('IP address arithmetic resulted in out-of-range address (underflow)');
  if (i >= 1n << BigInt(a.bytes.length * 8)) fail('IP address arithmetic resulted in out-of-range address (overflow)');
  return { bytes: fromBig(i, a.bytes.length), zone: '' };
}

function compareAddr(a: Addr, b: Addr): number {
  if (a.bytes.length !== b.bytes.length) return a.bytes.length < b.bytes.length ? -1 : 1;
  const x = toBig(a.bytes);
  const y = toBig(b.bytes);
  if (x !== y) return x < y ? -1 : 1;
  return a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0;
}

// ---- predicates (netip semantics) ----

function isLoopback(a: Addr): boolean {
  a = unmap(a);
  return is4(a) ? a.bytes[0] === 127 : toBig(a.bytes) === 1n;
}
function isMulticast(a: Addr): boolean {
  a = unmap(a);
  return is4(a) ? (a.bytes[0]! & 0xf0) === 0xe0 : a.bytes[0] === 0xff;
}
function isLinkLocalUnicast(a: Addr): boolean {
  a = unmap(a);
  return is4(a) ? a.bytes[0] === 169 && a.bytes[1] === 254 : a.bytes[0] === 0xfe && (a.bytes[1]! & 0xc0) === 0x80;
}
function isLinkLocalMulticast(a: Addr): boolean {
  a = unmap(a);
  return is4(a) ? a.bytes[0] === 224 && a.bytes[1] === 0 && a.bytes[2] === 0 : a.bytes[0] === 0xff && (a.bytes[1]! & 0x0f) === 0x02;
}
function isInterfaceLocalMulticast(a: Addr): boolean {
  return !is4(a) && !is4In6(a) && a.bytes[0] === 0xff && (a.bytes[1]! & 0x0f) === 0x01;
}
function isUnspecified(a: Addr): boolean {
  return a.zone === '' && a.bytes.every((b) => b === 0);
}
function isGlobalUnicast(a: Addr): boolean {
  a = unmap(a);
  if (is4(a) && (a.bytes.every((b) => b === 0) || a.bytes.every((b) => b === 255))) return false;
  return !(a.bytes.length === 16 && a.bytes.every((b) => b === 0)) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a);
}

const toList = (bytes: number[]): Concrete[] => bytes.map((b) => BigInt(b));
/**
 * IP validators as in CUE: an unparsable string fails with netip's message, a
 * value of another type fails with "invalid type", and a valid address of the
 * wrong sort is simply false.
 */
const ipPred = (f: (a: Addr) => boolean) =>
  fn(['any'], ([ip]) => {
    if (typeof ip === 'string') return f(mustParse(ip));
    if (ip instanceof Uint8Array) return f(mustParse(utf8Decode(ip)));
    if (Array.isArray(ip)) {
      const a = getIP(ip);
      return a !== undefined && f(a);
    }
    return fail(`invalid type ${kindOf(ip ?? null)} for IP address`);
  }, { validator: true });

// ---- hosts ----

function splitHostPort(hp: string): [string, string] {
  const err = (why: string): never => fail(`address ${hp}: ${why}`);
  let j = 0;
  let k = 0;
  const i = hp.lastIndexOf(':');
  if (i < 0) err('missing port in address');
  let host: string;
  if (hp[0] === '[') {
    const end = hp.indexOf(']');
    if (end < 0) err("missing ']' in address");
    if (end + 1 === hp.length) err('missing port in address');
    else if (end + 1 !== i) {
      if (hp[end + 1] === ':') err('too many colons in address');
      err('missing port in address');
    }
    host = hp.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hp.slice(0, i);
    if (host.includes(':')) err('too many colons in address');
  }
  if (hp.slice(j).includes('[')) err("unexpected '[' in address");
  if (hp.slice(k).includes(']')) err("unexpected ']' in address");
  return [host, hp.slice(i + 1)];
}

/** CUE's FQDN: ASCII only, then IDNA ToASCII with label validation, STD3 rules and DNS lengths. */
function fqdn(s: string): boolean {
  if (!/^[\x00-\x7f]*$/.test(s)) return false;
  if (s === '') return false;
  const n = s.endsWith('.') ? s.length - 1 : s.length;
  if (n > 253) return false;
  const labels = (s.endsWith('.') ? s.slice(0, -1) : s).split('.');
  for (const l of labels) {
    if (l === '' || l.length > 63) return false;
    if (!/^[A-Za-z0-9-]+$/.test(l)) return false;
    if (l[0] === '-' || l[l.length - 1] === '-') return false;
    if (l.length > 4 && l[2] === '-' && l[3] === '-' && !/^xn--/i.test(l)) return false;
  }
  return true;
}

// ---- URL escaping (Go's net/url) ----

function shouldEscape(c: number, mode: 'pathSegment' | 'query'): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return false;
  const ch = String.fromCharCode(c);
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) return mode === 'query' ? true : '/;,?'.includes(ch);
  return true;
}

function escape(s: string, mode: 'pathSegment' | 'query'): string {
  let out = '';
  for (const b of utf8Encode(s)) {
    if (b === 0x20 && mode === 'query') out += '+';
    else if (shouldEscape(b, mode)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    else out += String.fromCharCode(b);
  }
  return out;
}

function unescape(s: string, query: boolean): string {
  const out: number[] = [];
  const bs = utf8Encode(s);
  for (let i = 0; i < bs.length; i++) {
    const b = bs[i]!;
    if (b === 0x25) {
      const h = s.slice(i, i + 3);
      if (!/^%[0-9a-fA-F]{2}$/.test(utf8Decode(bs.slice(i, i + 3)))) fail(`invalid URL escape ${JSON.stringify(utf8Decode(bs.slice(i, i + 3)) || h)}`);
      out.push(parseInt(utf8Decode(bs.slice(i + 1, i + 3)), 16));
      i += 2;
    } else if (b === 0x2b && query) out.push(0x20);
    else out.push(b);
  }
  return utf8Decode(new Uint8Array(out));
}

// ---- URL validation (Go's net/url.Parse) ----

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

function hostCharOK(c: string): boolean {
  if (/[A-Za-z0-9]/.test(c)) return true;
  return "-_.~!$&'()*+,;=:[]<>\"".includes(c);
}

/** Go's unescape for a host (mode encodeHost) or a path; throws the Go error text. */
function checkEscapes(s: string, host: boolean): void {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) {
        const bad = s.slice(i, i + 3);
        throw new Error(`invalid URL escape ${JSON.stringify(bad)}`);
      }
      // In a host, %-escapes may only encode non-ASCII bytes (or %25).
      if (host && parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== '%25') throw new Error(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      i += 2;
    } else if (host && c.charCodeAt(0) < 0x80 && !hostCharOK(c)) throw new Error(`invalid character ${JSON.stringify(c)} in host name`);
  }
}

function validOptionalPort(p: string): boolean {
  return p === '' || /^:\d*$/.test(p);
}

function parseHost(host: string): void {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new Error("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${JSON.stringify(colonPort)} after host`);
  } else {
    const i = host.lastIndexOf(':');
    if (i >= 0 && !validOptionalPort(host.slice(i))) throw new Error(`invalid port ${JSON.stringify(host.slice(i))} after host`);
  }
  checkEscapes(host, true);
}

/** Validates like url.Parse; returns whether the URL has a scheme. */
function parseURL(raw: string): boolean {
  const wrap = (msg: string): never => fail(`parse ${JSON.stringify(raw)}: ${msg}`);
  try {
    if (/[\x00-\x1f\x7f]/.test(raw)) throw new Error('net/url: invalid control character in URL');
    const hash = raw.indexOf('#');
    const u = hash >= 0 ? raw.slice(0, hash) : raw;
    if (u === '*') return false;
    let scheme = '';
    let rest = u;
    for (let i = 0; i < u.length; i++) {
      const c = u[i]!;
      if (/[A-Za-z]/.test(c)) continue;
      if (/[0-9+\-.]/.test(c)) {
        if (i === 0) break;
        continue;
      }
      if (c === ':') {
        if (i === 0) throw new Error('missing protocol scheme');
        scheme = u.slice(0, i);
        rest = u.slice(i + 1);
      }
      break;
    }
    const q = rest.indexOf('?');
    if (q >= 0) rest = rest.slice(0, q);
    if (!rest.startsWith('/')) {
      if (scheme !== '') return true; // opaque URL such as mailto:x
      const seg = rest.split('/')[0]!;
      if (seg.includes(':')) throw new Error('first path segment in URL cannot contain colon');
    }
    if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
      const after = rest.slice(2);
      const slash = after.indexOf('/');
      const authority = slash >= 0 ? after.slice(0, slash) : after;
      rest = slash >= 0 ? after.slice(slash) : '';
      const at = authority.lastIndexOf('@');
      parseHost(at >= 0 ? authority.slice(at + 1) : authority);
      if (at >= 0) {
        const userinfo = authority.slice(0, at);
        if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new Error('net/url: invalid userinfo');
        checkEscapes(userinfo, false);
      }
    }
    checkEscapes(rest, false);
    if (hash >= 0) checkEscapes(raw.slice(hash + 1), false);
    return scheme !== '';
  } catch (e) {
    if (e instanceof Error && !(e.name === 'BuiltinError')) return wrap(e.message);
    throw e;
  }
}

export const netPackage: BuiltinPackage = {
  path: 'net',
  funcs: {
    SplitHostPort: fn(['string'], ([s]) => splitHostPort(str(s))),
    JoinHostPort: fn(['any', 'any'], ([h, p]) => {
      let host: string;
      if (Array.isArray(h)) {
        const a = getIP(h);
        if (!a) fail(`invalid host [${h.map((x) => formatValue(x)).join(', ')}]`);
        host = addrString(a);
      }
      else host = typeof h === 'string' ? h : h instanceof Uint8Array ? utf8Decode(h) : fail(`invalid host ${formatValue(h ?? null)}`);
      const port = typeof p === 'string' ? p : p instanceof Uint8Array ? utf8Decode(p) : bigint(p).toString();
      return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    }),
    FQDN: fn(['string'], ([s]) => fqdn(str(s)), { validator: true }),
    ParseIP: fn(['string'], ([s]) => {
      const a = parseAddr(str(s));
      if (!a) fail(`invalid IP address ${JSON.stringify(str(s))}`);
      return toList(a.bytes);
    }),
    IPv4: ipPred(is4),
    IPv6: ipPred((a) => !is4(a)),
    IP: ipPred(() => true),
    IPCIDR: fn(['any'], ([ip]) => (getPrefix(ip), true), { validator: true }),
    LoopbackIP: ipPred(isLoopback),
    MulticastIP: ipPred(isMulticast),
    InterfaceLocalMulticastIP: ipPred(isInterfaceLocalMulticast),
    LinkLocalMulticastIP: ipPred(isLinkLocalMulticast),
    LinkLocalUnicastIP: ipPred(isLinkLocalUnicast),
    GlobalUnicastIP: ipPred(isGlobalUnicast),
    UnspecifiedIP: ipPred(isUnspecified),
    ToIP4: fn(['any'], ([ip]) => {
      const a = mustIP(ip);
      if (!is4(a)) fail(`cannot convert ${JSON.stringify(addrString(a))} to IPv4`);
      return toList(a.bytes);
    }),
    ToIP16: fn(['any'], ([ip]) => {
      const a = mustIP(ip);
      return toList(is4(a) ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, ...a.bytes] : a.bytes);
    }),
    IPString: fn(['any'], ([ip]) => addrString(mustIP(ip))),
    AddIP: fn(['any', 'int'], ([ip, off]) => {
      const o = bigint(off);
      if (typeof ip === 'string' || ip instanceof Uint8Array) {
        const s = typeof ip === 'string' ? ip : utf8Decode(ip);
        if (s.includes('/')) {
          const p = getPrefix(ip);
          return addrString(addIP(p.addr, o)) + '/' + p.bits;
        }
      }
      return addrString(addIP(mustIP(ip), o));
    }),
    AddIPCIDR: fn(['any', 'int'], ([ip, off]) => {
      const p = getPrefix(ip);
      const shifted = bigint(off) << BigInt(p.addr.bytes.length * 8 - p.bits);
      return addrString(addIP(p.addr, shifted)) + '/' + p.bits;
    }),
    ParseCIDR: fn(['string'], ([s]) => {
      const p = parsePrefix(str(s));
      const size = p.addr.bytes.length;
      const mask = fromBig(((1n << BigInt(p.bits)) - 1n) << BigInt(size * 8 - p.bits), size);
      const net = masked(p);
      const out: CStruct = new Map<string, Concrete>([
        ['prefix_mask', addrString({ bytes: mask, zone: '' })],
        ['prefix_len', BigInt(p.bits)],
        ['prefix_addr', addrString(net)],
      ]);
      if (is4(p.addr)) out.set('broadcast_addr', addrString({ bytes: net.bytes.map((b, i) => b | (~mask[i]! & 255)), zone: '' }));
      return out;
    }),
    InCIDR: fn(['any', 'any'], ([ip, cidr]) => contains(getPrefix(cidr), mustIP(ip)), { validator: true }),
    CompareIP: fn(['any', 'any'], ([a, b]) => BigInt(compareAddr(mustIP(a), mustIP(b)))),
    PathEscape: fn(['string'], ([s]) => escape(str(s), 'pathSegment')),
    PathUnescape: fn(['string'], ([s]) => unescape(str(s), false)),
    QueryEscape: fn(['string'], ([s]) => escape(str(s), 'query')),
    QueryUnescape: fn(['string'], ([s]) => unescape(str(s), true)),
    URL: fn(['string'], ([s]) => (parseURL(str(s)), true), { validator: true }),
    AbsURL: fn(['string'], ([s]) => {
      if (!parseURL(str(s))) fail('URL is not absolute');
      return true;
    }, { validator: true }),
  },
  consts: { IPv4len: 4n, IPv6len: 16n },
};
