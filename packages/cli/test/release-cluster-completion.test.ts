// Shell completion scripts: generated from the command tree; the bash one is
// exercised in a real bash (completing groups, subcommands and flags).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerReleaseClusterCommands } from '../src/commands/release-cluster.js';
import { bashScript, fishScript, zshScript } from '../src/commands/release-cluster/completion.js';

function program(): Command {
  const p = new Command('opm');
  p.command('mod').command('vet');
  registerReleaseClusterCommands(p);
  return p;
}

function complete(script: string, words: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'opm-completion-'));
  try {
    const file = join(dir, 'opm.bash');
    writeFileSync(file, script);
    const line = ['opm', ...words];
    const cmd = `source ${file}; COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _opm_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', cmd], { encoding: 'utf8', cwd: dir, timeout: 10_000 }).split('\n').filter(Boolean).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('opm completion', () => {
  const bash = bashScript(program());
  it('bash completes groups, release subcommands and their flags', () => {
    expect(complete(bash, [''])).toEqual(expect.arrayContaining(['completion', 'mod', 'release']));
    expect(complete(bash, ['release', 'r'])).toEqual(['repair', 'rollback']);
    expect(complete(bash, ['release', 'apply', 'x.cue', '--for'])).toEqual(['--force-conflicts']);
    expect(complete(bash, ['release', 'status', '--kubeconfig', 'k', '-'])).toEqual(expect.arrayContaining(['--drift', '--namespace', '-n', '-o']));
  });
  it('zsh and fish scripts cover the same tree', () => {
    expect(zshScript(program())).toContain('bashcompinit');
    const fish = fishScript(program());
    expect(fish).toContain(`complete -c opm -n '__fish_seen_subcommand_from release' -a 'apply diff status list ls history rollback scale delete uninstall repair'`);
    expect(fish).toContain(`complete -c opm -n '__fish_seen_subcommand_from apply' -l force-conflicts`);
  });
});
