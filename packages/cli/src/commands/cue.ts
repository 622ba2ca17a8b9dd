// `opm cue export | eval | def | vet | fmt`: the CUE engine on files, like the `cue`
// command. Argument loading lives in cue/load.ts, rendering in cue/output.ts.
import type { Command } from 'commander';
import { fmtCommand } from './cue/fmt.js';
import { evalExpression, isDataFile, loadCue, readData, type LoadFlags } from './cue/load.js';
import { check, parseOut, render, withPrefix } from './cue/output.js';
import { UserFacingError } from '../errors.js';

interface ExportFlags extends LoadFlags {
  expression?: string;
  out?: string;
}

interface EvalFlags extends LoadFlags {
  expression?: string;
  concrete?: boolean;
  all?: boolean;
}

interface VetFlags extends LoadFlags {
  concrete?: boolean;
  schema?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function commonFlags(cmd: Command): Command {
  return cmd
    .option('-p, --package <name>', 'package to load when a directory holds several')
    .option('-t, --tag <key=value>', 'inject a value for @tag() or enable @if() (repeatable)', collect);
}

/** Splits `.cue`/directory arguments from data files (JSON, YAML) which are unified in. */
function split(args: string[]): { cue: string[]; data: string[] } {
  return { cue: args.filter((a) => !isDataFile(a)), data: args.filter(isDataFile) };
}

export function registerCueCommands(program: Command): void {
  const cue = program.command('cue').description('Evaluate, export, validate and format CUE (native engine)');

  commonFlags(
    cue
      .command('export')
      .description('Export the concrete value of a CUE package as JSON, YAML or CUE')
      .argument('[args...]', 'a directory or .cue files, plus data files to unify in (default: .)')
      .option('-e, --expression <expr>', 'export this expression instead of the whole package')
      .option('--out <format>', 'json (default), yaml, cue or text'),
  ).action(async (args: string[], flags: ExportFlags) => {
    const format = parseOut(flags.out);
    const { cue: cueArgs, data } = split(args);
    const { ctx, value: root } = await loadCue(cueArgs, flags);
    let v = root;
    for (const d of data) for (const doc of await readData(ctx, d)) v = v.unify(doc.value);
    if (flags.expression !== undefined) v = await evalExpression(ctx, v, flags.expression);
    check(v, true, { definitions: true });
    process.stdout.write(render(v, format));
  });

  commonFlags(
    cue
      .command('eval')
      .description('Print the evaluated value of a CUE package (possibly not concrete)')
      .argument('[args...]', 'a directory or .cue files, plus data files to unify in (default: .)')
      .option('-e, --expression <expr>', 'evaluate this expression instead of the whole package')
      .option('-c, --concrete', 'require all regular fields to be concrete')
      .option('--no-concrete', 'allow regular fields that are not concrete (the default; also -c=false)')
      .option('-a, --all', 'also show optional and hidden fields'),
  ).action(async (args: string[], flags: EvalFlags) => {
    const { cue: cueArgs, data } = split(args);
    const { ctx, value: root } = await loadCue(cueArgs, flags);
    let v = root;
    for (const d of data) for (const doc of await readData(ctx, d)) v = v.unify(doc.value);
    if (flags.expression !== undefined) v = await evalExpression(ctx, v, flags.expression);
    check(v, flags.concrete === true, { definitions: true });
    const all = flags.all === true;
    const text = v.toCUE({ definitions: true, optional: all, hidden: all, attributes: all, imports: true });
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  });

  commonFlags(
    cue
      .command('vet')
      .description('Validate a CUE package, or data files against it')
      .argument('[args...]', 'a directory or .cue files, then JSON/YAML data files to validate (default: .)')
      .option('-c, --concrete', 'show the error of each regular field that is not concrete (-c=false: allow them)')
      .option('--no-concrete', 'allow regular fields that are not concrete (also -c=false)')
      .option('-d, --schema <expr>', 'validate data files against this expression of the package (e.g. #Config)'),
  ).action(async (args: string[], flags: VetFlags) => {
    const { cue: cueArgs, data } = split(args);
    const { ctx, value: root } = await loadCue(cueArgs, flags);
    if (data.length === 0) {
      check(root, flags.concrete === true, { definitions: true });
      // As `cue vet`: by default a package whose regular fields are not all
      // concrete fails too, with one general message; -c lists them.
      if (flags.concrete === undefined && root.validate({ concrete: true, all: false }).length) {
        throw new UserFacingError('some instances are incomplete; use the -c flag to show errors or -c=false to allow incomplete instances');
      }
      return;
    }
    const schema = flags.schema !== undefined ? await evalExpression(ctx, root, flags.schema) : root;
    const errors = [];
    for (const d of data) {
      for (const doc of await readData(ctx, d)) {
        // Data must be a concrete instance of the schema (as with `cue vet`).
        const errs = schema.unify(doc.value).validate({ concrete: true, all: true });
        if (errs.length) errors.push(withPrefix(errs, doc.name));
      }
    }
    if (errors.length) {
      const list = withPrefix(errors.flatMap((e) => e.errors));
      list.message = errors.map((e) => e.message).join('\n');
      throw list;
    }
  });

  commonFlags(
    cue
      .command('def')
      .description('Print the consolidated definitions (schema) of a CUE package, as CUE')
      .argument('[args...]', 'a directory or .cue files (default: .)')
      .option('-e, --expression <expr>', 'print this expression instead of the whole package'),
  ).action(async (args: string[], flags: LoadFlags & { expression?: string }) => {
    const { ctx, value: root } = await loadCue(args, flags);
    const v = flags.expression !== undefined ? await evalExpression(ctx, root, flags.expression) : root;
    check(v, false, { definitions: true });
    // Hidden fields too, as cue def prints them: a definition's values refer to them (`fq: "\\(_ns).svc"`).
    const text = v.toCUE({ definitions: true, optional: true, hidden: true, attributes: true, imports: true });
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  });

  cue
    .command('fmt')
    .description('Format CUE files in place')
    .argument('[args...]', '.cue files or directories (default: .)')
    .option('--check', 'list files that are not formatted and exit 1, without writing')
    .action(async (args: string[], flags: { check?: boolean }) => fmtCommand(args, flags));
}
