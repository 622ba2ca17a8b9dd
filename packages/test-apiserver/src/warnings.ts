// The `Warning` response headers, as kube-apiserver's warning recorder writes
// them (apiserver endpoints/filters/warning.go, apimachinery util/net
// NewWarningHeader): `299 - "text"` with `"` and `\` escaped and the text's UTF-8
// bytes as they are; an empty text, a repeated one, or one with a control
// character is not sent (a lone surrogate is U+FFFD, as Go's JSON decoder reads it). Once the texts add up to more than
// 4096 characters, every warning is cut to 256 characters, and the ones past
// 4096 after that are dropped. Warnings come from the server itself (unknown
// fields) and from admission webhooks (their `warnings`, allowed or denied).

const TOTAL_RUNES = 4 * 1024;
const ITEM_RUNES = 256;

// Go's unicode.IsControl: C0, DEL and C1.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function header(text: string): string {
  const quoted = `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  // Node writes header values as latin1: the UTF-8 bytes of the text, one char each, go out as they are.
  return Buffer.from(`299 - ${quoted}`, 'utf8').toString('latin1');
}

const runes = (s: string) => [...s];

/** The header values for these warnings, in order. */
export function warningHeaders(warnings: string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const given of warnings) {
    const w = given.replace(LONE_SURROGATE, '\ufffd');
    if (!w || seen.has(w)) continue;
    seen.add(w);
    if (!CONTROL.test(w)) kept.push(w);
  }
  let written = 0;
  let truncating = false;
  let out: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    if (truncating && written >= TOTAL_RUNES) break;
    let text = kept[i]!;
    let n = runes(text).length;
    if (truncating && n > ITEM_RUNES) {
      text = runes(text).slice(0, ITEM_RUNES).join('');
      n = ITEM_RUNES;
    }
    if (written + n <= TOTAL_RUNES || truncating) {
      written += n;
      out.push(header(text));
      continue;
    }
    // Over the limit: from now on every warning is cut, the ones already written included.
    truncating = true;
    written = 0;
    out = [];
    for (const prev of kept.slice(0, i + 1)) {
      const r = runes(prev);
      const cut = r.length > ITEM_RUNES ? r.slice(0, ITEM_RUNES).join('') : prev;
      written += Math.min(r.length, ITEM_RUNES);
      out.push(header(cut));
    }
  }
  return out;
}
