import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { BuiltinError, builtinPackages, type Arg, type BuiltinContext, type Concrete } from '../src/builtins/index.js';

// A schema stand-in: the opaque schema carries a JS check returning an error message or undefined.
type Schema = { opaque: true; check: (v: Concrete) => string | undefined };
const ctx: BuiltinContext = {
  less: () => false,
  validate: (v, s) => (s as Schema).check(v),
  toOpaque: () => ({ opaque: true }),
};

function call(pkg: string, name: string, ...args: Arg[]) {
  const f = builtinPackages.get(pkg)?.funcs[name];
  if (!f) throw new Error(`no ${pkg}.${name}`);
  return f.impl(args, ctx);
}
const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: unknown) => Buffer.from(b as Uint8Array).toString('hex');
const D = (s: string) => new Decimal(s);
const M = (...kv: [string, Concrete][]) => new Map<string, Concrete>(kv);

describe('crypto', () => {
  it('matches known-answer vectors', () => {
    expect(hex(call('crypto/md5', 'Sum', ''))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hex(call('crypto/md5', 'Sum', 'abc'))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hex(call('crypto/md5', 'Sum', 'The quick brown fox jumps over the lazy dog'))).toBe('9e107d9d372bb6826bd81d3542a419d6');
    expect(hex(call('crypto/sha1', 'Sum', ''))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(call('crypto/sha1', 'Sum', 'abc'))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(call('crypto/sha256', 'Sum256', ''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(call('crypto/sha256', 'Sum256', 'abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(call('crypto/sha256', 'Sum256', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(hex(call('crypto/sha256', 'Sum224', 'abc'))).toBe('23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7');
    expect(hex(call('crypto/sha512', 'Sum512', 'abc'))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
    expect(hex(call('crypto/sha512', 'Sum384', 'abc'))).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    );
    expect(hex(call('crypto/sha512', 'Sum512_224', 'abc'))).toBe('4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa');
    expect(hex(call('crypto/sha512', 'Sum512_256', 'abc'))).toBe('53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
    expect(builtinPackages.get('crypto/sha256')!.consts!.Size).toBe(32n);
  });
  it('signs with HMAC (RFC 4231 / RFC 2202 vectors)', () => {
    const key = new Uint8Array(20).fill(0x0b);
    expect(hex(call('crypto/hmac', 'Sign', 'SHA256', key, 'Hi There'))).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(hex(call('crypto/hmac', 'Sign', 'SHA512', key, 'Hi There'))).toBe(
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    );
    expect(hex(call('crypto/hmac', 'Sign', 'MD5', 'Jefe', 'what do ya want for nothing?'))).toBe('750c783e6ab0b503eaa86e310a5db738');
    expect(() => call('crypto/hmac', 'Sign', 'SHA3', 'k', 'd')).toThrow('unsupported hash function');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 100 }), (k, d) => {
        for (const [name, algo] of [['SHA1', 'sha1'], ['SHA384', 'sha384'], ['SHA224', 'sha224']]) {
          expect(hex(call('crypto/hmac', 'Sign', name!, k, d))).toBe(createHmac(algo!, k).update(d).digest('hex'));
        }
      }),
      { numRuns: 30 },
    );
  });
  it('verifies Ed25519 signatures', () => {
    const h = (x: string) => Uint8Array.from(Buffer.from(x, 'hex'));
    const v = (k: string, m: string, sig: string) => call('crypto/ed25519', 'Valid', h(k), h(m), h(sig));
    // CUE's pkg/crypto/ed25519 tests.
    const key = '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29';
    expect(v(key, '76616c6964', 'f796ce9e6e23cbc15f6d308e886b1996335a6b1c40f7d618b1a6646be262974fdcf811214ce2705e04252edc63b068c84f61e8cace7814b3aac9c93565e3d904')).toBe(true);
    expect(v(key, '6d657373616765206d69736d61746368', '708335b88a198dc75e7071b0b673a02c2cfff52d8d5a617a6a2de2cc487ba344ea832cb0b77383edad5651e75d397c3757d105c75e946bf04f2fcb38fdadce00')).toBe(false);
    expect(v('00'.repeat(32), '77726f6e67206b6579', 'f4c5e79897560f64bbe351c0d00c4e47d74c5393a20ac8056f54213b492963f98572ccb22f787fcc764f7e993bdd34e7f13ff8487ffc1dd647fce74b1093eb04')).toBe(false);
    expect(() => v('', '77726f6e67206b65792073697a65', '34b7fe250b3ddfb1ba7e56aca7e869a59c5208315f705323c4b3abf915c2a8c07537417bd988b0144929f52b1d00eb768741e7e139dca10412ae1997b6644c09')).toThrow(
      'ed25519: publicKey must be 32 bytes',
    );
    // RFC 8032 test 1 (empty message).
    expect(v('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '', 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b')).toBe(true);
    // Signatures made by node:crypto verify; altered ones do not.
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = Uint8Array.from(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(63), (msg, at) => {
        const sig = Uint8Array.from(sign(null, msg, privateKey));
        expect(call('crypto/ed25519', 'Valid', raw, msg, sig)).toBe(true);
        sig[at] = sig[at]! ^ 1;
        expect(call('crypto/ed25519', 'Valid', raw, msg, sig)).toBe(false);
      }),
      { numRuns: 15 },
    );
  });
  it('agrees with node:crypto on random inputs (bytes and block boundaries)', () => {
    const algos: [string, string, string][] = [
      ['crypto/md5', 'Sum', 'md5'],
      ['crypto/sha1', 'Sum', 'sha1'],
      ['crypto/sha256', 'Sum256', 'sha256'],
      ['crypto/sha256', 'Sum224', 'sha224'],
      ['crypto/sha512', 'Sum512', 'sha512'],
      ['crypto/sha512', 'Sum384', 'sha384'],
    ];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        for (const [pkg, fnName, algo] of algos) {
          expect(hex(call(pkg, fnName, data))).toBe(createHash(algo).update(data).digest('hex'));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('encoding/base64 and encoding/hex', () => {
  it('encodes and decodes', () => {
    expect(call('encoding/base64', 'Encode', null, 'foo')).toBe('Zm9v');
    expect(call('encoding/base64', 'Encode', null, enc('fo'))).toBe('Zm8=');
    expect(call('encoding/base64', 'Decode', null, 'Zm9vYmFy')).toEqual(enc('foobar'));
    expect(call('encoding/base64', 'Decode', null, 'Zm8=')).toEqual(enc('fo'));
    expect(() => call('encoding/base64', 'Decode', null, 'YQ')).toThrow('illegal base64 data at input byte 0');
    expect(() => call('encoding/base64', 'Decode', null, 'Zm9v!')).toThrow('illegal base64 data at input byte 4');
    expect(() => call('encoding/base64', 'Encode', 'url', 'x')).toThrow(BuiltinError);
    expect(() => call('encoding/base64', 'Decode', new Map(), 'foo')).toThrow('base64: unsupported encoding: cannot use value {} (type struct) as null');
    expect(() => call('encoding/base64', 'Decode', null, 'foo')).toThrow('illegal base64 data at input byte 0');
    expect(() => call('encoding/hex', 'Decode', 'foo')).toThrow("encoding/hex: invalid byte: U+006F 'o'");
    expect(call('encoding/hex', 'Dump', enc('foo'))).toBe('00000000  66 6f 6f                                          |foo|\n');
    expect(call('encoding/base64', 'EncodedLen', null, 4n)).toBe(8n);
    expect(call('encoding/base64', 'DecodedLen', null, 8n)).toBe(6n);
    expect(call('encoding/hex', 'Encode', 'Hello')).toBe('48656c6c6f');
    expect(call('encoding/hex', 'Decode', '48656C6c6f')).toEqual(enc('Hello'));
    expect(() => call('encoding/hex', 'Decode', 'zz')).toThrow("encoding/hex: invalid byte: U+007A 'z'");
    expect(() => call('encoding/hex', 'Decode', 'abc')).toThrow('encoding/hex: odd length hex string');
    expect(call('encoding/hex', 'EncodedLen', 5n)).toBe(10n);
    expect(call('encoding/hex', 'DecodedLen', 5n)).toBe(2n);
    expect(call('encoding/hex', 'Dump', enc('Hello, Gopher!\n\u0000more bytes here!!'))).toBe(
      '00000000  48 65 6c 6c 6f 2c 20 47  6f 70 68 65 72 21 0a 00  |Hello, Gopher!..|\n' +
        '00000010  6d 6f 72 65 20 62 79 74  65 73 20 68 65 72 65 21  |more bytes here!|\n' +
        '00000020  21                                                |!|\n',
    );
  });
  it('round-trips base64 and hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        const b64 = call('encoding/base64', 'Encode', null, data) as string;
        expect(b64).toBe(Buffer.from(data).toString('base64'));
        expect(call('encoding/base64', 'Decode', null, b64)).toEqual(data);
        expect(call('encoding/hex', 'Decode', call('encoding/hex', 'Encode', data) as string)).toEqual(data);
      }),
    );
  });
});

describe('uuid', () => {
  const ns = builtinPackages.get('uuid')!.consts!.ns as Map<string, string>;
  it('generates name-based UUIDs and parses forms', () => {
    expect(call('uuid', 'SHA1', ns.get('DNS')!, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    // From CUE's pkg/uuid tests.
    expect(call('uuid', 'SHA1', ns.get('DNS')!, 'cuelang.org')).toBe('052ef62d-7223-58b6-a551-c1deee46d401');
    expect(call('uuid', 'MD5', ns.get('URL')!, 'https://cuelang.org')).toBe('d891d69e-ae5c-39e0-9ead-164abd207f1f');
    expect(call('uuid', 'ToInt', '052ef62d-7223-58b6-a551-c1deee46d401')).toBe(
      93651793875903522077150095950593860979557386807737776869062002310283964632724204171313n,
    );
    expect(() => call('uuid', 'Valid', '052ef62d_7223_58b6_a551_c1deee46d401')).toThrow('invalid UUID "052ef62d_7223_58b6_a551_c1deee46d401"');
    expect(call('uuid', 'MD5', ns.get('DNS')!, 'www.example.com')).toBe('5df41881-3aed-3515-88a7-2f4a814cf09e');
    expect(call('uuid', 'Parse', '{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}')).toBe('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    expect(call('uuid', 'Parse', 'urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    expect(call('uuid', 'Parse', '6ba7b8109dad11d180b400c04fd430c8')).toBe('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    expect(() => call('uuid', 'Parse', 'xyz')).toThrow('invalid UUID length: 3');
    expect(call('uuid', 'FromInt', 0x6ba7b8109dad11d180b400c04fd430c8n)).toBe('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    expect(call('uuid', 'ToInt', 'ab')).toBe(24930n);
    expect(call('uuid', 'URN', ns.get('URL')!)).toBe('urn:uuid:6ba7b811-9dad-11d1-80b4-00c04fd430c8');
    expect(call('uuid', 'Version', '2ed6657d-e927-568b-95e1-2665a8aea6a2')).toBe(5n);
    expect(call('uuid', 'Variant', '2ed6657d-e927-568b-95e1-2665a8aea6a2')).toBe(1n);
    expect(call('uuid', 'Valid', '2ed6657d-e927-568b-95e1-2665a8aea6a2')).toBe(true);
    expect(() => call('uuid', 'Valid', '2ED6657D-e927-568b-95e1-2665a8aea6a2')).toThrow('invalid UUID');
  });
});

describe('path and html', () => {
  const p = (name: string, ...args: Arg[]) => call('path', name, ...args);
  it('follows Go path semantics', () => {
    expect(p('Clean', 'a//b/../../..')).toBe('..');
    expect(p('Clean', '/../a/./b/')).toBe('/a/b');
    expect(p('Clean', '')).toBe('.');
    expect(p('Join', ['a', '', 'b/', '../c'])).toBe('a/c');
    expect(p('Join', ['', ''])).toBe('');
    expect(p('Split', 'a/b/c.cue')).toEqual(['a/b/', 'c.cue']);
    expect(p('Base', '/a/b/')).toBe('b');
    expect(p('Base', '/')).toBe('/');
    expect(p('Base', '')).toBe('.');
    expect(p('Dir', '/a/b/c')).toBe('/a/b');
    expect(p('Dir', 'c')).toBe('.');
    expect(p('Ext', 'a/b.tar.gz')).toBe('.gz');
    expect(p('Ext', 'a.b/c')).toBe('');
    expect(p('IsAbs', '/x')).toBe(true);
    expect(p('Rel', '/a/b', '/a/c/d')).toBe('../c/d');
    expect(() => p('Rel', 'a', '/b')).toThrow(BuiltinError);
    expect(p('Resolve', '/a', 'b/../c')).toBe('/a/c');
    expect(p('Resolve', '/a', '/x')).toBe('/x');
    expect(p('Match', 'a/*/c', 'a/b/c')).toBe(true);
    expect(p('Match', '*.cue', 'x.cue')).toBe(true);
    expect(p('Match', '*', 'a/b')).toBe(false);
    expect(p('Match', '[a-c]?', 'bx')).toBe(true);
    expect(p('Match', '[^a-c]?', 'bx')).toBe(false);
    expect(p('Match', 'a\\*', 'a*')).toBe(true);
    expect(() => p('Match', '[', 'a')).toThrow('syntax error in pattern');
    expect(p('SplitList', 'a:b', 'unix')).toEqual(['a', 'b']);
    expect(p('Clean', 'a/b', 'windows')).toBe('a\\b');
    expect(() => p('Join', ['a', 'b'], 'foo')).toThrow('cannot use "foo" as *"unix" | "windows" | "plan9" | "aix"');
    expect(p('Join', ['a', 'b'], 'aix')).toBe('a/b');
    // From CUE's pkg/path tests (unix and plan9).
    expect(p('Split', '//host/share/foo')).toEqual(['//host/share/', 'foo']);
    expect(p('Split', 'c:\\foo\\bar')).toEqual(['', 'c:\\foo\\bar']);
    expect(p('SplitList', 'a\u0000b', 'plan9')).toEqual(['a', 'b']);
    expect(p('SplitList', 'a;b', 'unix')).toEqual(['a;b']);
    expect(p('Clean', 'c:\\abc\\def\\..\\..')).toBe('c:\\abc\\def\\..\\..');
    expect(p('Match', '*.zip', 'c:\\a\\b\\file.zip')).toBe(true);
    expect(p('Match', '*.txt', 'a/b.txt')).toBe(false);
    expect(p('Ext', 'a.dir\\foo')).toBe('.dir\\foo');
    expect(p('Resolve', 'c:/a', 'd:\\')).toBe('c:/a/d:\\');
    expect(p('Resolve', '//home/user/foo', 'bar')).toBe('/home/user/foo/bar');
    expect(p('IsAbs', '//home/user/foo', 'plan9')).toBe(true);
    expect(p('IsAbs', 'c:/')).toBe(false);
    expect(p('VolumeName', 'c:/foo', 'unix')).toBe('');
    expect(p('VolumeName', 'c:/foo')).toBe('c:');
    expect(p('Join', ['C:', '', '', 'b'])).toBe('C:/b');
    expect(p('Join', ['\\\\host\\share', 'foo'])).toBe('\\\\host\\share/foo');
    expect(builtinPackages.get('path')!.funcs.Clean!.minArgs).toBe(1);
  });
  it('escapes and unescapes HTML like Go', () => {
    expect(call('html', 'Escape', `<a href="x">'&'</a>`)).toBe('&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(call('html', 'Unescape', '&lt;&amp&copy;&#65;&#x42;&notanentity;')).toBe('<&©AB¬anentity;');
    expect(call('html', 'Unescape', '&eacute;t&eacute; &unknown; &#128;')).toBe('été &unknown; €');
  });
});

describe('regexp', () => {
  const r = (name: string, ...args: Arg[]) => call('regexp', name, ...args);
  it('finds with RE2 semantics', () => {
    expect(r('Match', '^a+$', 'aaa')).toBe(true);
    expect(r('Match', 'b', 'abc')).toBe(true);
    expect(r('Find', 'a(x*)b', '-axxb-')).toBe('axxb');
    expect(() => r('Find', 'x', 'abc')).toThrow('no match');
    expect(r('FindAll', 'a.', 'a1a2a3', -1n)).toEqual(['a1', 'a2', 'a3']);
    expect(r('FindAll', 'a.', 'a1a2a3', 2n)).toEqual(['a1', 'a2']);
    expect(r('FindSubmatch', 'a(x*)(y)?b', '-axxb-')).toEqual(['axxb', 'xx', '']);
    expect(r('FindAllSubmatch', 'a(x*)b', '-ab-axb-', -1n)).toEqual([['ab', ''], ['axb', 'x']]);
    expect(r('FindNamedSubmatch', '(?P<z>a)(?P<b>x*)', 'axx')).toEqual(M(['b', 'xx'], ['z', 'a']));
    expect(r('FindAllNamedSubmatch', '(?P<k>\\w)=(?P<v>\\d)', 'a=1 b=2', -1n)).toEqual([M(['k', 'a'], ['v', '1']), M(['k', 'b'], ['v', '2'])]);
    expect(r('FindAll', '😀.', '😀a😀b', -1n)).toEqual(['😀a', '😀b']);
    expect(() => r('Match', 'a(b', 'x')).toThrow('error parsing regexp: missing closing ): `a(b`');
    expect(() => r('Match', '(?=x)', 'x')).toThrow(/error parsing regexp/);
    expect(r('Valid', 'a+')).toBe(true);
    expect(() => r('Valid', '*')).toThrow(BuiltinError);
    expect(r('QuoteMeta', 'a.b*c')).toBe('a\\.b\\*c');
  });
  it("matches CUE's pkg/regexp tests", () => {
    expect(r('Find', 'f\\w\\w', 'afoot')).toBe('foo');
    expect(r('FindAll', 'f\\w\\w', 'afoot afloat from', 2n)).toEqual(['foo', 'flo']);
    expect(() => r('FindAll', 'f\\w\\w', 'bla bla', -1n)).toThrow('no match');
    expect(r('FindSubmatch', 'f(\\w)(\\w)', 'afloat afoot from')).toEqual(['flo', 'l', 'o']);
    expect(r('FindAllSubmatch', 'f(\\w)(\\w)', 'afloat afoot from', -1n)).toEqual([['flo', 'l', 'o'], ['foo', 'o', 'o'], ['fro', 'r', 'o']]);
    expect(r('FindNamedSubmatch', 'f(?P<A>\\w)(?P<B>\\w)', 'afloat afoot from')).toEqual(M(['A', 'l'], ['B', 'o']));
    expect(r('FindAllNamedSubmatch', 'f(?P<A>optional)?', 'fbla', -1n)).toEqual([M(['A', ''])]);
    expect(() => r('Valid', 'invalid)')).toThrow('error parsing regexp: unexpected ): `invalid)`');
    expect(r('ReplaceAll', 'f(?P<A>\\w)(?P<B>\\w)', 'afloat afoot from', '-${A}-${B}-')).toBe('a-l-o-at a-o-o-t -r-o-m');
    expect(r('ReplaceAll', 'f(?P<A>\\w)(?P<B>\\w)', 'afloat afoot from', '-$1-$2-')).toBe('a-l-o-at a-o-o-t -r-o-m');
    expect(r('ReplaceAllLiteral', 'f(?P<A>\\w)(?P<B>\\w)', 'afloat afoot from', '-${A}-${B}-')).toBe('a-${A}-${B}-at a-${A}-${B}-t -${A}-${B}-m');
  });
  it('replaces with Go template expansion', () => {
    expect(r('ReplaceAll', 'a(x*)b', '-ab-axxb-', 'T')).toBe('-T-T-');
    expect(r('ReplaceAll', 'a(x*)b', '-ab-axxb-', '$1')).toBe('--xx-');
    expect(r('ReplaceAll', 'a(x*)b', '-ab-axxb-', '$1W')).toBe('---');
    expect(r('ReplaceAll', 'a(x*)b', '-ab-axxb-', '${1}W')).toBe('-W-xxW-');
    expect(r('ReplaceAll', '(?P<n>x+)', 'axxb', '[$n]$$')).toBe('a[xx]$b');
    expect(r('ReplaceAll', 'x*', 'abc', '-')).toBe('-a-b-c-');
    expect(r('ReplaceAllLiteral', 'a(x*)b', '-ab-axxb-', '$1')).toBe('-$1-$1-');
  });
});

describe('encoding/json', () => {
  const j = (name: string, ...args: Arg[]) => call('encoding/json', name, ...args);
  it('marshals in field order with CUE number formatting', () => {
    const v = M(['b', 1n], ['a', D('1.0')], ['c', [true, null, D('2.5'), 'x']], ['d', M()], ['e', []]);
    expect(j('Marshal', v)).toBe('{"b":1,"a":1.0,"c":[true,null,2.5,"x"],"d":{},"e":[]}');
    expect(j('Marshal', M(['a', '\\ " & < >']))).toBe('{"a":"\\\\ \\" & < >"}');
    expect(j('Marshal', '\u2028\b\u0001')).toBe('"\\u2028\\b\\u0001"');
    expect(j('Marshal', enc('by'))).toBe('"Ynk="');
    expect(j('Marshal', D('1e-7'))).toBe('1E-7');
    expect(j('MarshalStream', [M(['a', 1n]), M(['b', 2n])])).toBe('{"a":1}\n{"b":2}\n');
    expect(() => j('Marshal', { opaque: true })).toThrow(BuiltinError);
  });
  it('unmarshals ints as bigint and floats as Decimal, keeping key order', () => {
    const v = j('Unmarshal', '{"z": 1, "a": [1.5, -2, 1e3, "s\\u00e9\\ud83d\\ude00", null, false]}') as Map<string, Concrete>;
    expect([...v.keys()]).toEqual(['z', 'a']);
    const a = v.get('a') as Concrete[];
    expect(a[0]).toBeInstanceOf(Decimal);
    expect(String(a[0])).toBe('1.5');
    expect(a[1]).toBe(-2n);
    expect(Decimal.isDecimal(a[2])).toBe(true);
    expect(a.slice(3)).toEqual(['sé😀', null, false]);
    expect(j('Unmarshal', enc('1'))).toBe(1n);
    expect(() => j('Unmarshal', '{"a": 1}{"b": 2}')).toThrow('json: invalid JSON');
    expect(() => j('Unmarshal', '{"a": 1}}invalid json')).toThrow('json: invalid JSON');
    expect(() => j('Unmarshal', '01')).toThrow('json: invalid JSON');
    expect(j('UnmarshalStream', '{"a": 1}{"b": 2}')).toEqual([M(['a', 1n]), M(['b', 2n])]);
    expect(j('UnmarshalStream', '')).toEqual([]);
    expect(j('UnmarshalStream', '1 2')).toEqual([1n, 2n]);
  });
  it('validates, compacts, indents and escapes', () => {
    expect(j('Valid', '1')).toBe(true);
    expect(j('Valid', '{')).toBe(false);
    expect(j('Compact', '[1, 2]')).toBe('[1,2]');
    expect(j('Compact', '{ "a" : [ 1 , { } ] }')).toBe('{"a":[1,{}]}');
    expect(() => j('Compact', '[1,')).toThrow(BuiltinError);
    expect(j('Indent', '{"a": 1, "b": 2}', '', '  ')).toBe('{\n  "a": 1,\n  "b": 2\n}');
    expect(j('Indent', '[1, {"a": []}, {}]', '>', '\t')).toBe('[\n>\t1,\n>\t{\n>\t\t"a": []\n>\t},\n>\t{}\n>]');
    expect(j('HTMLEscape', '{"a":"\\\\ \\" & < >"}')).toBe('{"a":"\\\\ \\" \\u0026 \\u003c \\u003e"}');
    const lt3: Schema = { opaque: true, check: (v) => ((v as Map<string, Concrete>).get('a')! as bigint) < 3n ? undefined : 'a: invalid value 10 (out of bound <3)' };
    expect(() => j('Validate', '{"a":10}', lt3)).toThrow('a: invalid value 10 (out of bound <3)');
    expect(j('Validate', '{"a":1}', lt3)).toBe(true);
  });
  it('round-trips Marshal/Unmarshal', () => {
    const json = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.string(),
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => new Decimal(x)),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.array(fc.tuple(fc.string(), tie('v')), { maxLength: 4 }).map((kv) => new Map(kv)),
      ),
    })).v as fc.Arbitrary<Concrete>;
    fc.assert(
      fc.property(json, (v) => {
        const s = j('Marshal', v) as string;
        expect(j('Marshal', j('Unmarshal', s))).toBe(s);
        expect(JSON.parse(s)).toBeDefined(); // standard JSON
      }),
    );
  });
});

describe('encoding/yaml', () => {
  const y = (name: string, ...args: Arg[]) => call('encoding/yaml', name, ...args);
  it('marshals like go-yaml v3 as CUE configures it', () => {
    const v = M(
      ['a', 1n],
      ['b', 'true'],
      ['c', [1n, M(['d', 'x y'], ['e', []]), [1n, 2n]]],
      ['f', M()],
      ['g', 'multi\nline'],
      ['h', '- dash'],
      ['i', 'a: b'],
      ['j', D('1.5')],
      ['k', null],
      ['l', ''],
      ['m', 'yes'],
      ['n', '0x10'],
      ['o', '2001-12-14'],
      ['p', "it's"],
      ['q', '#c'],
      ['r', 'trailing\n'],
      ['t', ' lead'],
      ['u', 'tab\there'],
      ['x', M(['y', M(['z', 1n])])],
      ['key with: colon', 1n],
      ['1', 2n],
      ['Y', ''],
    );
    expect(y('Marshal', v)).toBe(
      [
        'a: 1',
        'b: "true"',
        'c:',
        '  - 1',
        '  - d: x y',
        '    e: []',
        '  - - 1',
        '    - 2',
        'f: {}',
        'g: |-',
        '  multi',
        '  line',
        "h: '- dash'",
        "i: 'a: b'",
        'j: 1.5',
        'k: null',
        'l: ""',
        'm: "yes"',
        '"n": "0x10"', // y/n are YAML 1.1 booleans: go-yaml v3 quotes them
        'o: "2001-12-14"',
        "p: it's",
        "q: '#c'",
        'r: |',
        '  trailing',
        "t: ' lead'",
        'u: "tab\\there"',
        'x:',
        '  "y":',
        '    z: 1',
        "'key with: colon': 1",
        '"1": 2',
        '"Y": ""',
        '',
      ].join('\n'),
    );
    expect(y('Marshal', M(['X', M(['Y', ''])]))).toBe('X:\n  "Y": ""\n');
    expect(y('MarshalStream', [M(['a', 1n]), M(['b', 2n])])).toBe('a: 1\n---\nb: 2\n');
    expect(y('Marshal', 'x')).toBe('x\n');
    expect(y('Marshal', M(['a', ' lead\nx\n'], ['b', 'x\n\n'], ['c', 'tab\tin\nlines'], ['d', 'sp \nx'], ['e', ['l1\nl2']]))).toBe(
      'a: |2\n   lead\n  x\nb: |+\n  x\n\nc: |-\n  tab\tin\n  lines\nd: "sp \\nx"\ne:\n  - |-\n    l1\n    l2\n',
    );
    // go-yaml v3 keeps a literal block for text with tabs (timoni's minimal
    // module hashes yaml.Marshal of an indented HTML page into a ConfigMap
    // name), and quotes text that ends in a space.
    expect(y('Marshal', M(['a', '<head>\n \t<meta>\n\t<title>\n'], ['b', 'x\nb '], ['c', '\tlead\nx'], ['d', 'x\ty']))).toBe(
      'a: |\n  <head>\n   \t<meta>\n  \t<title>\nb: "x\\nb "\nc: |-\n  \tlead\n  x\nd: "x\\ty"\n',
    );
    expect(y('Marshal', [])).toBe('[]\n');
  });
  it('unmarshals with go-yaml v3 scalar resolution', () => {
    const v = y('Unmarshal', 'a: 1\nb: 2.50\nc: 0x10\nd: 1e3\ne: yes\nf: ~\ng: 2001-12-14\nh: "1"\ni: [1, two]\nj: 0o17\nk: 1_000\nl: |\n  text\n') as Map<string, Concrete>;
    expect(v.get('a')).toBe(1n);
    expect(String(v.get('b'))).toBe('2.5');
    expect(Decimal.isDecimal(v.get('b'))).toBe(true);
    expect(v.get('c')).toBe(16n);
    expect(Decimal.isDecimal(v.get('d'))).toBe(true);
    expect(v.get('e')).toBe('yes');
    expect(v.get('f')).toBe(null);
    expect(v.get('g')).toBe('2001-12-14');
    expect(v.get('h')).toBe('1');
    expect(v.get('i')).toEqual([1n, 'two']);
    expect(v.get('j')).toBe(15n);
    expect(v.get('k')).toBe(1000n);
    expect(v.get('l')).toBe('text\n');
    // Beyond 64 bits go-yaml no longer reads an int: decimal digits become a float, hex a string.
    const big = y('Unmarshal', 'a: 18446744073709551615\nb: 18446744073709551616\nc: 0x10000000000000000') as Map<string, Concrete>;
    expect(big.get('a')).toBe(18446744073709551615n);
    expect(Decimal.isDecimal(big.get('b'))).toBe(true);
    expect(big.get('c')).toBe('0x10000000000000000');
    expect(y('Unmarshal', 'base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n')).toEqual(M(['base', M(['x', 1n])], ['d', M(['x', 1n], ['y', 2n])]));
    expect(() => y('Unmarshal', 'a: [')).toThrow(BuiltinError);
    // `<<` merges only unquoted: a field named "<<" round-trips (Marshal quotes it), and a merge of a
    // non-map is go-yaml's error rather than a field silently dropped.
    expect(y('Marshal', M(['<<', 0n]))).toBe('"<<": 0\n');
    expect(y('Unmarshal', '"<<": 0\n')).toEqual(M(['<<', 0n]));
    expect(y('Unmarshal', "'<<': {x: 1}\n")).toEqual(M(['<<', M(['x', 1n])]));
    expect(() => y('Unmarshal', '<<: 0\n')).toThrow('map merge requires map or sequence of maps as the value');
    expect(() => y('Unmarshal', 'b: &b {x: 1}\nd:\n  <<: [*b, 2]\n')).toThrow('map merge requires map or sequence of maps');
    expect(y('UnmarshalStream', 'a: 1\n---\nb: 2')).toEqual([M(['a', 1n]), M(['b', 2n])]);
    expect(y('UnmarshalStream', '')).toEqual([]);
    expect(y('UnmarshalStream', '1\n---\n---\n2')).toEqual([1n, null, 2n]);
  });
  it('reads tags, map keys and merge keys as CUE does', () => {
    // A merge key tagged !!merge (also quoted) merges; a plain quoted "<<" stays a field.
    const base = 'base: &b {a: 1, b: 2}\n';
    for (const key of ['!!merge <<', '!!merge "<<"', '!<tag:yaml.org,2002:merge> <<']) {
      expect((y('Unmarshal', `${base}x:\n  ${key}: *b\n  b: 3\n`) as Map<string, Concrete>).get('x'), key).toEqual(M(['a', 1n], ['b', 3n]));
    }
    // Merged maps are inserted where the key stands, the later value winning; of a sequence the earlier maps win.
    expect((y('Unmarshal', `${base}x:\n  b: 3\n  <<: *b\n`) as Map<string, Concrete>).get('x')).toEqual(M(['b', 2n], ['a', 1n]));
    const seq = y('Unmarshal', 'C: &C {x: 1, y: 2}\nB: &B {r: 10}\nS: &S {r: 1}\nm: {<<: [*B, *C, *S], x: 0}\n') as Map<string, Concrete>;
    expect([...(seq.get('m') as Map<string, Concrete>)]).toEqual([['r', 10n], ['x', 0n], ['y', 2n]]);
    // Explicit tags.
    const t = y('Unmarshal', 'a: !!str 123\nb: !!int "12"\nc: !!float 1\nd: !!float 1.5\ne: !!bool yes\nf: !!null x\ng: !!timestamp 2001-01-01\nh: !!binary aGk=\ni: ! 12\nj: !!map {k: 1}\n') as Map<string, Concrete>;
    expect(t.get('a')).toBe('123');
    expect(t.get('b')).toBe(12n);
    expect(t.get('c')).toBe(1n);
    expect(String(t.get('d'))).toBe('1.5');
    expect(t.get('e')).toBe(false);
    expect(t.get('f')).toBe(null);
    expect(t.get('g')).toBe('2001-01-01');
    expect(t.get('h')).toEqual(new TextEncoder().encode('hi'));
    expect(t.get('i')).toBe(12n);
    expect(t.get('j')).toEqual(M(['k', 1n]));
    expect(() => y('Unmarshal', 'a: !foo bar\n')).toThrow('cannot unmarshal tag "!foo"');
    expect(() => y('Unmarshal', 'a: !!int abc\n')).toThrow('cannot decode "abc" as !!int');
    expect(() => y('Unmarshal', 'a: !!binary "!!"\n')).toThrow('!!binary value contains invalid base64 data');
    // Keys: numbers as written, YAML 1.1 octal as CUE writes it; negative numbers are no label.
    const k = y('Unmarshal', '1: a\n1.50: b\n0x1F: c\n017: d\ntrue: e\n~: f\n"-1": g\n') as Map<string, Concrete>;
    expect([...k.keys()]).toEqual(['1', '1.50', '0x1F', '0o17', 'true', 'null', '-1']);
    expect(() => y('Unmarshal', '-1: a\n')).toThrow('invalid label -1');
    expect(() => y('Unmarshal', '[1]: a\n')).toThrow('invalid map key: !!seq');
    // Like a YAML 1.1 octal but not one: a string.
    expect(y('Unmarshal', '0778')).toBe('0778');
  });
  it('validates every document', () => {
    const lt3: Schema = { opaque: true, check: (v) => (((v as Map<string, Concrete>).get('a') as bigint) < 3n ? undefined : 'a: invalid value 4 (out of bound <3)') };
    expect(() => y('Validate', 'a: 2\n---\na: 4', lt3)).toThrow('a: invalid value 4 (out of bound <3)');
    expect(y('Validate', 'a: 2\n---\na: 1', lt3)).toBe(true);
    expect(y('ValidatePartial', 'a: 2', lt3)).toBe(true);
  });
  it('round-trips Marshal/Unmarshal', () => {
    // Ints within 64 bits: beyond that go-yaml (and so CUE) reads digits back as a float.
    const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.string(), fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }));
    const val = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('v'), { maxLength: 3 }),
        fc.uniqueArray(fc.tuple(fc.string(), tie('v')), { maxLength: 3, selector: (kv) => kv[0] }).map((kv) => new Map(kv)),
      ),
    })).v as fc.Arbitrary<Concrete>;
    fc.assert(
      fc.property(val, (v) => {
        expect(y('Unmarshal', y('Marshal', v) as string)).toEqual(v);
      }),
      { numRuns: 200 },
    );
  });
});
