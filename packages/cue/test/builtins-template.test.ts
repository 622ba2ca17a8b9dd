import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { BuiltinError, builtinPackages, type Arg, type BuiltinContext, type Concrete } from '../src/builtins/index.js';

const ctx: BuiltinContext = { less: () => false, validate: () => undefined, toOpaque: () => ({ opaque: true }) };
const call = (name: string, ...args: Arg[]) => builtinPackages.get('text/template')!.funcs[name]!.impl(args, ctx);
const M = (...kv: [string, Concrete][]) => new Map<string, Concrete>(kv);

// Expected outputs were produced by Go's text/template through CUE.
const d = M(
  ['s', 'myname'],
  ['n', 3n],
  ['f', new Decimal('1.5')],
  ['big', new Decimal('1e20')],
  ['b', true],
  ['l', [1n, 'x', M(['a', 1n])]],
  ['m', M(['z', 1n], ['a', 'q'])],
  ['e', []],
  ['nul', null],
);

describe('text/template', () => {
  it('executes the supported subset like Go', () => {
    expect(call('Execute', '{{.s}}', M(['s', 'myname']))).toBe('myname');
    expect(call('Execute', '{{.n}} {{.f}} {{.big}} {{.b}} {{.l}} {{.m}} {{.missing}} {{.nul}}', d)).toBe(
      '3 1.5 1e+20 true [1 x map[a:1]] map[a:q z:1] <no value> <no value>',
    );
    expect(call('Execute', '{{range .l}}[{{.}}]{{end}}|{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}|{{range .e}}x{{else}}empty{{end}}', d)).toBe(
      '[1][x][map[a:1]]|a=q;z=1;|empty',
    );
    expect(call('Execute', '{{if .b}}yes{{else}}no{{end}} {{if not .b}}yes{{else if .n}}n{{end}} {{with .m}}{{.z}}{{end}}', d)).toBe('yes n 1');
    expect(call('Execute', 'a  {{- .s -}}  b\n{{/* comment */}}c {{- /* c2 */}} d', d)).toBe('amynameb\nc d');
    expect(
      call('Execute', '{{len .l}} {{index .l 1}} {{index .m "a"}} {{eq .n 3}} {{lt .f 2.0}} {{printf "%s-%d-%v-%q" .s .n .f .s}} {{print 1 2 "a" 3}}', d),
    ).toBe('3 x q true true myname-3-1.5-"myname" 1 2a3');
    expect(call('Execute', `{{.s | printf "%q"}} {{html "<a href='x'>&"}} {{js "a'b<"}} {{and .b .n}} {{or .nul .s}}`, d)).toBe(
      `"myname" &lt;a href=&#39;x&#39;&gt;&amp; a\\'b\\u003C 3 myname`,
    );
    expect(call('Execute', '{{$x := .s}}{{$x}}-{{$.n}}', d)).toBe('myname-3');
  });
  it('formats with printf like Go', () => {
    const v = M(['s', 'héllo'], ['n', 42n], ['neg', -7n], ['f', new Decimal('3.14159')], ['b', true], ['l', [1n, 2n]]);
    const run = (t: string) => call('Execute', t, v);
    expect(run('{{printf "[%5d|%-5d|%05d|%+d|%x|%X|%o|%b|%c]" .n .n .neg .n .n .n .n .n .n}}')).toBe('[   42|42   |-0007|+42|2a|2A|52|101010|*]');
    expect(run('{{printf "[%8s|%-8s|%.2s|%q|%x|%v|%t]" .s .s .s .s "ab" .l .b}}')).toBe('[   héllo|héllo   |hé|"héllo"|6162|[1 2]|true]');
    expect(run('{{printf "[%f|%.2f|%8.3f|%e|%g|%G|%+.1f]" .f .f .f .f .f .f .f}}')).toBe('[3.141590|3.14|   3.142|3.141590e+00|3.14159|3.14159|+3.1]');
    expect(run('{{printf "[%d|%s|%t]" .s .n .s}}')).toBe('[%!d(string=héllo)|%!s(int=42)|%!t(string=héllo)]');
    expect(run('{{printf "[%d %d]" .n}}')).toBe('[42 %!d(MISSING)]');
    expect(run('{{printf "[%d]" .n .n .s}}')).toBe('[42]%!(EXTRA int=42, string=héllo)');
    expect(run('{{printf "%v %v" .l (index .l 0)}}')).toBe('[1 2] 1');
  });
  it('reports errors and unsupported constructs', () => {
    expect(() => call('Execute', '{{.s', d)).toThrow(BuiltinError);
    expect(() => call('Execute', '{{nosuch .s}}', d)).toThrow('function "nosuch" not defined');
    expect(() => call('Execute', '{{template "x"}}', d)).toThrow('not supported');
    expect(() => call('Execute', '{{if .b}}x', d)).toThrow('unexpected EOF');
    expect(() => call('Execute', '{{.s.x}}', d)).toThrow("can't evaluate field x");
  });
  it('escapes', () => {
    expect(call('HTMLEscape', `<a href="x">'&'</a>`)).toBe('&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(call('JSEscape', 'a\'b"c<d>e&f=g\n\\')).toBe('a\\\'b\\"c\\u003Cd\\u003Ee\\u0026f\\u003Dg\\u000A\\\\');
  });
});
