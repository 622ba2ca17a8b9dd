import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { builtinPackages, type Arg, type BuiltinContext } from '../src/builtins/index.js';

const ctx: BuiltinContext = { less: () => false, validate: () => undefined, toOpaque: () => ({ opaque: true }) };
const p = (name: string, ...args: Arg[]) => builtinPackages.get('path')!.funcs[name]!.impl(args, ctx);
const r = String.raw;

// Expected values are CUE's (pkg/path/testdata/join.txtar and os.txtar).
describe('path with os: "windows"', () => {
  it('joins', () => {
    const cases: [string[], string][] = [
      [['a', 'b'], r`a\b`],
      [['a/b', 'c/d'], r`a\b\c\d`],
      [['/'], '\\'],
      [['a'], 'a'],
      [['a', ''], 'a'],
      [['', 'b'], 'b'],
      [['/', 'a'], r`\a`],
      [['/', 'a/b'], r`\a\b`],
      [['/', ''], '\\'],
      [['//', 'a'], r`\a`],
      [['directory', 'file'], r`directory\file`],
      [[(r`C:\Windows` + '\\'), 'System32'], r`C:\Windows\System32`],
      [[(r`C:\Windows` + '\\'), ''], r`C:\Windows`],
      [[(r`C:` + '\\'), 'Windows'], r`C:\Windows`],
      [['C:', r`a\b`], r`C:a\b`],
      [['C:', 'a', 'b'], r`C:a\b`],
      [['C:', '', '', 'b'], 'C:b'],
      [['C:', ''], 'C:.'],
      [['C:', '', ''], 'C:.'],
      [['C:.', 'a'], 'C:a'],
      [['C:a', 'b'], r`C:a\b`],
      [[r`\\host\share`, 'foo'], r`\\host\share\foo`],
    ];
    for (const [args, want] of cases) expect(p('Join', args, 'windows'), JSON.stringify(args)).toBe(want);
  });
  it('splits, cleans, matches and resolves', () => {
    expect(p('Split', r`\\host\share\foo`, 'windows')).toEqual([(r`\\host\share` + '\\'), 'foo']);
    expect(p('Split', r`c:\foo\bar`, 'windows')).toEqual([(r`c:\foo` + '\\'), 'bar']);
    expect(p('Split', '/foo/bar/baz', 'windows')).toEqual(['/foo/bar/', 'baz']);
    expect(p('SplitList', 'a;b', 'windows')).toEqual(['a', 'b']);
    expect(p('SplitList', 'a:b', 'windows')).toEqual(['a:b']);
    expect(p('SplitList', '"a;b";c', 'windows')).toEqual(['a;b', 'c']);
    expect(p('Clean', 'abc//def//ghi', 'windows')).toBe(r`abc\def\ghi`);
    expect(p('Clean', r`c:\abc\def\..\..`, 'windows')).toBe('c:\\');
    expect(p('Match', '*c', 'abc', 'windows')).toBe(true);
    expect(p('Match', '*.txt', 'a/b.txt', 'windows')).toBe(true);
    expect(p('Match', '*.zip', r`c:\a\b\file.zip`, 'windows')).toBe(false);
    expect(p('ToSlash', r`\a\\b`, 'windows')).toBe('/a//b');
    expect(p('FromSlash', '/a//b', 'windows')).toBe(r`\a\\b`);
    expect(p('Ext', r`a.dir\foo`, 'windows')).toBe('');
    expect(p('Ext', 'path.pb.go', 'windows')).toBe('.go');
    expect(p('Resolve', 'a/b/c', 'd/e', 'windows')).toBe(r`a\b\c\d\e`);
    expect(p('Resolve', '/a/b', '/c/d', 'windows')).toBe(r`\a\b\c\d`);
    expect(p('Resolve', 'c:/a', (r`d:` + '\\'), 'windows')).toBe((r`d:` + '\\'));
    expect(p('Resolve', '//home/user/foo', 'bar', 'windows')).toBe(r`\\home\user\foo\bar`);
    expect(p('Resolve', '//home/user/foo', '//other/abs/foo', 'windows')).toBe(r`\\other\abs\foo`);
  });
  it('knows absolute paths and volume names', () => {
    const abs: [string, boolean][] = [['', false], ['/a', false], ['a', false], ['c:', false], ['c:/', true], ['c:\\', true], ['//home/user/foo', true], ['NUL', true]];
    for (const [x, want] of abs) expect(p('IsAbs', x, 'windows'), x).toBe(want);
    const vols: [string, string][] = [
      ['c:/foo/bar', 'c:'],
      ['c:', 'c:'],
      ['2:', ''],
      ['', ''],
      [r`\\\host`, ''],
      [(r`\\\host` + '\\'), ''],
      [r`\\\host\share`, ''],
      [r`\\\host\\share`, ''],
      [r`\\host`, ''],
      ['//host', ''],
      [(r`\\host` + '\\'), ''],
      ['//host/', ''],
      [r`\\host\share`, r`\\host\share`],
      ['//host/share', '//host/share'],
      [(r`\\host\share` + '\\'), r`\\host\share`],
      ['//host/share/', '//host/share'],
      [r`\\host\share\foo`, r`\\host\share`],
      ['//host/share/foo', '//host/share'],
      [r`\\host\share\\foo\\\bar\\\\baz`, r`\\host\share`],
      ['//host/share//foo///bar////baz', '//host/share'],
      [r`\\host\share\foo\..\bar`, r`\\host\share`],
      ['//host/share/foo/../bar', '//host/share'],
    ];
    for (const [x, want] of vols) {
      expect(p('VolumeName', x), x).toBe(want);
      expect(p('VolumeName', x, 'unix'), x).toBe('');
    }
  });
  it('computes relative paths and bases like filepath on Windows', () => {
    expect(p('Rel', r`C:\a\b`, r`C:\a\c\d`, 'windows')).toBe(r`..\c\d`);
    expect(p('Rel', r`C:\A\b`, r`c:\a\B\x`, 'windows')).toBe('x');
    expect(() => p('Rel', r`C:\a`, r`D:\a`, 'windows')).toThrow("Rel: can't make");
    expect(p('Base', (r`c:\foo\bar` + '\\'), 'windows')).toBe('bar');
    expect(p('Base', (r`c:` + '\\'), 'windows')).toBe('\\');
    expect(p('Dir', r`c:\foo\bar`, 'windows')).toBe(r`c:\foo`);
    expect(p('Dir', r`\\host\share\foo`, 'windows')).toBe((r`\\host\share` + '\\'));
    expect(p('Dir', r`\\host\share`, 'windows')).toBe(r`\\host\share`);
  });
  it('cleaning is idempotent on both systems', () => {
    // (No drive letters: Windows Clean("a/../c:") is "c:", which cleans to "c:.".)
    const seg = fc.constantFrom('a', 'b', '.', '..', '', '\\', '/');
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 8 }), fc.constantFrom('unix', 'windows'), (parts, os) => {
        const once = p('Clean', parts.join('/'), os) as string;
        expect(p('Clean', once, os)).toBe(once);
      }),
    );
  });
});
