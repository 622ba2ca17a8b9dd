// opm.yaml, the project file that names a catalog (`catalog: DIR|oci://…`).
// It decides which rules and providers a build uses, so a typo in it must be an
// error naming the file, never a silent fall-back to another catalog.
import { parseDocument } from 'yaml';
import { ValidationError } from './errors.js';
import { didYouMean } from './suggest.js';

export interface ProjectConfig {
  catalog: string;
}

const KEYS = ['catalog'];

/** Parses the text of opm.yaml at `file`; every problem names the file (and line where known). */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  const doc = parseDocument(text, { prettyErrors: false });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return file;
    const line = text.slice(0, offset).split('\n').length;
    return `${file}:${line}`;
  };
  if (doc.errors.length) {
    throw new ValidationError(doc.errors.map((e) => `${at(e.pos[0])}: not valid YAML: ${e.message.split('\n')[0]}`), 'opm.yaml');
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ValidationError([`${file}: must be a mapping with a "catalog" key (catalog: DIR or oci://REGISTRY/PREFIX)`], 'opm.yaml');
  }
  const problems: string[] = [];
  const contents = doc.contents as { items?: { key: { value?: unknown; range?: [number, number, number] } }[] } | null;
  for (const item of contents?.items ?? []) {
    const key = String(item.key?.value);
    if (!KEYS.includes(key)) problems.push(`${at(item.key?.range?.[0])}: unknown key "${key}"${didYouMean(key, KEYS)}; opm.yaml knows: ${KEYS.join(', ')}`);
  }
  const catalog = (data as Record<string, unknown>).catalog;
  if (catalog === undefined) problems.push(`${file}: "catalog" is missing (catalog: DIR or oci://REGISTRY/PREFIX)`);
  else if (typeof catalog !== 'string' || catalog === '') problems.push(`${file}: "catalog" must be a directory or an oci:// URL, not ${JSON.stringify(catalog)}`);
  if (problems.length) throw new ValidationError(problems, 'opm.yaml');
  return { catalog: catalog as string };
}
