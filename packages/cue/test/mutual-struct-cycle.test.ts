// Structs that include each other's fields through references (`z: x.b`,
// `x: b: y.c`, `y: c: z.d`) form a reference cycle whose value must not
// depend on the order the declarations are written in. A struct that saw a
// struct still in progress is evaluated again once that one is done; one
// that saw it only through another such struct waits for the outermost, and
// a field looked up while a shared struct is being copied may come from the
// very conjunct that made it copy (ahead.ts, share.ts).
import { describe, expect, it } from 'vitest';
import { compile, permutations } from './eval-helpers.js';

function allOrders(decls: string[], want: unknown): void {
  for (const p of permutations(decls)) {
    const src = p.join('\n');
    expect(compile(src).toJS(), src).toEqual(want);
  }
}

describe('mutually referring structs', () => {
  it('three structs in a cycle through a field declared last get the same value in every order', () => {
    allOrders(['z: x.b', 'x: b: y.c', 'x: b: {d: b: 2}', 'y: c: z.d', 'z: d: {a: 1}'], {
      x: { b: { d: { b: 2 }, a: 1, b: 2 } },
      y: { c: { a: 1, b: 2 } },
      z: { d: { a: 1, b: 2 }, a: 1, b: 2 },
    });
  });

  it('the same cycle one level deeper and with more fields', () => {
    allOrders(['r: z: q.x.b', 'q: x: b: r.y.c', 'q: x: b: {d: {b: 2, e: "e"}}', 'r: y: c: r.z.d', 'r: z: d: {a: 1, f: [1]}'], {
      q: { x: { b: { d: { b: 2, e: 'e' }, a: 1, f: [1], b: 2, e: 'e' } } },
      r: {
        y: { c: { a: 1, f: [1], b: 2, e: 'e' } },
        z: { d: { a: 1, f: [1], b: 2, e: 'e' }, a: 1, f: [1], b: 2, e: 'e' },
      },
    });
  });
});
