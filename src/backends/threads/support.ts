// Where threads can run, decided without loading anything: worker_threads in Node and Deno; Web
// Workers in Bun and in a cross-origin isolated browser page (shared memory needs it there); one
// thread everywhere else.

import { ConfigError } from '../../errors.js';

type Global = {
  process?: { versions?: { node?: string; bun?: string }; getBuiltinModule?: (id: string) => unknown };
  Deno?: unknown;
  crossOriginIsolated?: boolean;
  Worker?: unknown;
};

/** How a pool starts its workers here: Node's worker_threads, Web Workers, or none (one thread). */
export type ThreadsRuntime = 'node' | 'web' | undefined;

/**
 * The workers this runtime offers a pool: worker_threads in Node and Deno (whose Web Workers cannot
 * be unref'd: a placement left undisposed would keep the process alive), Web Workers in Bun (whose
 * worker_threads can) and in cross-origin isolated pages.
 */
export function threadsRuntime(): ThreadsRuntime {
  const g = globalThis as Global;
  const bun = g.process?.versions?.bun !== undefined;
  if (!bun && g.process?.versions?.node !== undefined && typeof g.process.getBuiltinModule === 'function') return 'node';
  if (typeof g.Worker !== 'function') return undefined; // workerd, and browsers' worklets
  return bun || g.Deno !== undefined || g.crossOriginIsolated === true ? 'web' : undefined;
}

// The threads core's bytes (base64), registered by the default entry's init(); the workerd entry,
// which could not compile them, registers none, so its bundles leave them out.
let threadsCore: (() => Promise<string>) | undefined;

/** Internal: where the pools get the threads core (build/elman.threads.wasm) as base64. */
export function setThreadsCore(source: () => Promise<string>): void {
  threadsCore = source;
}

/** Internal: the registered threads core, or undefined. */
export function threadsCoreSource(): (() => Promise<string>) | undefined {
  return threadsCore;
}

/** True where a threaded placement can start workers and has a threads core to give them. */
export function threadsAvailable(): boolean {
  return threadsCore !== undefined && threadsRuntime() !== undefined;
}

/**
 * `'auto'` picks two threads (where threads run) from this many sample-steps per epoch. An estimate, not a
 * measured crossover (the shared 2-core machine never had a core free): a round's synchronisation
 * measured 8–9 µs, one thread's epoch 0.35 ns per sample-step, so halving it pays from about 2^16;
 * 2^18 (≈ 90 µs per epoch) leaves room for a worker that wakes late and the lost in-core epochs.
 */
export const AUTO_MIN_WORK = 1 << 18;

/** 'auto' for the Elman network and stacks: 2 threads from this many multiply-adds per sweep (an estimate: a round costs ~10–40 µs, 2^21 multiply-adds ~0.5 ms on one thread). */
export const BATCH_AUTO_MIN_WORK = 1 << 21;

/** Most threads a placement may ask for. */
export const MAX_THREADS = 64;

/** A `threads` option checked: an integer from 1 to MAX_THREADS or 'auto' (the default); else a ConfigError. */
export function checkThreads(option: unknown): number | 'auto' {
  const t = option === undefined ? 'auto' : option;
  if (t !== 'auto' && !(typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= MAX_THREADS)) throw new ConfigError('threads', t, `an integer from 1 to ${MAX_THREADS}, or 'auto'`);
  return t as number | 'auto';
}

/** The logical CPUs this process may use, as the runtime reports them (Node's os.availableParallelism, else navigator.hardwareConcurrency); 1 when it reports none. */
export function cpuCount(): number {
  const g = globalThis as Global & { navigator?: { hardwareConcurrency?: unknown } };
  const os = g.process?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  const n = os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * The threads a checked option runs on, or 0 for an ordinary one-thread placement: an explicit
 * count where threads are available (1 included: the blocks of every count, one thread), 0 where
 * they are not (the documented fallback: history.threads says 1); 'auto' is 2 where they are
 * available, `work` reaches `autoFrom` and the process has at least two CPUs (`cpus`), else 0.
 */
export function threadPlan(t: number | 'auto', work: number, autoFrom: number, cpus: number = cpuCount()): number {
  if (!threadsAvailable()) return 0;
  return t === 'auto' ? (work >= autoFrom && cpus >= 2 ? 2 : 0) : t;
}

// The errors startPool throws when the runtime would not start a pool (memory refused under a
// ulimit, workers denied by Node's permission model): 'auto' then runs on one thread, as documented.
const startFailures = new WeakSet<object>();

/** The ConfigError for a pool this runtime refused to start; `cause` is the runtime's own error. */
export function startFailure(threads: number, cause: unknown): ConfigError {
  const reason = cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message.split('\n')[0]}` : String(cause);
  const error = new ConfigError('threads', threads, `a count this runtime can start (its worker pool failed: ${reason})`);
  startFailures.add(error);
  return error;
}

/** True for the error of a pool that could not start (see startFailure). */
export function isStartFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && startFailures.has(error);
}
