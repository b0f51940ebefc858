// elman-rnn/sweep: many runs from one description, over worker threads on this machine (default) or
// over BullMQ workers on any number of machines (`redis`). Node only (worker threads, files, hashes):
// a separate entry point, so browsers, bundlers and workerd never load it.

import { EventEmitter } from 'node:events';
import { ConfigError } from '../errors.js';
import { checkConcurrency, defaultConcurrency, RunPool } from './pool.js';
import { SweepResults } from './results.js';
import type { EpochEvent, RunResult } from './run.js';
import { expand, type RunSpec } from './spec.js';
import { connection, enqueue } from './queue.js';
import { loadRuns, saveRun, saveTable } from './store.js';

export { SweepResults, type Metric } from './results.js';
export { runOne, type EpochEvent, type RunError, type RunHistory, type RunMetrics, type RunResult } from './run.js';
export type { KeyReader } from './data.js';
export { canonical, expand, runId, type DataSource, type DataSpec, type Draw, type ModelSpec, type OptimizerSpecJSON, type RandomSpec, type RunConfig, type RunSpec, type SequencesJSON, type SweepSpec, type TrainSpec } from './spec.js';
export { worker, queueName, type SweepWorker, type WorkerOptions } from './queue.js';

/** Options of `sweep`. */
export interface SweepOptions {
  /** Runs trained at once on this machine, one thread each (default: available cores; embedded only). */
  concurrency?: number;
  /** A Redis URL: enqueue the runs on BullMQ for `elman worker` processes instead of training them here. */
  redis?: string;
  /** A results directory: `runs/<id>.json` per finished run and results.csv; runs already there are skipped. */
  out?: string;
  /** Tries of a run that throws before it is recorded as failed (Redis path; default 3). */
  attempts?: number;
}

/** Where a sweep stands, with each finished run. */
export interface SweepProgress {
  /** Runs with a result (done or failed), those found finished included. */
  finished: number;
  /** Of those, failed. */
  failed: number;
  /** Runs in the sweep. */
  total: number;
  /** Runs found finished before this sweep started (in `out`, or in Redis). */
  skipped: number;
}

/**
 * A sweep in progress: an EventEmitter ('start', 'epoch', 'run', 'done') you can await for its results.
 * 'epoch' passes an EpochEvent for each logged epoch of a run; 'run' a RunResult and the SweepProgress.
 */
export class Sweep extends EventEmitter implements PromiseLike<SweepResults> {
  /** Every run of the sweep, in order, with its id. */
  readonly runs: readonly RunSpec[];
  /** Resolves when every run has a result (or after `cancel`, with the results so far). */
  readonly done: Promise<SweepResults>;
  private readonly results = new Map<string, RunResult>();
  private readonly progress: SweepProgress;
  private stopper: (() => Promise<number>) | undefined;
  private cancelled = false;
  private settle!: () => void;
  /** @internal Resolves when `cancel` is called. */
  readonly stopped: Promise<void>;

  /** @internal Made by `sweep`. */
  constructor(runs: RunSpec[], start: (self: Sweep) => Promise<void>) {
    super();
    this.runs = runs;
    this.progress = { finished: 0, failed: 0, total: runs.length, skipped: 0 };
    this.stopped = new Promise<void>((r) => (this.settle = r));
    // Listeners are attached after `sweep` returns: start on the next turn.
    this.done = new Promise<void>((r) => setImmediate(r))
      .then(() => start(this))
      .then(() => {
        const results = this.collected();
        this.emit('done', results);
        return results;
      });
    this.done.catch(() => undefined); // a rejection is the awaiter's; no unhandled rejection besides
  }

  /** @internal The results so far. */
  collected(): SweepResults {
    return new SweepResults(this.results.values());
  }

  /** @internal */
  skipped(results: RunResult[]): void {
    for (const r of results) this.results.set(r.id, r);
    this.progress.skipped = results.length;
    this.progress.finished = results.length;
    this.progress.failed = results.filter((r) => r.status === 'failed').length;
    this.emit('start', { ...this.progress });
  }

  /** @internal A run's result, heard once. */
  record(r: RunResult): void {
    if (this.results.has(r.id) || this.cancelled) return;
    this.results.set(r.id, r);
    this.progress.finished++;
    if (r.status === 'failed') this.progress.failed++;
    this.emit('run', r, { ...this.progress });
  }

  /** @internal */
  onCancel(stop: () => Promise<number>): void {
    this.stopper = stop;
  }

