// A results directory: one JSON file per finished run (`runs/<id>.json`, written whole then renamed, so
// a file present is a run finished), the table as results.csv. A repeated sweep reads what is there.

import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from './run.js';
import type { SweepResults } from './results.js';

/** The finished runs stored under `dir` whose id is in `ids`. */
export async function loadRuns(dir: string, ids: ReadonlySet<string>): Promise<RunResult[]> {
  let names: string[];
  try {
    names = await readdir(join(dir, 'runs'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const wanted = names.filter((n) => n.endsWith('.json') && ids.has(n.slice(0, -5)));
  return Promise.all(wanted.map(async (n) => JSON.parse(await readFile(join(dir, 'runs', n), 'utf8')) as RunResult));
}

/** Store one run's result (a temporary file renamed into place: a reader never sees half of it). */
export async function saveRun(dir: string, result: RunResult): Promise<void> {
  const runs = join(dir, 'runs');
  await mkdir(runs, { recursive: true });
  const tmp = join(runs, `.${result.id}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(result));
  await rename(tmp, join(runs, `${result.id}.json`));
}

/** Write the sweep's table as results.csv. */
export async function saveTable(dir: string, results: SweepResults): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'results.csv'), results.toCSV());
}
