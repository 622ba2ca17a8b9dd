// YAML export in the style of `cue export --out yaml`: block style, strings
// that would read as another type are quoted, floats keep a fraction, and a
// list's items are indented under their key (cue's default; cue-lang/cue#4177
// added an option to turn that off, keeping the default).
import { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { base64OfByteString } from '../byte-string.js';
import { formatFloat } from '../eval/numbers.js';
import type { Data } from './data.js';

export function dataToYAML(d: Data): string {
  const doc = new Document();
  doc.contents = node(d, doc) as never;
  return doc.toString({ lineWidth: 0 });
}

function node(d: Data, doc: Document): unknown {
  switch (d.k) {
    case 'null':
      return new Scalar(null);
    case 'bool':
      return new Scalar(d.b);
    case 'int': {
      const s = new Scalar(d.i >= BigInt(Number.MIN_SAFE_INTEGER) && d.i <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(d.i) : d.i);
      return s;
    }
    case 'float': {
      // YAML numbers are doubles; keep CUE's fraction digits (`2.0`).
      // Floats needing more than double precision lose digits here.
      const text = formatFloat(d.d);
      const s = new Scalar(d.d.toNumber());
      const m = /^-?\d+\.(\d+)$/.exec(text);
      if (m) s.minFractionDigits = m[1]!.length;
      return s;
    }
    case 'string':
      return new Scalar(d.s);
    case 'bytes':
      return new Scalar(base64OfByteString(d.s));
    case 'list': {
      const seq = new YAMLSeq();
      for (const x of d.items) seq.items.push(node(x, doc) as never);
      if (d.items.length === 0) seq.flow = true;
      return seq;
    }
    case 'struct': {
      const m = new YAMLMap();
      for (const kv of d.fields) {
        const k = kv[0];
        const x = kv[1];
        m.items.push(doc.createPair(k, node(x, doc)) as never);
      }
      if (d.fields.length === 0) m.flow = true;
      return m;
    }
  }
}

