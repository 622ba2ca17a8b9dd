// Package time: Go's time layouts (parse and format), durations and Unix
// conversions. Times are RFC 3339 strings; zone abbreviations parse as UTC, as
// in CUE. Calendar arithmetic is proleptic Gregorian without leap seconds.
import { type BuiltinPackage, type CStruct } from './types.js';
import { bigint, fail, fn, str } from './common.js';

// ---- calendar ----

/** Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? y + 1 : y, m, d];
}

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
function daysIn(m: number, y: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** A broken-down time: the wall clock in the zone with the given offset (seconds east of UTC). */
interface Tm {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  offset: number;
  zoneName: string; // '' for a fabricated fixed zone, 'UTC' for UTC
}

function unixSeconds(t: Tm): bigint {
  const days = daysFromCivil(t.year, t.month, t.day);
  return BigInt(days) * 86400n + BigInt(t.hour * 3600 + t.min * 60 + t.sec - t.offset);
}

function fromUnix(sec: bigint, nsec: bigint): Tm {
  // Normalise nanoseconds into [0, 1e9).
  sec += nsec / 1_000_000_000n;
  nsec %= 1_000_000_000n;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    sec -= 1n;
  }
  let days = sec / 86400n;
  let rem = sec % 86400n;
  if (rem < 0n) {
    rem += 86400n;
    days -= 1n;
  }
  const [year, month, day] = civilFromDays(Number(days));
  const r = Number(rem);
  return { year, month, day, hour: Math.floor(r / 3600), min: Math.floor((r % 3600) / 60), sec: r % 60, nsec: Number(nsec), offset: 0, zoneName: 'UTC' };
}

