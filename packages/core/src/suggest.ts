// "Did you mean …?" for misspelled names: a misspelled key must be an error that
// points at the intended one, not a field that is silently ignored.

/** Edit distance with transpositions (optimal string alignment), ending early once a whole row exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const swap = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] ? prev2[j - 2]! + 1 : Infinity;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), swap);
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest of `known` to `word` (at most 2 edits, or a third of its length for long words), if any. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const max = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = max + 1;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase(), max);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/** ` (did you mean X?)`, or nothing. */
export function didYouMean(word: string, known: readonly string[]): string {
  const c = closest(word, known);
  return c ? ` (did you mean ${c}?)` : '';
}
