// The Redis path, on BullMQ: a sweep is a queue's jobs (job id = 'run-' + run id, so a repeated sweep adds
// nothing it already has), `elman worker` processes take them, and a job's result is its BullMQ
// return value, stored by BullMQ's completion step under the worker's lock: a worker killed mid-run
// never completes, its lock lapses, BullMQ's stalled-job check moves the job back to wait and another
// worker runs it. elman only supplies the processor: no queue, scheduler or protocol of its own.
// bullmq is an optional peer dependency, imported here only (this path): the package's other entry
// points load nothing of it.

import type { Job, Queue as QueueType } from 'bullmq';
import { ConfigError } from '../errors.js';
import { checkConcurrency, defaultConcurrency, RunPool } from './pool.js';
import type { EpochEvent, RunResult } from './run.js';
import { checkName, type RunSpec } from './spec.js';

// A BullMQ job id is the run id with a prefix: BullMQ refuses ids that read as integers, and 1 run id in ~1,800 is all decimal digits.
const jobId = (id: string): string => `run-${id}`;
const runOf = (job: string): string => job.slice(4);

/** The queue of sweeps named `name` (BullMQ prefixes its keys with `bull:`). */
export const queueName = (name = 'sweep'): string => `elman-${name}`;

type BullMQ = typeof import('bullmq');

/** Load bullmq (an optional peer dependency), or say how to install it. */
export async function loadBullmq(): Promise<BullMQ> {
  try {
    return await import('bullmq');
  } catch {
    throw new ConfigError('redis', 'bullmq', 'usable: the Redis path needs the optional peer dependency bullmq (npm install bullmq)');
  }
}

/** Redis URL to BullMQ's connection options (ioredis reads the URL: redis://[user:password@]host:port[/db], rediss:// for TLS). */
export function connection(url: unknown): { url: string; maxRetriesPerRequest: null } {
  if (!(typeof url === 'string' && /^rediss?:\/\/[^\s]+$/.test(url))) throw new ConfigError('redis', url, 'a Redis URL redis://host:port');
  // Workers block on Redis: BullMQ wants ioredis never to give up on a command (maxRetriesPerRequest null).
  return { url, maxRetriesPerRequest: null };
}

/** What the sweep side of the Redis path reports, and how it is stopped. */
export interface QueueHooks {
  onResult(r: RunResult): void;
  onEpoch(e: EpochEvent): void;
}

/** A failed job as a failed run: BullMQ keeps the last error's message and the attempts made. */
function failedRun(run: RunSpec, reason: string, attempts: number): RunResult {
  const [, name = 'Error', message = reason] = /^(\w+): ([\s\S]*)$/.exec(reason) ?? [];
  return { id: run.id, index: run.index, params: run.params, config: run.config, status: 'failed', error: { name, message }, attempts };
}

/** A completed job's result (the worker wrote the attempts it took into it). */
function doneRun(value: unknown): RunResult {
  return (typeof value === 'string' ? JSON.parse(value) : value) as RunResult;
}

/**
 * Enqueue the runs not yet finished; `found` are those BullMQ already holds finished (a repeat, or
 * --resume), and every other run is reported once through `hooks` as workers complete it.
 * `stop` closes the connections; `cancel` removes the runs still waiting.
 */
export async function enqueue(
  url: string,
  name: string | undefined,
  runs: readonly RunSpec[],
  attempts: number,
  hooks: QueueHooks,
): Promise<{ found: RunResult[]; finished: Promise<void>; listen(): void; cancel(): Promise<number>; stop(): Promise<void> }> {
  const { Queue, QueueEvents, Job } = await loadBullmq();
  const opts = { connection: connection(url) };
  const queue: QueueType = new Queue(queueName(name), opts);
  const events = new QueueEvents(queueName(name), opts);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const reported = new Set<string>();
  let scanned = false;
  const early: RunResult[] = []; // heard before the scan ended: reported after `found`
  let resolveAll!: () => void;
  const finished = new Promise<void>((r) => (resolveAll = r));
  const report = (r: RunResult) => {
    if (reported.has(r.id) || !byId.has(r.id)) return;
    if (!scanned) return void early.push(r);
    reported.add(r.id);
    hooks.onResult(r);
    if (reported.size === byId.size) resolveAll();
  };
  // Listen before adding: a job completed between the add and the listener is found by the scan below.
  events.on('completed', ({ jobId: job, returnvalue }) => {
    if (!byId.has(runOf(job))) return;
    report(doneRun(returnvalue));
  });
  events.on('failed', ({ jobId: job, failedReason }) => {
    const run = byId.get(runOf(job));
    if (!run) return;
    // 'failed' is heard for the last attempt only when the state says failed (earlier ones are retried).
    void Job.fromId(queue, job).then(async (j) => {
      if (j && (await j.getState()) === 'failed') report(failedRun(run, failedReason, j.attemptsMade));
    });
  });
  events.on('progress', ({ jobId: job, data }) => {
    if (byId.has(runOf(job)) && typeof data === 'object') hooks.onEpoch(data as unknown as EpochEvent);
  });
  await events.waitUntilReady();
  await queue.waitUntilReady();
  // Job id = run id: BullMQ adds nothing for an id it already holds (waiting, active, completed or failed).
  const BULK = 1000;
  for (let i = 0; i < runs.length; i += BULK) {
    await queue.addBulk(runs.slice(i, i + BULK).map((run) => ({ name: 'run', data: run, opts: { jobId: jobId(run.id), attempts, backoff: { type: 'fixed', delay: 100 }, removeOnComplete: false, removeOnFail: false } })));
  }
  // Runs finished before this sweep started: their results are in Redis already.
  const found: RunResult[] = [];
  for (let i = 0; i < runs.length; i += BULK) {
    const jobs = await Promise.all(runs.slice(i, i + BULK).map((r) => Job.fromId(queue, jobId(r.id))));
    for (const job of jobs) {
      if (!job || job.finishedOn === undefined) continue;
      if (job.returnvalue !== null && job.returnvalue !== undefined) found.push(doneRun(job.returnvalue));
      else if (job.failedReason) found.push(failedRun(byId.get(runOf(job.id!))!, job.failedReason, job.attemptsMade));
    }
  }
  for (const r of found) reported.add(r.id);
  return {
    found,
    finished,
    /** Start reporting (after the caller has taken `found`): results heard during the scan first. */
    listen: () => {
      scanned = true;
      for (const r of early.splice(0)) report(r);
      if (reported.size === byId.size) resolveAll();
    },
    cancel: async () => {
      let removed = 0;
      for (const r of runs) if (!reported.has(r.id) && (await queue.remove(jobId(r.id))) === 1) removed++;
      return removed;
    },
    stop: async () => {
      await events.close();
      await queue.close();
    },
  };
}

