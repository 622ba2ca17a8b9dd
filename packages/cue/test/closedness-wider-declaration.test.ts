// A definition that embeds #M and declares more of a field (`#W: {#M, m: g: 2}`)
// does not lend those fields to #M when both are referred to at one value:
// #M's m still allows f alone, whichever of #W and #M comes first (a second
// reference to #M's declaration joined #W's wider group when #W came first).
import { describe, expect, it } from 'vitest';
import { compile, errAt, permutations } from './eval-helpers.js';

describe('a definition embedded by a wider one, both referred to', () => {
  it('rejects what only the wider one declares, in every order', () => {
    for (const r of ['r: #W & #M', 'r: #M & #W', 'r: #W\nr: #M', 'r: #M\nr: #W'])
      for (const p of permutations(['#M: m: {f: 1}', '#W: {#M, m: {g: 2}}', r])) expect(errAt(p.join('\n'), 'r.m.g'), p.join('; ')).toBe('field not allowed');
  });

  it('keeps the definition itself referred to twice whole', () => {
    for (const p of permutations(['#M: m: {f: 1}', '#W: {#M, m: {g: 2}}', 'r: #W & #W', 'q: #M & #M'])) {
      const v = compile(p.join('\n'));
      expect(v.lookupPath('r').toJS(), p.join('; ')).toEqual({ m: { f: 1, g: 2 } });
      expect(v.lookupPath('q').toJS(), p.join('; ')).toEqual({ m: { f: 1 } });
    }
  });

  it('keeps a definition referred to twice whole when it embeds another and declares the field by reference too', () => {
    // timoni's #Config shape: metadata: #ObjectMeta beside labels from an embedding.
    const decls = ['#OM: {name?: string, labels?: {...}}', '#B: m: labels: v: "1"', '#C: {\n\t#B\n\tm: #OM\n\tm: labels: *sel | {...}\n\tsel: *{n: m.name} | {...}\n}', 'i: #C & #C & {m: name: "t"}', 'j: #C\nj: #C\nj: m: name: "t"'];
    for (const p of permutations(decls)) {
      const v = compile(p.join('\n'));
      for (const path of ['i.m', 'j.m']) expect(v.lookupPath(path).toJS(), p.join('; ')).toEqual({ name: 't', labels: { n: 't', v: '1' } });
    }
  });
});