  /** Remove the runs not yet started (finished ones are kept, running ones end unheard); resolves to how many were removed. */
  async cancel(): Promise<number> {
    if (this.cancelled) return 0;
    this.cancelled = true;
    const removed = (await this.stopper?.()) ?? 0;
    this.settle();
    return removed;
  }

  then<A = SweepResults, B = never>(onFulfilled?: ((value: SweepResults) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.done.then(onFulfilled, onRejected);
  }
}

/** Declare that `Sweep` emits these events (for editors). */
export interface Sweep {
  /** The runs are in place (enqueued, or about to start here); how many were found finished. */
  on(event: 'start', listener: (p: SweepProgress) => void): this;
  /** An epoch of a run ended. */
  on(event: 'epoch', listener: (e: EpochEvent) => void): this;
  /** A run finished (done or failed), with the progress so far. */
  on(event: 'run', listener: (r: RunResult, p: SweepProgress) => void): this;
  /** Every run has a result (or the sweep was cancelled). */
  on(event: 'done', listener: (r: SweepResults) => void): this;
}

/**
 * Run every run of `spec`: on worker threads here (default), or through BullMQ workers with `redis`.
 * Each run has a stable id; runs already finished (in `out`, or in Redis) are not run again.
 * `await sweep(spec)` gives the SweepResults; the returned Sweep also emits progress and can `cancel()`.
 */
export function sweep(spec: unknown, options: SweepOptions = {}): Sweep {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', options, 'an object { concurrency, redis, out, attempts }');
  const keys = ['concurrency', 'redis', 'out', 'attempts'];
  for (const k of Object.keys(options)) if (!keys.includes(k)) throw new ConfigError(`options.${k}`, (options as Record<string, unknown>)[k], `absent: sweep takes ${keys.join(', ')}`);
  const runs = expand(spec);
  const { out, redis } = options;
  if (out !== undefined && (typeof out !== 'string' || out === '')) throw new ConfigError('out', out, 'a directory path');
  const attempts = options.attempts ?? 3;
  if (!(Number.isInteger(attempts) && attempts >= 1 && attempts <= 100)) throw new ConfigError('attempts', attempts, 'an integer in [1, 100]');
  const concurrency = checkConcurrency(options.concurrency ?? Math.min(defaultConcurrency(), runs.length));
  const name = (spec as { name?: string }).name;
  const save = (s: Sweep, r: RunResult) => (out === undefined ? Promise.resolve() : saveRun(out, r)).then(() => s.record(r));
  const finish = async (s: Sweep) => {
    if (out !== undefined) await saveTable(out, s.collected());
  };
  if (redis !== undefined) {
    connection(redis); // the URL checked now, not when the first connection fails
    return new Sweep(runs, async (s) => {
      const stored = out === undefined ? [] : await loadRuns(out, new Set(runs.map((r) => r.id)));
      const known = new Set(stored.map((r) => r.id));
      const pending: Promise<void>[] = [];
      const q = await enqueue(
        redis,
        name,
        runs.filter((r) => !known.has(r.id)),
        attempts,
        { onResult: (r) => void pending.push(save(s, r)), onEpoch: (e) => s.emit('epoch', e) },
      );
      try {
        s.onCancel(q.cancel);
        // Results BullMQ already held are written to `out` too.
        await Promise.all(q.found.map((r) => (out === undefined ? undefined : saveRun(out, r))));
        s.skipped([...stored, ...q.found]);
        q.listen();
        await Promise.race([q.finished, s.stopped]);
        await Promise.all(pending);
        await finish(s);
      } finally {
        await q.stop();
      }
    });
  }
  return new Sweep(runs, async (s) => {
    const found = out === undefined ? [] : await loadRuns(out, new Set(runs.map((r) => r.id)));
    s.skipped(found);
    const known = new Set(found.map((r) => r.id));
    const todo = runs.filter((r) => !known.has(r.id));
    if (todo.length === 0) return finish(s);
    const pool = new RunPool(Math.min(concurrency, todo.length));
    let started = 0;
    s.onCancel(async () => {
      await pool.close();
      return todo.length - started;
    });
    try {
      const listening = s.listenerCount('epoch') > 0;
      const all = todo.map((run) =>
        pool
          .run(run, listening ? (e) => s.emit('epoch', e) : undefined, () => started++)
          .then((r) => save(s, r)),
      );
      await Promise.race([Promise.all(all), s.stopped]);
      await finish(s);
    } finally {
      await pool.close();
    }
  });
}
