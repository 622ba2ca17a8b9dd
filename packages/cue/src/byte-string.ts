// CUE bytes values are held as strings of one char per byte (code points
// 0-255). Conversions from and to Uint8Array without Node's Buffer, so the
// engine runs in a browser.
import { base64Encode } from './builtins/encoding.js';

export function bytesOfByteString(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function byteStringOf(b: Uint8Array): string {
  let out = '';
  // In slices: String.fromCharCode takes its bytes as arguments.
  for (let i = 0; i < b.length; i += 0x8000) out += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return out;
}

/** Standard base64 with padding (how JSON and YAML exports write bytes). */
export function base64OfByteString(s: string): string {
  return base64Encode(bytesOfByteString(s));
}
