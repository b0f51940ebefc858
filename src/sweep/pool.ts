// Worker threads on this machine, each training one run at a time: the embedded runner's engine, and
// the engine of each `elman worker` process on the Redis path. A run goes to the next idle thread;
// a thread that dies fails its run (recorded, not thrown) and is replaced.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../errors.js';
import { errorOf, type EpochEvent, type RunResult } from './run.js';
import type { RunSpec } from './spec.js';

/** The threads a pool starts by default: one per core this process may use. */
export const defaultConcurrency = (): number => availableParallelism();

/** Throw ConfigError unless `n` is a thread count in [1, 256]. */
export function checkConcurrency(n: unknown, name = 'concurrency'): number {
  if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 256)) throw new ConfigError(name, n, 'an integer in [1, 256]');
  return n;
}

interface Job {
  run: RunSpec;
  onEpoch: ((e: EpochEvent) => void) | undefined;
  onStart: (() => void) | undefined;
  resolve: (r: RunResult) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job: Job | undefined;
}

/** A pool of worker threads that trains runs: `run` resolves to the run's result (a failed one too). */
export class RunPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private closed = false;

  constructor(readonly concurrency: number) {
    for (let i = 0; i < concurrency; i++) this.slots.push(this.start());
  }

  private start(): Slot {
    const worker = new Worker(new URL('./thread.js', import.meta.url));
    let ready!: () => void;
    const slot: Slot = { worker, ready: new Promise((r) => (ready = r)), job: undefined };
    worker.on('message', (m: { ready?: true; epoch?: EpochEvent; result?: RunResult }) => {
      if (m.ready) {
        ready();
        this.next(slot);
      } else if (m.epoch) slot.job?.onEpoch?.(m.epoch);
      else if (m.result) {
        const job = slot.job!;
        slot.job = undefined;
        job.resolve(m.result);
        this.next(slot);
      }
    });
    const died = (error: unknown) => {
      if (this.closed) return;
      const job = slot.job;
      slot.job = undefined;
      void worker.terminate();
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.start();
      if (job) job.resolve({ id: job.run.id, index: job.run.index, params: job.run.params, config: job.run.config, status: 'failed', error: errorOf(error), attempts: 1 });
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`worker thread exited with code ${code}`)));
    return slot;
  }

  private next(slot: Slot): void {
    if (slot.job || this.closed) return;
    const job = this.waiting.shift();
    if (!job) return;
    slot.job = job;
    job.onStart?.();
    slot.worker.postMessage({ run: job.run, progress: job.onEpoch !== undefined });
  }

  /** Train `run` on the next idle thread. */
  run(run: RunSpec, onEpoch?: (e: EpochEvent) => void, onStart?: () => void): Promise<RunResult> {
    if (this.closed) return Promise.reject(new ConfigError('pool', 'closed', 'open'));
    return new Promise((resolve) => {
      this.waiting.push({ run, onEpoch, onStart, resolve });
      for (const slot of this.slots) void slot.ready.then(() => this.next(slot));
    });
  }

  /** Runs not yet started are dropped (their promises never settle); the threads stop. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
