// A release file's mistakes are errors that say what is wrong and where: no
// silent fallback to a default, no empty message, no path that names the wrong field.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderReleaseFile, ValidationError } from '../src/index.js';
import { closest } from '../src/suggest.js';
import { exampleText, opts, tempRelease } from './helpers.js';

async function failure(text: string): Promise<{ err: ValidationError; file: string }> {
  const file = tempRelease(text);
  try {
    await renderReleaseFile(file, await opts());
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return { err: err as ValidationError, file };
  }
  throw new Error('expected the release to be rejected');
}

const dev = exampleText('web-app-dev');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('#metadata', () => {
  it.each([
    ['namespace: "development"', 'namepsace: "development"', 'namepsace', 'did you mean namespace?'],
    ['labels: {', 'annotaions: {a: "b"}\n\t\tlabels: {', 'annotaions', 'did you mean annotations?'],
  ])('rejects a misspelled field (%s → %s) naming it, with file:line', async (from, to, field, hint) => {
    const text = dev.replace(from, to);
    const { err, file } = await failure(text);
    expect(err.message).toContain(`${file}:${lineOf(text, field)}:`);
    expect(err.message).toContain(`#metadata.${field} is not allowed`);
    expect(err.message).toContain(hint);
  });

  it.each([
    ['name: "web-app-dev"', 'name: "Web_App_Dev"', 'name "Web_App_Dev"'],
    ['name: "web-app-dev"', `name: "${'a'.repeat(64)}"`, `name "${'a'.repeat(64)}"`],
    ['namespace: "development"', 'namespace: "dev-UPPER"', 'namespace "dev-UPPER"'],
    ['namespace: "development"', 'namespace: 42', 'namespace 42'],
  ])('rejects an invalid value naming the rule it breaks (%s → %s)', async (from, to, shown) => {
    const text = dev.replace(from, to);
    const { err, file } = await failure(text);
    expect(err.message).toContain(`${file}:${lineOf(text, to.split('\n')[0]!)}:`);
    expect(err.message).toContain(`#metadata.${shown} is invalid (#NameType: an RFC 1123 label`);
    expect(err.message).not.toMatch(/must be set|default/);
  });

  it('names an invalid label key', async () => {
    const { err } = await failure(dev.replace('team: "frontend"', '"Bad Key": "frontend"'));
    expect(err.message).toContain('#metadata.labels is invalid (#LabelsType');
    expect(err.message).toContain('"Bad Key"');
  });
});

describe('errors that name what is wrong', () => {
  it.each([
    ['a file holding only an unresolved reference', 'foo\n', 'reference "foo" not found'],
    ['a misspelled #ModuleRelease', dev.replace('#ModuleRelease &', '#ModuleReleas &'), 'reference "#ModuleReleas" not found'],
  ])('%s', async (_what, text, expected) => {
    const { err } = await failure(text);
    expect(err.message).toContain(expected);
  });

  it('names the whole path of a value missing under a block the release leaves out', async () => {
    const staging = exampleText('ecommerce-staging');
    const i = staging.indexOf('ingress: {');
    const text = staging.slice(0, i) + staging.slice(staging.indexOf('}', i) + 1);
    const { err } = await failure(text);
    expect(err.message).toContain('values.ingress.host: incomplete value');
    expect(err.message).not.toMatch(/values\.host\b/);
  });

  it('names the release file and line of a value beside the schema line', async () => {
    const text = dev.replace(/replicas: 1\b/, 'replicas: 100');
    const { err, file } = await failure(text);
    expect(err.message).toContain(`values.replicas: 100: invalid value 100 (out of bound <=20) (set at ${file}:${lineOf(text, 'replicas: 100')}; schema of simple-web-app`);
  });

  it('prints a large number as written', async () => {
    const { err } = await failure(dev.replace(/replicas: 1\b/, 'replicas: 100000000000000000000000'));
    expect(err.message).toContain('values.replicas: 100000000000000000000000:');
    expect(err.message).not.toContain('e+23');
  });
});

describe('closest', () => {
  it('suggests only near misses', () => {
    expect(closest('namepsace', ['name', 'namespace', 'labels'])).toBe('namespace');
    expect(closest('lables', ['name', 'namespace', 'labels'])).toBe('labels');
    expect(closest('replicas', ['name', 'namespace', 'labels'])).toBeUndefined();
  });

  it('finds any word at one edit from a known one', () => {
    const known = ['name', 'namespace', 'labels', 'annotations'];
    fc.assert(
      fc.property(fc.constantFrom(...known), fc.nat(), fc.constantFrom('x', 'q', 'z'), (k, at, ch) => {
        const i = at % (k.length + 1);
        expect(closest(k.slice(0, i) + ch + k.slice(i), known)).toBe(k);
      }),
    );
  });
});
