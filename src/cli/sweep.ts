import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { int, UsageError } from './args.js';
import type { EpochEvent, RunResult, SweepProgress } from '../sweep/index.js';

/** The text of `elman sweep --help`. */
export const sweepHelp = `elman sweep SPEC.json [flags]   train every run of a sweep (grid, list, random draws or one per series; docs/sweep.md)

  --out DIR               results: DIR/runs/<id>.json per finished run, DIR/results.csv; runs already there are skipped
  --resume                continue a sweep whose --out already holds finished runs (without it, such a DIR is refused)
  --redis URL             enqueue on BullMQ at redis://host:port for \`elman worker\` processes instead of training here
  --concurrency N         runs at once on this machine, one thread each (default: available cores)
  --attempts N            tries of a run that throws before it is recorded failed (Redis; default 3)

  prints a live table of running runs on a terminal, else one line per finished run; then the best run by valLoss (else loss)

elman worker --redis URL [flags]   train runs from a sweep's queue until stopped (SIGINT/SIGTERM finish the runs in flight)

  --concurrency N         runs at once, one thread each (default: available cores)
  --name NAME             the sweep's name (its spec's "name"; default sweep)
  --lock-ms N             BullMQ lock duration: a killed worker's run is retried elsewhere after it (default 30000)`;

const sweepFlags = {
  out: { type: 'string' },
  resume: { type: 'boolean' },
  redis: { type: 'string' },
  concurrency: { type: 'string' },
  attempts: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const workerFlags = {
  redis: { type: 'string' },
  concurrency: { type: 'string' },
  name: { type: 'string' },
  'lock-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const short = (v: number | undefined) => (v === undefined ? '' : v.toPrecision(4));

/** One line of a finished run: id, status, its varied values, its metrics. */
function runLine(r: RunResult, p: SweepProgress): string {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const what = r.status === 'done' ? `loss ${short(r.metrics!.loss)}${r.metrics!.valLoss === undefined ? '' : ` valLoss ${short(r.metrics!.valLoss)}`} ${Math.round(r.history!.ms)} ms` : `FAILED after ${r.attempts} attempt(s): ${r.error!.message}`;
  return `[${p.finished}/${p.total}] ${r.id} ${params} ${what}`;
}

/** A live table on a terminal: the runs in flight (epoch, loss) under a progress line, redrawn at most 5 times a second. */
class LiveTable {
  private readonly live = new Map<string, EpochEvent>();
  private lines = 0;
  private last = 0;
  private progress: SweepProgress | undefined;

  constructor(private readonly write: (s: string) => void) {}

  epoch(e: EpochEvent): void {
    this.live.set(e.id, e);
    this.draw();
  }

  run(r: RunResult, p: SweepProgress): void {
    this.live.delete(r.id);
    this.progress = p;
    this.draw(true);
  }

  private draw(force = false): void {
    const now = performance.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    const p = this.progress;
    const rows = [`runs ${p?.finished ?? 0}/${p?.total ?? '?'} finished, ${p?.failed ?? 0} failed${p?.skipped ? `, ${p.skipped} found finished` : ''}`, 'run id            epoch        loss'];
    for (const e of [...this.live.values()].slice(0, 20)) rows.push(`${e.id}  ${`${e.epoch + 1}/${e.epochs}`.padEnd(11)}  ${short(e.loss)}`);
    // Up over the previous table, clear to the end of the screen, redraw.
    this.write(`${this.lines ? `\x1b[${this.lines}A` : ''}\x1b[0J${rows.join('\n')}\n`);
    this.lines = rows.length;
  }

  start(p: SweepProgress): void {
    this.progress = p;
    this.draw(true);
  }
}

/** Run `elman sweep`; resolves to the exit code (0: every run done, 1: some failed). */
export async function runSweep(args: string[], out: (line: string) => void, tty = process.stdout.isTTY === true): Promise<number> {
  const { values: v, positionals } = parseArgs({ args, options: sweepFlags, strict: true, allowPositionals: true });
  if (v.help) {
    out(sweepHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('SPEC.json', positionals.join(' ') || undefined, 'one sweep file (elman sweep sweep.json)');
  const file = positionals[0]!;
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new UsageError('SPEC.json', file, `a readable file (${e.message})`);
  });
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new UsageError('SPEC.json', file, `JSON (${(error as Error).message})`);
  }
  const concurrency = int('--concurrency', v.concurrency, 1, 256);
  const attempts = int('--attempts', v.attempts, 1, 100);
  const { sweep, expand } = await import('../sweep/index.js');
  if (v.out !== undefined && !v.resume) {
    const { loadRuns } = await import('../sweep/store.js');
    const found = await loadRuns(v.out, new Set(expand(spec).map((r) => r.id)));
    if (found.length > 0) throw new UsageError('--out', v.out, `a directory without this sweep's results (it holds ${found.length} finished runs: pass --resume to continue)`);
  }
  const s = sweep(spec, { ...(concurrency && { concurrency }), ...(attempts && { attempts }), ...(v.redis !== undefined && { redis: v.redis }), ...(v.out !== undefined && { out: v.out }) });
  if (tty) {
    const table = new LiveTable((t) => process.stdout.write(t));
    s.on('start', (p) => table.start(p));
    s.on('epoch', (e) => table.epoch(e));
    s.on('run', (r, p) => table.run(r, p));
  } else {
    s.on('start', (p) => out(`sweep: ${p.total} runs${p.skipped ? `, ${p.skipped} found finished` : ''}${v.redis ? `, on ${v.redis}` : ''}`));
    s.on('run', (r, p) => out(runLine(r, p)));
  }
  const stop = () => void s.cancel();
  process.once('SIGINT', stop);
  try {
    const results = await s;
    const by = results.best({ by: 'valLoss' }) ? 'valLoss' : 'loss';
    const best = results.best({ by });
    out(`done: ${results.done.length} runs, ${results.failed.length} failed${best ? `; best by ${by}: ${best.id} ${JSON.stringify(best.params)} ${by} ${short(best.metrics![by])}` : ''}`);
    return results.failed.length > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', stop);
  }
}

/** Run `elman worker` until SIGINT/SIGTERM; resolves to the exit code. */
export async function runWorker(args: string[], out: (line: string) => void): Promise<number> {
  const { values: v } = parseArgs({ args, options: workerFlags, strict: true, allowPositionals: false });
  if (v.help) {
    out(sweepHelp.slice(sweepHelp.indexOf('elman worker')));
    return 0;
  }
  if (v.redis === undefined) throw new UsageError('--redis', undefined, 'a Redis URL redis://host:port');
  const concurrency = int('--concurrency', v.concurrency, 1, 256);
  const lockMs = int('--lock-ms', v['lock-ms'], 100);
  const { worker } = await import('../sweep/index.js');
  const w = await worker({ redis: v.redis, ...(concurrency && { concurrency }), ...(v.name !== undefined && { name: v.name }), ...(lockMs && { lockMs }), onRun: (r) => out(`stored ${r.id} (${Math.round(r.history!.ms)} ms)`) });
  out(`worker ${process.pid}: ${w.concurrency} thread(s) on ${v.redis}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await w.close();
  return 0;
}