function weekday(t: Tm): number {
  const d = daysFromCivil(t.year, t.month, t.day);
  return (((d + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function yearDay(t: Tm): number {
  return daysFromCivil(t.year, t.month, t.day) - daysFromCivil(t.year, 1, 1) + 1;
}

// ---- layouts ----

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Std =
  | 'January' | 'Jan' | '1' | '01' | 'Monday' | 'Mon' | '2' | '_2' | '02' | '__2' | '002' | '15' | '3' | '03' | '4' | '04' | '5' | '05'
  | '2006' | '06' | 'PM' | 'pm' | 'MST'
  | 'Z070000' | 'Z07:00:00' | 'Z0700' | 'Z07:00' | 'Z07' | '-070000' | '-07:00:00' | '-0700' | '-07:00' | '-07'
  | { frac: '0' | '9'; digits: number; sep: string };

const isDigitAt = (s: string, i: number) => i < s.length && s[i]! >= '0' && s[i]! <= '9';

/** Go's nextStdChunk: [prefix, std, suffix]. */
function nextStdChunk(layout: string): [string, Std | undefined, string] {
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    const rest = layout.slice(i);
    const at = (std: Std, len: number): [string, Std, string] => [layout.slice(0, i), std, layout.slice(i + len)];
    switch (c) {
      case 'J':
        if (rest.startsWith('January')) return at('January', 7);
        if (rest.startsWith('Jan')) return at('Jan', 3);
        break;
      case 'M':
        if (rest.startsWith('Monday')) return at('Monday', 6);
        if (rest.startsWith('Mon')) return at('Mon', 3);
        if (rest.startsWith('MST')) return at('MST', 3);
        break;
      case '0':
        if (rest.startsWith('002')) return at('002', 3);
        if (rest.length >= 2 && '123456'.includes(rest[1]!)) return at(('0' + rest[1]) as Std, 2);
        break;
      case '1':
        if (rest.startsWith('15')) return at('15', 2);
        return at('1', 1);
      case '2':
        if (rest.startsWith('2006')) return at('2006', 4);
        return at('2', 1);
      case '_':
        if (rest.startsWith('_2')) {
          // _2006 is really a literal _, followed by stdLongYear
          if (rest.startsWith('_2006')) return [layout.slice(0, i + 1), '2006', layout.slice(i + 5)];
          return at('_2', 2);
        }
        if (rest.startsWith('__2')) return at('__2', 3);
        break;
      case '3':
      case '4':
      case '5':
        return at(c as Std, 1);
      case 'P':
        if (rest.startsWith('PM')) return at('PM', 2);
        break;
      case 'p':
        if (rest.startsWith('pm')) return at('pm', 2);
        break;
      case '-':
        for (const z of ['-070000', '-07:00:00', '-0700', '-07:00', '-07'] as const) if (rest.startsWith(z)) return at(z, z.length);
        break;
      case 'Z':
        for (const z of ['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07'] as const) if (rest.startsWith(z)) return at(z, z.length);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.length && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
          const ch = layout[i + 1]!;
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) return [layout.slice(0, i), { frac: ch as '0', digits: j - i - 1, sep: c }, layout.slice(j)];
        }
        break;
    }
  }
  return [layout, undefined, ''];
}

const pad = (n: number, w: number, ch = '0') => {
  const s = String(Math.abs(n)).padStart(w, ch);
  return n < 0 ? '-' + s : s;
};

function formatZone(std: string, offset: number): string {
  if (std.startsWith('Z') && offset === 0) return 'Z';
  let zone = Math.trunc(offset / 60);
  let absoff = offset;
  let s = '';
  if (zone < 0) {
    s = '-';
    zone = -zone;
    absoff = -absoff;
  } else s = '+';
  s += pad(Math.floor(zone / 60), 2);
  const colon = std.includes(':');
  if (std === '-07:00' || std === 'Z07:00' || std === '-07:00:00' || std === 'Z07:00:00') s += ':';
  if (std !== '-07' && std !== 'Z07') s += pad(zone % 60, 2);
  if (std === '-070000' || std === 'Z070000' || std === '-07:00:00' || std === 'Z07:00:00') {
    if (colon) s += ':';
    s += pad(absoff % 60, 2);
  }
  return s;
}

/** Go's Time.Format. */
function format(t: Tm, layout: string): string {
  let out = '';
  while (layout !== '') {
    const [prefix, std, suffix] = nextStdChunk(layout);
    out += prefix;
    layout = suffix;
    if (std === undefined) break;
    if (typeof std === 'object') {
      let digits = pad(t.nsec, 9).slice(0, std.digits);
      if (std.frac === '9') digits = digits.replace(/0+$/, '');
      if (std.frac === '0' || digits !== '') out += std.sep + digits;
      continue;
    }
    switch (std) {
      case '2006': out += pad(t.year, 4); break;
      case '06': out += pad(((t.year % 100) + 100) % 100, 2); break;
      case 'January': out += LONG_MONTHS[t.month - 1]; break;
      case 'Jan': out += LONG_MONTHS[t.month - 1]!.slice(0, 3); break;
      case '1': out += String(t.month); break;
      case '01': out += pad(t.month, 2); break;
      case 'Monday': out += LONG_DAYS[weekday(t)]; break;
      case 'Mon': out += LONG_DAYS[weekday(t)]!.slice(0, 3); break;
      case '2': out += String(t.day); break;
      case '_2': out += pad(t.day, 2, ' '); break;
      case '02': out += pad(t.day, 2); break;
      case '__2': out += pad(yearDay(t), 3, ' '); break;
      case '002': out += pad(yearDay(t), 3); break;
      case '15': out += pad(t.hour, 2); break;
      case '3': out += String(t.hour % 12 === 0 ? 12 : t.hour % 12); break;
      case '03': out += pad(t.hour % 12 === 0 ? 12 : t.hour % 12, 2); break;
      case '4': out += String(t.min); break;
      case '04': out += pad(t.min, 2); break;
      case '5': out += String(t.sec); break;
      case '05': out += pad(t.sec, 2); break;
      case 'PM': out += t.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += t.hour >= 12 ? 'pm' : 'am'; break;
      case 'MST':
        // A fixed zone without a name prints as -0700.
        out += t.zoneName !== '' ? t.zoneName : formatZone('-0700', t.offset);
        break;
      default:
        out += formatZone(std, t.offset);
    }
  }
  return out;
}

class ParseErr extends Error {}

function quoteGo(s: string): string {
  return '"' + s.replace(/[\\"]/g, '\\$&') + '"';
}

function getnum(value: string, fixed: boolean): [number, string] {
  if (!isDigitAt(value, 0)) throw new ParseErr();
  if (!isDigitAt(value, 1)) {
    if (fixed) throw new ParseErr();
    return [value.charCodeAt(0) - 48, value.slice(1)];
  }
  return [(value.charCodeAt(0) - 48) * 10 + value.charCodeAt(1) - 48, value.slice(2)];
}

function getnum3(value: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(value, i); i++) n = n * 10 + value.charCodeAt(i) - 48;
  if (i === 0 || (fixed && i !== 3)) throw new ParseErr();
  return [n, value.slice(i)];
}

function skip(value: string, prefix: string): string {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') throw new ParseErr();
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) throw new ParseErr();
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

function lookup(tab: string[], value: string): [number, string] {
  for (let i = 0; i < tab.length; i++) {
    const n = tab[i]!;
    if (value.length >= n.length && value.slice(0, n.length).toLowerCase() === n.toLowerCase()) return [i, value.slice(n.length)];
  }
  throw new ParseErr();
}

function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) {
    const m = /^GMT([+-]\d{1,2})?/.exec(value);
    return m ? m[0].length : 3;
  }
  if (value[0] === '+' || value[0] === '-') {
    const m = /^[+-]\d{2}(\d{2})?/.exec(value);
    return m ? m[0].length : 0;
  }
  let n = 0;
  while (n < 6 && n < value.length && value[n]! >= 'A' && value[n]! <= 'Z') n++;
  if (n === 3) return 3;
  if (n === 4 && (value[3] === 'T' || value.startsWith('WITA'))) return 4;
  if (n === 5 && value[4] === 'T') return 5;
  return 0;
}

