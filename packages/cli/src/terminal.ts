// Nothing hostile reaches the terminal raw. A module's description, value
// names, a registry's error text or a condition message from the cluster may
// carry control characters (`ESC]0;title BEL`, `ESC[2J`, a carriage return that
// overwrites the line): every human-readable line opm prints shows them
// escaped (`\x1b`), and URLs in messages lose their user:password@ part.
// From its own module, not the package index: keeps the CUE evaluator out of start-up (see scripts/bundle-cli.js).
import { stripUrlCredentials } from '@opm/core/redact';

// C0 controls but tab and newline, DEL, and the C1 controls (0x9b is a one-byte CSI).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Control characters shown as `\xNN`; tab and newline kept. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** C1 controls (and DEL) as JSON/YAML `\u` escapes, for machine output that JSON.stringify leaves raw. */
export function escapeC1(text: string): string {
  return text.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A message for the user's terminal: credentials in URLs removed, control characters escaped. */
export function safeText(text: string): string {
  return escapeControl(stripUrlCredentials(text));
}

// Colour is added by opm itself: `paint` marks it with private-use characters,
// which survive escaping and become SGR sequences only when printed.
const OPEN = '\ue000';
const MID = '\ue001';
const CLOSE = '\ue002';

export function colourMark(s: string, code: number): string {
  return `${OPEN}${code}${MID}${s}${CLOSE}`;
}

/** Escapes the text, then turns opm's own colour marks into SGR sequences (or drops them). */
export function terminalText(text: string, colour: boolean): string {
  const safe = safeText(text);
  const re = new RegExp(`${OPEN}(\\d{1,3})${MID}`, 'g');
  return colour ? safe.replace(re, '\x1b[$1m').replaceAll(CLOSE, '\x1b[0m') : safe.replace(re, '').replaceAll(CLOSE, '');
}
