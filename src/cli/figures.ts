import { lstat, mkdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderSvg, type VegaLiteSpec } from '../plots/render.js';
import { UsageError } from './args.js';

/** A file-system failure on an output folder, as one line naming the flag (exit 2), never a stack trace. */
function fileError(flag: string, dir: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  return new UsageError(flag, dir, `a folder elman can create and write (${code})`);
}

/**
 * Create DIR and its missing parents, pushing each folder it creates onto `made` (deepest last) so
 * that a failure can take them away. Not `mkdir(dir, { recursive: true })`, which spins on procfs
 * (a folder that says ENOENT to mkdir while its parent exists): each level is tried once.
 */
async function makeDir(dir: string, made: string[], depth = 0): Promise<void> {
  try {
    await mkdir(dir);
    made.push(dir);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') {
      if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
      return;
    }
    if (code !== 'ENOENT' || depth > 64 || dirname(dir) === dir) throw error;
    await makeDir(dirname(dir), made, depth + 1);
    await mkdir(dir);
    made.push(dir);
  }
}

/** Remove the folders makeDir created, deepest first; one that is no longer empty stays. */
async function unmakeDirs(made: readonly string[]): Promise<void> {
  for (const dir of [...made].reverse()) await rmdir(dir).catch(() => undefined);
}

/**
 * Before any work: check that the plotting peers load and that DIR can be created and written (a
 * probe file, written and removed, then every folder the probe created), so a bad `--out` or a missing
 * vega fails in milliseconds and leaves nothing behind.
 */
export async function checkOutput(dir: string, flag = '--out'): Promise<void> {
  await renderSvg({ data: { values: [] }, mark: 'point' });
  const probe = join(dir, `.elman-probe-${process.pid}`);
  const made: string[] = [];
  try {
    await makeDir(dir, made);
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    throw fileError(flag, dir, error);
  } finally {
    await unmakeDirs(made);
  }
}

/**
 * Render every figure, then write them all or none: each goes to a temporary file in DIR and is
 * renamed into place only once all are written; on failure the folders it created go too.
 * Resolves to the files' paths, in order.
 */
export async function writeFigures(dir: string, figures: ReadonlyArray<readonly [name: string, spec: VegaLiteSpec]>, flag = '--out'): Promise<string[]> {
  const svgs = await Promise.all(figures.map(([, spec]) => renderSvg(spec)));
  const temps: string[] = [];
  const placed: string[] = [];
  const made: string[] = [];
  try {
    await makeDir(dir, made);
    for (const [i, [name]] of figures.entries()) {
      const temp = join(dir, `.${name}.${process.pid}.tmp`);
      temps.push(temp);
      await writeFile(temp, svgs[i]!);
    }
    const files = figures.map(([name]) => join(dir, name));
    // A name taken by anything but a file would make its rename fail half-way through the set.
    for (const file of files) {
      const kind = await lstat(file).catch(() => undefined);
      if (kind && !kind.isFile()) throw Object.assign(new Error(`${file} is not a file`), { code: 'EISDIR' });
    }
    for (const [i, file] of files.entries()) {
      await rename(temps[i]!, file);
      placed.push(file);
    }
    return files;
  } catch (error) {
    await Promise.all([...temps, ...placed].map((t) => rm(t, { force: true })));
    await unmakeDirs(made);
    throw fileError(flag, dir, error);
  }
}

/** Render `spec` to DIR/NAME (creating DIR), atomically; resolves to the file's path. */
export async function writeSvg(dir: string, name: string, spec: VegaLiteSpec, flag = '--out'): Promise<string> {
  const [file] = await writeFigures(dir, [[name, spec]], flag);
  return file!;
}

/** A run's legend name, e.g. `rmsprop lr=1e-3`; Rprop's `--lr` is its initial step, `rprop step=0.001`. */
export function runName(optimizer: string, lr: string | undefined): string {
  return lr === undefined ? optimizer : `${optimizer} ${optimizer === 'rprop' ? 'step' : 'lr'}=${lr}`;
}
