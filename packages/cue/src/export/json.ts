// JSON export with CUE's number formatting (exact ints, floats with a
// fraction or exponent).
import { base64OfByteString } from '../byte-string.js';
import { formatFloat } from '../eval/numbers.js';
import type { Data } from './data.js';

export function dataToJSON(d: Data, indent = 2): string {
  const out: string[] = [];
  enc(d, indent, '', out);
  return out.join('');
}

// Pushes the pieces onto one array, joined once, rather than mapping each
// list and struct to an array of strings and joining it (a string per level
// per value): exporting made a tenth of an evaluation's garbage.
function enc(d: Data, indent: number, cur: string, out: string[]): void {
  switch (d.k) {
    case 'null':
      out.push('null');
      return;
    case 'bool':
      out.push(String(d.b));
      return;
    case 'int':
      out.push(d.i.toString());
      return;
    case 'float':
      out.push(formatFloat(d.d));
      return;
    case 'string':
      out.push(JSON.stringify(d.s));
      return;
    case 'bytes':
      out.push(JSON.stringify(base64OfByteString(d.s)));
      return;
    case 'list': {
      const items = d.items;
      if (items.length === 0) {
        out.push('[]');
        return;
      }
      const inner = indent ? cur + ' '.repeat(indent) : '';
      for (let i = 0; i < items.length; i++) {
        out.push(i ? ',' : '[');
        if (indent) out.push('\n', inner);
        enc(items[i]!, indent, inner, out);
      }
      if (indent) out.push('\n', cur);
      out.push(']');
      return;
    }
    case 'struct': {
      const fields = d.fields;
      if (fields.length === 0) {
        out.push('{}');
        return;
      }
      const inner = indent ? cur + ' '.repeat(indent) : '';
      for (let i = 0; i < fields.length; i++) {
        out.push(i ? ',' : '{');
        if (indent) out.push('\n', inner);
        out.push(JSON.stringify(fields[i]![0]), indent ? ': ' : ':');
        enc(fields[i]![1], indent, inner, out);
      }
      if (indent) out.push('\n', cur);
      out.push('}');
      return;
    }
  }
}
