#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ElmanError } from '../errors.js';
import { runTrain, trainFlags, trainHelp } from './train.js';
import { plotHelp, runPlot } from './plot.js';
import { runPlotUnrolled } from './plot-unrolled.js';
import { predictHelp, runPredict } from './predict.js';
import { runSweep, runWorker, sweepHelp } from './sweep.js';

const help = `elman: recurrent networks trained by backpropagation through time, on a WebAssembly core

usage: elman <command> [flags]

commands:
  train     train a model and print its log (elman train --help)
  plot      train, then write the loss curve, loss surface and gradient-flow SVGs (elman plot --help)
  plot unrolled   the network unrolled over a sequence, forward and backward (elman plot unrolled --help)
  predict   run a saved model on JSON sequences from stdin (elman predict --help)
  sweep     train every run of a sweep file, here or through Redis workers (elman sweep --help)
  worker    take runs from a sweep's Redis queue (elman worker --help)
  help      this text          (also --help, -h; --version, -v prints the version)

${trainHelp}

${plotHelp}

${predictHelp}

${sweepHelp}`;

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], out = (l: string) => console.log(l), err = (l: string) => console.error(l)): Promise<number> {
  const [command, ...rest] = negativeValues(argv);
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      out(help);
      return 0;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      out(version());
      return 0;
    }
    if (command === 'train') {
      const { values } = parseArgs({ args: rest, options: { ...trainFlags, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
      if (values.help) {
        out(trainHelp);
        return 0;
      }
      return await runTrain(values, out);
    }
    if (command === 'plot' && rest[0] === 'unrolled') return await runPlotUnrolled(rest.slice(1), out);
    if (command === 'plot') return await runPlot(rest, out);
    if (command === 'predict') return await runPredict(rest, out);
    if (command === 'sweep') return await runSweep(rest, out);
    if (command === 'worker') return await runWorker(rest, out);
    err(`elman: unknown command "${command}" (try elman help)`);
    return 2;
  } catch (error) {
    if (error instanceof ElmanError) {
      err(`elman: ${error.message}`);
      return error.name === 'DivergenceError' ? 1 : 2;
    }
    const code = (error as { code?: string }).code;
    // A file-system failure (EACCES, ENOSPC, ...) is the user's environment, not a bug: one line, exit 2.
    if (typeof code === 'string' && (code.startsWith('ERR_PARSE_ARGS') || /^E[A-Z]+$/.test(code))) {
      err(`elman: ${(error as Error).message.split('\n')[0]}`);
      return 2;
    }
    throw error;
  }
}

/** Let `--init -1.5,2` mean `--init=-1.5,2`: a value that looks like a negative number is not a flag. */
function negativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** The package's version, from the package.json two folders up (from src/cli/ and dist/cli/ alike). */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** True when this module is the program: npm's bin is a symlink (or a shim), so compare real paths. */
function isProgram(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Run only as the program, not when imported by tests. A closed pipe (`elman train | head`) ends it quietly.
if (isProgram()) {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
