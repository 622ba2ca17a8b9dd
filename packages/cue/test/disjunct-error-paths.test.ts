// When every disjunct of a struct fails, each reason says where in the
// disjunct it arose, as CUE does: the disjuncts usually fail on different
// fields (or on the same message at different fields), and the messages
// alone said "field not allowed; field not allowed" with nothing to tell
// which. Equal reasons are given once.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const errAt = (src: string, path: string) => compile(src).lookupPath(path).err()?.message;

describe('an empty disjunction of structs', () => {
  it('says where each disjunct failed', () => {
    const msg = errAt(
      `#V: {image: {repository: "r", tag: "1"}}
v: #V
x: {image: v.image} | {image: v.test.image} | {image: v.image & {tag: 2}}
x: {image: tag: "3"}`,
      'x',
    );
    expect(msg).toContain('3 errors in empty disjunction: ');
    expect(msg).toContain('image.tag: conflicting values "1" and "3"');
    expect(msg).toContain('image: undefined field: test');
    expect(msg).toContain('image.tag: conflicting values "1" and 2');
  });

  it('gives an equal reason once, with the field a closed struct does not allow', () => {
    const msg = errAt('#A: {image: tag: string}\n#B: {image: digest: string}\nx: #A | #B\nx: image: repo: "r"', 'x');
    expect(msg).toMatch(/2 errors in empty disjunction: image\.repo: field not allowed\n/);
  });
});