/** Go's time.Parse (zone abbreviations read as UTC). Returns the instant as a Tm in the parsed offset. */
function parse(layout: string, value0: string): Tm {
  const alayout = layout;
  let value = value0;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let offset: number | undefined;
  let zoneName = '';
  const errAt = (valueElem: string, layoutElem: string) =>
    fail(`parsing time ${quoteGo(value0)} as ${quoteGo(alayout)}: cannot parse ${quoteGo(valueElem)} as ${quoteGo(layoutElem)}`);
  for (;;) {
    const [prefix, std, suffix] = nextStdChunk(layout);
    const stdstr = layout.slice(prefix.length, layout.length - suffix.length);
    try {
      value = skip(value, prefix);
    } catch {
      return errAt(value, prefix);
    }
    if (std === undefined) {
      if (value.length !== 0) fail(`parsing time ${quoteGo(value0)}: extra text: ${quoteGo(value)}`);
      break;
    }
    layout = suffix;
    const hold = value;
    try {
      if (typeof std === 'object') {
        const ndigit = 1 + std.digits;
        if (std.frac === '0') {
          if (value.length < ndigit || (value[0] !== '.' && value[0] !== ',')) throw new ParseErr();
          const ds = value.slice(1, ndigit);
          if (!/^\d+$/.test(ds)) throw new ParseErr();
          nsec = Number(ds.padEnd(9, '0').slice(0, 9));
          value = value.slice(ndigit);
        } else {
          if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) continue;
          // Any number of digits is taken; only the first nine count.
          let i = 1;
          while (isDigitAt(value, i)) i++;
          nsec = Number(value.slice(1, Math.min(i, 10)).padEnd(9, '0'));
          value = value.slice(i);
        }
        continue;
      }
      switch (std) {
        case '2006':
          if (value.length < 4 || !/^\d{4}/.test(value)) throw new ParseErr();
          year = Number(value.slice(0, 4));
          value = value.slice(4);
          break;
        case '06': {
          if (value.length < 2 || !/^\d{2}/.test(value)) throw new ParseErr();
          const y = Number(value.slice(0, 2));
          year = y >= 69 ? 1900 + y : 2000 + y;
          value = value.slice(2);
          break;
        }
        case 'January':
          [month, value] = lookup(LONG_MONTHS, value);
          month++;
          break;
        case 'Jan':
          [month, value] = lookup(LONG_MONTHS.map((m) => m.slice(0, 3)), value);
          month++;
          break;
        case '1':
        case '01':
          [month, value] = getnum(value, std === '01');
          if (month <= 0 || month > 12) fail(`parsing time ${quoteGo(value0)}: month out of range`);
          break;
        case 'Monday':
          [, value] = lookup(LONG_DAYS, value);
          break;
        case 'Mon':
          [, value] = lookup(LONG_DAYS.map((d) => d.slice(0, 3)), value);
          break;
        case '2':
        case '_2':
        case '02':
          if (std === '_2' && value[0] === ' ') value = value.slice(1);
          [day, value] = getnum(value, std === '02');
          break;
        case '__2':
        case '002':
          if (std === '__2') value = value.replace(/^ {1,2}/, '');
          [yday, value] = getnum3(value, std === '002');
          if (yday < 1 || yday > 366) fail(`parsing time ${quoteGo(value0)}: day-of-year out of range`);
          break;
        case '15':
          [hour, value] = getnum(value, false);
          if (hour < 0 || hour > 23) fail(`parsing time ${quoteGo(value0)}: hour out of range`);
          break;
        case '3':
        case '03':
          [hour, value] = getnum(value, std === '03');
          if (hour < 0 || hour > 12) fail(`parsing time ${quoteGo(value0)}: hour out of range`);
          break;
        case '4':
        case '04':
          [min, value] = getnum(value, std === '04');
          if (min < 0 || min > 59) fail(`parsing time ${quoteGo(value0)}: minute out of range`);
          break;
        case '5':
        case '05': {
          [sec, value] = getnum(value, std === '05');
          if (sec < 0 || sec > 59) fail(`parsing time ${quoteGo(value0)}: second out of range`);
          // A fractional second in the value without one in the layout.
          if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
            const next = nextStdChunk(layout)[1];
            if (typeof next === 'object') break;
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            nsec = Number(value.slice(1, n).padEnd(9, '0').slice(0, 9));
            value = value.slice(n);
          }
          break;
        }
        case 'PM':
        case 'pm': {
          const p = value.slice(0, 2);
          if (p === (std === 'PM' ? 'PM' : 'pm')) pmSet = true;
          else if (p === (std === 'PM' ? 'AM' : 'am')) amSet = true;
          else throw new ParseErr();
          value = value.slice(2);
          break;
        }
        case 'MST': {
          if (value.length >= 3 && value.startsWith('UTC')) {
            zoneName = 'UTC';
            offset = 0;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === 0) throw new ParseErr();
          // CUE parses without a location: abbreviations are taken as UTC.
          zoneName = 'UTC';
          offset = 0;
          value = value.slice(n);
          break;
        }
        default: {
          // Numeric zones.
          if (std.startsWith('Z') && value[0] === 'Z') {
            value = value.slice(1);
            offset = 0;
            zoneName = 'UTC';
            break;
          }
          const shape = std.replace(/^Z/, '-');
          const re =
            shape === '-07:00' ? /^([+-])(\d\d):(\d\d)/ : shape === '-0700' ? /^([+-])(\d\d)(\d\d)/ : shape === '-07' ? /^([+-])(\d\d)/
            : shape === '-07:00:00' ? /^([+-])(\d\d):(\d\d):(\d\d)/ : /^([+-])(\d\d)(\d\d)(\d\d)/;
          const m = re.exec(value);
          if (!m) throw new ParseErr();
          const hh = Number(m[2]);
          const mm = Number(m[3] ?? 0);
          const ss = Number(m[4] ?? 0);
          if (hh > 24 || mm > 60 || ss > 60) fail(`parsing time ${quoteGo(value0)}: time zone offset out of range`);
          offset = (m[1] === '-' ? -1 : 1) * (hh * 3600 + mm * 60 + ss);
          zoneName = '';
          value = value.slice(m[0].length);
        }
      }
    } catch (e) {
      if (e instanceof ParseErr) return errAt(hold, stdstr);
      throw e;
    }
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    let m = 1;
    let d = yday;
    if (yday > (isLeap(year) ? 366 : 365)) fail(`parsing time ${quoteGo(value0)}: day-of-year out of range`);
    while (d > daysIn(m, year)) {
      d -= daysIn(m, year);
      m++;
    }
    if ((month >= 0 && month !== m) || (day >= 0 && day !== d)) fail(`parsing time ${quoteGo(value0)}: day-of-year does not match ${day >= 0 ? 'day' : 'month'}`);
    month = m;
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) fail(`parsing time ${quoteGo(value0)}: day out of range`);
  return { year, month, day, hour, min, sec, nsec, offset: offset ?? 0, zoneName: offset === undefined ? 'UTC' : zoneName };
}

