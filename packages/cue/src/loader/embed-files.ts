// What a file of a CUE module may embed (`@embed`): files below its own
// directory, inside its module, reached without a symbolic link anywhere
// between the module root and the file (a link could point anywhere: a
// catalog or module must not read ~/.docker/config.json into a value). The
// engine has checked the paths already (relative, clean, no `..`); this is the
// second wall, on the real file system.
import type { EmbedEntry, EmbedFiles, Source } from '../api.js';
import type { FileSystem } from './fs.js';
import { withVersion, type ModuleInfo } from './module.js';
import type { PackageFile } from './package-files.js';
import { dirname, isWithin, join, relative } from './paths.js';

/** A package file's Source: parsed under its module's language version, embedding from its module (none outside one). */
export function moduleSource(fs: FileSystem, f: PackageFile, module: ModuleInfo | undefined): Source {
  const s = withVersion(f.source, module);
  return module && isWithin(module.root, f.path) ? { ...s, embed: embedFilesFor(fs, module.root, dirname(f.path)) } : s;
}

export function embedFilesFor(fs: FileSystem, moduleRoot: string, fileDir: string): EmbedFiles {
  const abs = (rel: string): string => {
    const p = rel === '.' ? fileDir : join(fileDir, rel);
    if (!isWithin(moduleRoot, p) || !isWithin(fileDir, p)) throw Object.assign(new Error(`${rel}: outside the module`), { code: 'EACCES' });
    return p;
  };
  /** Refuses a symbolic link on the way from the module root to p (p included). */
  const noLinks = async (p: string): Promise<void> => {
    if (!fs.lstat) return;
    let d = moduleRoot;
    for (const seg of relative(moduleRoot, p).split('/')) {
      if (seg === '.' || seg === '') continue;
      d = join(d, seg);
      const info = await fs.lstat(d);
      if (!info) throw Object.assign(new Error('no such file or directory'), { code: 'ENOENT' });
      if (info.kind === 'symlink') throw Object.assign(new Error(`${relative(fileDir, d)} is a symbolic link (links are not followed)`), { code: 'ELOOP' });
    }
  };
  return {
    async kind(rel) {
      const p = abs(rel);
      if (fs.lstat) {
        const parent = dirname(p);
        if (parent !== p && isWithin(moduleRoot, parent)) {
          await noLinks(parent).catch((e: { code?: string }) => {
            if (e.code !== 'ENOENT') throw e;
          });
        }
        const info = await fs.lstat(p);
        return info?.kind;
      }
      return fs.stat(p);
    },
    async readDir(rel) {
      const p = abs(rel);
      await noLinks(p);
      const entries = await fs.readDir(p);
      const out: EmbedEntry[] = [];
      for (const e of entries) {
        let kind: EmbedEntry['kind'] = e.isSymlink ? 'symlink' : e.isDir ? 'dir' : 'file';
        if (kind === 'file' && fs.lstat) kind = (await fs.lstat(join(p, e.name)))?.kind ?? 'other';
        out.push({ name: e.name, kind });
      }
      return out;
    },
    async readFile(rel, maxBytes) {
      const p = abs(rel);
      await noLinks(p);
      if (fs.readFileBytes) return fs.readFileBytes(p, maxBytes);
      const bytes = new TextEncoder().encode(await (fs.readFileNoFollow ?? fs.readFile).call(fs, p));
      if (bytes.length > maxBytes) throw Object.assign(new Error(`larger than ${maxBytes} bytes`), { code: 'EFBIG' });
      return bytes;
    },
  };
}
