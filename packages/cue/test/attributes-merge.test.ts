// Field attributes of unified fields: each written form once, in the order met.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const attrs = (src: string, path: string) => compile(src).lookupPath(path).attrs().map((a) => a.text);

describe('attributes of unified fields', () => {
  it('keeps an attribute written the same way in both operands once', () => {
    expect(attrs('a: {f: 1 @foo() @baz(1)}\nb: {f: 1 @bar() @foo()}\nc: a & b', 'c.f')).toEqual(['@foo()', '@baz(1)', '@bar()']);
  });

  it('keeps attributes of one name with different arguments', () => {
    expect(attrs('a: {f: 1 @foo()}\ne: a & {f: 1 @foo(other)}', 'e.f').sort()).toEqual(['@foo()', '@foo(other)']);
  });
});