function toUTC(t: Tm): Tm {
  return fromUnix(unixSeconds(t), BigInt(t.nsec));
}

export const RFC3339Nano = '2006-01-02T15:04:05.999999999Z07:00';

/** Parses an RFC 3339 time as CUE's time values are. */
function parseRFC3339(s: string): Tm {
  return parse(RFC3339Nano, s);
}

// ---- durations ----

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
const MAX_D = 1n << 63n;

/** Go's time.ParseDuration. */
export function parseDuration(orig: string): bigint {
  const invalid = (): never => fail(`time: invalid duration ${quoteGo(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') invalid();
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) invalid();
    const mi = /^\d*/.exec(s)![0];
    const pre = mi.length > 0;
    let v = pre ? BigInt(mi) : 0n;
    if (v >= MAX_D) invalid();
    s = s.slice(mi.length);
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      const fr = /^\d*/.exec(s)![0];
      post = fr.length > 0;
      // leadingFraction: stop accumulating once more digits would overflow.
      let overflow = false;
      for (const c of fr) {
        if (overflow) continue;
        if (f > (MAX_D - 1n) / 10n) {
          overflow = true;
          continue;
        }
        f = f * 10n + BigInt(c.charCodeAt(0) - 48);
        scale *= 10;
      }
      s = s.slice(fr.length);
    }
    if (!pre && !post) invalid();
    const um = /^[^.0-9]*/.exec(s)![0];
    if (um === '') fail(`time: missing unit in duration ${quoteGo(orig)}`);
    s = s.slice(um.length);
    const unit = Object.hasOwn(UNITS, um) ? UNITS[um] : undefined;
    if (unit === undefined) fail(`time: unknown unit ${quoteGo(um)} in duration ${quoteGo(orig)}`);
    if (v > MAX_D / unit) invalid();
    v *= unit;
    if (f > 0n) {
      // Go computes this term in float64.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > MAX_D) invalid();
    }
    d += v;
    if (d > MAX_D) invalid();
  }
  if (neg) return -d;
  if (d > MAX_D - 1n) invalid();
  return d;
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let s = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) s = digit.toString() + s;
    v /= 10n;
  }
  if (print) s = '.' + s;
  return [s, v];
}

/** Go's Duration.String. */
export function formatDuration(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const [frac, rest] = fmtFrac(u, prec);
    out = rest.toString() + frac + unit;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = (u % 60n).toString() + frac + 's';
    u /= 60n;
    if (u > 0n) {
      out = (u % 60n).toString() + 'm' + out;
      u /= 60n;
      if (u > 0n) out = u.toString() + 'h' + out;
    }
  }
  return neg ? '-' + out : out;
}

const checkInt64 = (v: bigint) => {
  if (v >= MAX_D || v < -MAX_D) fail(`cannot use ${v} (type int) as int64: value out of range`);
  return v;
};

export const timePackage: BuiltinPackage = {
  path: 'time',
  funcs: {
    Duration: fn(['string'], ([s]) => (parseDuration(str(s)), true), { validator: true }),
    FormatDuration: fn(['int'], ([d]) => formatDuration(checkInt64(bigint(d)))),
    ParseDuration: fn(['string'], ([s]) => parseDuration(str(s))),
    Time: fn(['string'], ([s]) => {
      const x = str(s);
      try {
        parseRFC3339(x);
      } catch {
        fail(`invalid time ${quoteGo(x)}`);
      }
      return true;
    }, { validator: true }),
    Format: fn(['string', 'string'], ([v, l]) => {
      const x = str(v);
      try {
        parse(str(l), x);
      } catch {
        fail(`invalid time ${quoteGo(x)}`);
      }
      return true;
    }, { validator: true }),
    FormatString: fn(['string', 'string'], ([l, v]) => format(parseRFC3339(str(v)), str(l))),
    Parse: fn(['string', 'string'], ([l, v]) => format(toUTC(parse(str(l), str(v))), RFC3339Nano)),
    Unix: fn(['int', 'int'], ([s, n]) => format(fromUnix(checkInt64(bigint(s)), checkInt64(bigint(n))), RFC3339Nano)),
    ToUnix: fn(['string'], ([v]) => unixSeconds(parseRFC3339(str(v)))),
    ToUnixNano: fn(['string'], ([v]) => {
      const t = parseRFC3339(str(v));
      return unixSeconds(t) * 1_000_000_000n + BigInt(t.nsec);
    }),
    Split: fn(['string'], ([v]) => {
      const t = parseRFC3339(str(v));
      const out: CStruct = new Map([
        ['year', BigInt(t.year)],
        ['month', BigInt(t.month)],
        ['day', BigInt(t.day)],
        ['hour', BigInt(t.hour)],
        ['minute', BigInt(t.min)],
        ['second', BigInt(t.sec)],
        ['nanosecond', BigInt(t.nsec)],
      ]);
      return out;
    }),
  },
  consts: {
    Nanosecond: 1n,
    Microsecond: 1000n,
    Millisecond: 1000000n,
    Second: 1000000000n,
    Minute: 60000000000n,
    Hour: 3600000000000n,
    ANSIC: 'Mon Jan _2 15:04:05 2006',
    UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
    RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
    RFC822: '02 Jan 06 15:04 MST',
    RFC822Z: '02 Jan 06 15:04 -0700',
    RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
    RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
    RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
    RFC3339: '2006-01-02T15:04:05Z07:00',
    RFC3339Nano: RFC3339Nano,
    RFC3339Date: '2006-01-02',
    Kitchen: '3:04PM',
    Kitchen24: '15:04',
    January: 1n, February: 2n, March: 3n, April: 4n, May: 5n, June: 6n, July: 7n, August: 8n, September: 9n, October: 10n, November: 11n, December: 12n,
    Sunday: 0n, Monday: 1n, Tuesday: 2n, Wednesday: 3n, Thursday: 4n, Friday: 5n, Saturday: 6n,
  },
};
