// Entry point of the `opm` command; the command tree lives in commands/.
export async function main(argv: string[]): Promise<number> {
  process.stderr.write(`opm: not supported yet: ${argv.join(' ')}\n`);
  return 2;
}
