import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The built CLI the tests run, as users do; ELMAN_CLI points them at another build (e.g. an older one, to watch a test fail). */
export const CLI = process.env.ELMAN_CLI ? resolve(process.env.ELMAN_CLI) : resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `node CLI ...args` in `cwd` with `stdin` piped in (stdout and stderr pipes, so neither is a terminal). */
export function cli(args: readonly string[], options: { cwd?: string; stdin?: string; bin?: string } = {}): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [options.bin ?? CLI, ...args], { cwd: options.cwd, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) =>
      done({ code: error ? (error.code as number) : 0, stdout, stderr }));
    child.stdin!.end(options.stdin ?? '');
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Run `node CLI ...args` on a pseudo-terminal (util-linux `script`): stdin, stdout and stderr are a
 * TTY unless `redirect` sends stdout to a file (`> FILE` in the shell line). `typed` is what the user
 * types; resolves to everything the terminal showed.
 */
export function onTerminal(args: readonly string[], options: { cwd?: string; typed?: string; redirect?: string } = {}): Promise<{ code: number; screen: string }> {
  const line = [process.execPath, CLI, ...args].map(quote).join(' ') + (options.redirect ? ` > ${quote(options.redirect)}` : '');
  return new Promise((done) => {
    const child = spawn('script', ['-qec', line, '/dev/null'], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (b: Buffer) => (screen += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (screen += b.toString('utf8')));
    // Typed ahead: the terminal holds it until the program reads; ^D at the start of a line is end of input.
    if (options.typed !== undefined) child.stdin.write(options.typed);
    child.on('close', (code) => done({ code: code ?? -1, screen }));
  });
}
