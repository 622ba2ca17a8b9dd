// JSON export with CUE's number formatting (exact ints, floats with a
// fraction or exponent).
import { base64OfByteString } from '../byte-string.js';
import { formatFloat } from '../eval/numbers.js';
import type { Data } from './data.js';

export function dataToJSON(d: Data, indent = 2): string {
  return enc(d, indent, '');
}

function enc(d: Data, indent: number, cur: string): string {
  switch (d.k) {
    case 'null':
      return 'null';
    case 'bool':
      return String(d.b);
    case 'int':
      return d.i.toString();
    case 'float':
      return formatFloat(d.d);
    case 'string':
      return JSON.stringify(d.s);
    case 'bytes':
      return JSON.stringify(base64OfByteString(d.s));
    case 'list': {
      if (d.items.length === 0) return '[]';
      if (!indent) return `[${d.items.map((x) => enc(x, 0, '')).join(',')}]`;
      const inner = cur + ' '.repeat(indent);
      return `[\n${d.items.map((x) => inner + enc(x, indent, inner)).join(',\n')}\n${cur}]`;
    }
    case 'struct': {
      if (d.fields.length === 0) return '{}';
      if (!indent) return `{${d.fields.map(([k, x]) => `${JSON.stringify(k)}:${enc(x, 0, '')}`).join(',')}}`;
      const inner = cur + ' '.repeat(indent);
      return `{\n${d.fields.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${enc(x, indent, inner)}`).join(',\n')}\n${cur}}`;
    }
  }
}
