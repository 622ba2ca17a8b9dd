// When an archive cannot be parsed or its run is cut off, its assertions are
// still counted (as failures) from a textual scan, so a crash never shrinks
// the denominator.
import { isInternal, SEMANTIC } from './directive.js';
import type { AssertionResult } from './types.js';
import { parseTxtar } from './txtar.js';

export function estimateAssertions(archive: string, reason: string): AssertionResult[] {
  const out: AssertionResult[] = [];
  for (const f of parseTxtar(archive).files) {
    if (!f.name.endsWith('.cue') || f.name.startsWith('out/')) continue;
    const lines = f.data.split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      for (const m of code.matchAll(/@test\(\s*([A-Za-z]+)(?::(\w+))?\s*(=\s*\w+)?/g)) {
        const name = m[1]!;
        const version = m[2] ?? '';
        if (version && version !== 'v3') continue;
        const counted = SEMANTIC.has(name) || isInternal(name);
        if (!counted) continue;
        out.push({
          path: '?',
          directive: name,
          status: isInternal(name) ? 'unsupported' : 'fail',
          at: `${f.name}:${i + 1}:${(m.index ?? 0) + 1}`,
          text: m[0],
          message: reason,
        });
      }
    });
  }
  return out;
}
