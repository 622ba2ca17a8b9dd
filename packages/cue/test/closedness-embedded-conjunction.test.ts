// Embedding a field whose value is a conjunction with a definition
// (`d: #D & {x: 0}`, `f: {d, z: 1}`) closes the embedding literal to what d
// allows plus the literal's own fields, as embedding #D itself does: the
// conjunction's closedness group is part of the embedding, not a root of f
// of its own. (It was: `f.z: field not allowed`; the shape of Timoni's and
// KubeVela's `{#config.metadata, extra: ...}`.)
import { describe, expect, it } from 'vitest';
import { compile, errOf } from './eval-helpers.js';
import { debug } from '../src/eval/share.js';

const D = '#D: {x: int}\nd: #D & {x: 0}\n';

describe('an embedded value that is a conjunction with a definition', () => {
  for (const sharing of [true, false]) {
    it(`allows the embedding literal's own fields (sharing ${sharing})`, () => {
      debug.sharing = sharing;
      try {
        expect(compile(`${D}f: {d, z: 1}`).lookupPath('f').toJS()).toEqual({ x: 0, z: 1 });
        expect(compile(`${D}f: {z: 1, d}`).lookupPath('f').toJS()).toEqual({ z: 1, x: 0 });
        expect(compile(`${D}f: {d, w: {d, q: 1}}`).lookupPath('f').toJS()).toEqual({ x: 0, w: { x: 0, q: 1 } });
        expect(compile('d: close({x: int}) & {x: 0}\nf: {d, z: 1}').lookupPath('f').toJS()).toEqual({ x: 0, z: 1 });
        expect(compile('#A: {a?: int, b?: int}\n#B: {a?: int}\nd: #A & #B & {a: 1}\nf: {d, z: 1}').lookupPath('f').toJS()).toEqual({ a: 1, z: 1 });
        expect(compile(`${D}f: {d, #h: 1, z: 1}`).lookupPath('f').toJS()).toEqual({ x: 0, z: 1 });
      } finally {
        debug.sharing = true;
      }
    });

    it(`still closes the literal to other conjuncts and keeps d's own restrictions (sharing ${sharing})`, () => {
      debug.sharing = sharing;
      try {
        for (const src of [`${D}f: d & {z: 1}`, `${D}f: {d}\nf: z: 1`, `${D}f: {d} & {z: 1}`, `${D}f: {d, z: 1}\nf: y: 1`]) {
          expect(errOf(src, 'f').message, src).toContain('not allowed');
        }
        expect(errOf(`${D}f: {d, x: 2}`, 'f.x').message).toContain('conflicting values');
        expect(errOf('#A: {a?: int}\n#B: {a?: int, b?: int}\nd: #A & #B\nf: {d, z: 1}\nf: b: 1', 'f').message).toContain('not allowed');
      } finally {
        debug.sharing = true;
      }
    });
  }
});
