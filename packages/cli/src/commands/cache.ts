// `opm cache prune`: bound the module cache (`~/.cache/opm/oci`, or
// `$OPM_CACHE_DIR/oci`). It keeps one unpacked entry per pulled module digest
// and nothing else; entries a release needs again are pulled again by digest,
// so removing them is always safe. Leftovers of killed pulls and the layer
// blobs older versions kept are removed by every prune (and every pull).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { escapeC1, safeText } from '../terminal.js';

interface PruneFlags {
  unusedFor?: string;
  all?: boolean;
  dryRun?: boolean;
  output?: string;
}

/** `30d`, `12h`, `90m`, `1d12h`: how long an entry may go unused. */
export function parseAge(text: string): number {
  const re = /(\d+)(d|h|m|s)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd' | 'h' | 'm' | 's'];
    pos = re.lastIndex;
  }
  if (!text || pos !== text.length) throw new UsageError(`--unused-for: invalid duration ${JSON.stringify(text)} (use e.g. 30d, 12h, 90m)`);
  return total;
}

function human(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function registerCacheCommands(program: Command): void {
  const cache = program.commands.find((c) => c.name() === 'cache') ?? program.command('cache').description('manage the local cache of pulled catalog modules');
  cache
    .command('prune')
    .description('remove cached modules unused for a while (default 30d), leftovers of interrupted pulls and old layer blobs')
    .option('--unused-for <age>', 'remove modules not used for this long, e.g. 30d, 12h', '30d')
    .option('--all', 'remove every cached module (they are pulled again when needed)')
    .option('--dry-run', 'only list what would be removed')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (flags: PruneFlags) => {
      const format = flags.output ?? 'text';
      if (format !== 'text' && format !== 'json') throw new UsageError(`-o ${format}: expected text or json`);
      const unusedForMs = parseAge(flags.unusedFor ?? '30d');
      const { defaultCacheDir, pruneCache } = await import('@opm/oci');
      const dir = defaultCacheDir();
      const res = await pruneCache(dir, { unusedForMs, ...(flags.all ? { all: true } : {}), ...(flags.dryRun ? { dryRun: true } : {}) });
      if (format === 'json') {
        process.stdout.write(`${escapeC1(JSON.stringify({ cacheDir: dir, dryRun: !!flags.dryRun, ...res }, null, 2))}\n`);
        return;
      }
      const verb = flags.dryRun ? 'would remove' : 'removed';
      for (const r of res.removed) process.stdout.write(safeText(`${verb} ${r.kind === 'module' ? `module ${r.digest}` : r.kind === 'temp' ? 'leftover temporary file' : 'layer blob'} ${r.path} (${human(r.bytes)})\n`));
      process.stdout.write(safeText(`${dir}: ${verb} ${res.removed.length} item(s), ${human(res.bytes)}; kept ${res.kept.entries} module(s), ${human(res.kept.bytes)}\n`));
    });
}