/** Options of `worker`. */
export interface WorkerOptions {
  /** Redis URL, `redis://host:port`. */
  redis: string;
  /** Runs trained at once, each on its own thread (default: available cores). */
  concurrency?: number;
  /** The sweep name whose queue to take runs from (default 'sweep'). */
  name?: string;
  /** BullMQ's lock duration in ms (default 30,000): a killed worker's run is retried once it lapses and the stalled check runs (every lock/2 ms). */
  lockMs?: number;
  /** Called after BullMQ stored each run this worker trained. */
  onRun?: (r: RunResult) => void;
}

/** A running worker: `close()` finishes its runs in flight, then disconnects. */
export interface SweepWorker {
  /** Stop taking runs, finish those in flight, disconnect and stop the threads. */
  close(): Promise<void>;
  /** Runs trained at once. */
  readonly concurrency: number;
}

/**
 * Take runs from a sweep's queue until closed: BullMQ fetches a job, the job's run is trained on a
 * thread of this process, and its result returned to BullMQ (which stores it and acknowledges); a run
 * that failed is thrown, so BullMQ retries it up to the sweep's attempts, then records it failed.
 */
export async function worker(options: WorkerOptions): Promise<SweepWorker> {
  const conn = connection(options.redis);
  const concurrency = checkConcurrency(options.concurrency ?? defaultConcurrency(), 'concurrency');
  if (options.name !== undefined) checkName('name', options.name);
  const lockMs = options.lockMs ?? 30_000;
  if (!(Number.isInteger(lockMs) && lockMs >= 100)) throw new ConfigError('lockMs', lockMs, 'an integer >= 100');
  const { Worker } = await loadBullmq();
  const pool = new RunPool(concurrency);
  let client: Promise<{ get(key: string): Promise<string | null> }> | undefined;
  const keys = new Map<string, Promise<string | null>>();
  const processor = async (job: Job<RunSpec>) => {
    let last = performance.now();
    const run = job.data;
    const key = run.config.data.key;
    // A Redis key's data is read here, on the worker's connection, and sent to the thread inline (the result keeps the reference).
    let sent = run;
    if (key !== undefined) {
      if (!keys.has(key)) keys.set(key, (client ??= w.client).then((c) => c.get(key)));
      const text = await keys.get(key)!;
      if (keys.size > 8) keys.delete(keys.keys().next().value!);
      if (text === null) throw new Error(`ConfigError: data.key must be a key that exists in Redis, got ${JSON.stringify(key)}`);
      const { key: _, ...rest } = run.config.data;
      const parsed = JSON.parse(text) as unknown;
      sent = { ...run, config: { ...run.config, data: { ...rest, ...(Array.isArray(parsed) ? { series: parsed as number[] } : (parsed as object)) } } };
    }
    const result = await pool.run(sent, (e) => {
      // Progress at most every 250 ms per run (none for a shorter run): one Redis write each, not one per epoch.
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      job.updateProgress(e as never).catch(() => undefined);
    });
    if (result.status === 'failed') throw new Error(`${result.error!.name}: ${result.error!.message}`);
    result.config = run.config;
    result.attempts = job.attemptsMade + 1;
    return result;
  };
  const w = new Worker<RunSpec>(queueName(options.name), processor, {
    connection: conn,
    concurrency,
    lockDuration: lockMs,
    stalledInterval: Math.max(50, Math.floor(lockMs / 2)),
    maxStalledCount: 2,
  });
  // Heard once BullMQ has stored the result under this worker's lock (not when the processor returns).
  if (options.onRun) w.on('completed', (_job, result: RunResult) => options.onRun!(result));
  await w.waitUntilReady();
  return {
    concurrency,
    close: async () => {
      await w.close();
      await pool.close();
    },
  };
}
