// A pool of threads over one shared WebAssembly.Memory, knowing nothing about the models: the calling
// thread and `threads` − 1 workers each run an instance of the threads core (assembly/threads.ts)
// over the memory; a round is a task block in that memory (src/abi/threads.ts) that every thread
// reads. A generation word starts a round (Atomics.notify) and a done count ends it (Atomics.wait,
// or a spin on Atomics.load where the calling thread may not block: a browser's main thread), so a
// round costs no messages. Loaded only by a threaded placement (a dynamic import), never by the
// package's entry; the threads core is embedded like the main core, so nothing is read from a path.
//
// Why no worker-pool library: workerpool 10.0.3 (Node and browsers), piscina 5.3.2 and tinypool 2.2.0
// (Node only) send each task to a worker as a message and its result back as another; one task's
// round trip to one worker measured 47–50, 42–43 and 39–45 µs here (a bare postMessage echo 21–26 µs)
// against ~10 µs for a round of this pool, which every epoch or batch pays. A round here is a few
// stores and a wake-up over memory every thread already shares, with each thread's share fixed
// (fixed blocks, fixed order: the results' bits): their task queues, load balancing and transfers
// would sit unused, two of them would leave browsers out, and any would be a runtime dependency.
import { ConfigError, DisposedError, ElmanError } from '../../errors.js';
import { Arena } from '../wasm/arena.js';
import { fromBase64, type Core } from '../wasm/core.js';
import { exportsMismatch, NO_EPOCH_END } from '../wasm/exports.js';
import { THREADS_FUNCTIONS, type ThreadsCore } from './exports.js';
import { startFailure, threadsCoreSource, threadsRuntime } from './support.js';
import { CMD, DONE, FAILED, GEN, NODE_WORKER_SOURCE, RUN, STOP, TASK, WEB_WORKER_SOURCE, type WorkerStart } from './worker-source.js';

/** Threads over one shared memory: the calling thread's core and allocator, and synchronous rounds. */
export interface ThreadPool {
  /** Threads taking part in each round, the calling one included. */
  readonly threads: number;
  /** The calling thread's instance of the threads core. */
  readonly core: ThreadsCore;
  /** The allocator of the shared memory (it grows; workers see the growth). */
  readonly arena: Arena;
  /** The calling thread's instance as the single-thread backends take a core (its epochEnd traps: no run here reports epochs). */
  readonly asCore: Core;
  /** One round: every thread runs its blocks of the task block at byte `task`; returns when all have. */
  run(task: number): void;
  /** Stops the workers (they exit on their own; `closed` resolves when they have). */
  dispose(): void;
  readonly closed: Promise<void>;
}

/** Write a task block's words (src/abi/threads.ts) from [word, value] pairs: once per placement or binding, so that a round writes only what changes. */
export function writeTask(i32: Int32Array, task: number, words: ReadonlyArray<readonly [number, number]>): void {
  for (const [k, v] of words) i32[(task >>> 2) + k] = v;
}

const PAGE = 65536;
let compiled: Promise<WebAssembly.Module> | undefined;
let live = 0;

/** Internal: workers started and not yet exited, across every pool (for tests). */
export function liveWorkers(): number {
  return live;
}

/** The threads core, compiled once per process from its embedded bytes (checked against THREADS_FUNCTIONS when instantiated). */
function threadsModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const source = threadsCoreSource();
    if (!source) throw new ElmanError('no threads core registered: import from the package\'s default entry', 'threads', undefined);
    return WebAssembly.compile(fromBase64(await source()) as BufferSource);
  })();
  compiled.catch(() => (compiled = undefined)); // a later placement may try again
  return compiled;
}

/** One started worker, whatever the runtime: `ready` settles once it waits for rounds. */
interface Started {
  ready: Promise<unknown>;
  exited: Promise<void>;
  terminate(): void;
}

function startNode(start: WorkerStart): Started {
  type NodeWorker = { once(e: string, f: (v: unknown) => void): void; unref(): void; terminate(): Promise<number> };
  const { Worker } = (process as unknown as { getBuiltinModule(id: string): { Worker: new (src: string, o: object) => NodeWorker } }).getBuiltinModule('node:worker_threads');
  const w = new Worker(NODE_WORKER_SOURCE, { eval: true, workerData: start });
  w.unref(); // a pool left undisposed never keeps the process alive
  return {
    ready: new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    }),
    exited: new Promise((resolve) => w.once('exit', () => resolve())),
    terminate: () => void w.terminate(),
  };
}

function startWeb(start: WorkerStart, url: string): Started {
  // Deno (without worker_threads) runs module workers only; browsers and Bun take either (classic: the widest support).
  const w = new Worker(url, (globalThis as { Deno?: unknown }).Deno === undefined ? {} : { type: 'module' });
  (w as { unref?: () => void }).unref?.(); // Bun: a pool left undisposed never keeps the process alive
  let exit!: () => void;
  const exited = new Promise<void>((resolve) => (exit = resolve));
  const ready = new Promise((resolve, reject) => {
    w.onmessage = resolve;
    w.onerror = (e) => reject(new ElmanError(`a worker thread failed to start: ${e.message}`, 'threads', start.index + 1));
  });
  w.postMessage(start);
  return { ready, exited, terminate: () => (w.terminate(), exit()) };
}

/** True when this thread may block in Atomics.wait (everywhere but a browser's main thread). */
function canBlock(ctrl: Int32Array): boolean {
  try {
    Atomics.wait(ctrl, FAILED, -1, 0); // FAILED is 0: returns 'not-equal' at once where waiting is allowed
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh shared memory of at least `bytes` above the core's static data, the calling thread's core
 * over it, and `threads` − 1 workers waiting for rounds. `what` names the argument the size comes from.
 */
export async function startPool(threads: number, bytes: number, what: string): Promise<ThreadPool> {
  const pages = Math.ceil(bytes / PAGE) + 2; // the core's static data and the control words fit in the first page
  if (pages > 65536) throw new ConfigError(what, `${bytes} bytes`, 'at most 4 GiB of WebAssembly memory for the threaded copy');
  try {
    return await openPool(threads, pages, what);
  } catch (error) {
    // What the runtime refused (memory under a ulimit, workers under a permission model) becomes one typed error.
    throw error instanceof ElmanError ? error : startFailure(threads, error);
  }
}

async function openPool(threads: number, pages: number, what: string): Promise<ThreadPool> {
  const module = await threadsModule();
  const memory = new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
  // No run on this instance reports epochs (the counter trains on the main core): epochEnd traps.
  const exports = new WebAssembly.Instance(module, { env: { memory }, elman: NO_EPOCH_END.elman }).exports;
  const mismatch = exportsMismatch(exports, THREADS_FUNCTIONS);
  if (mismatch) throw new ElmanError(`the threads core does not match this package: ${mismatch}`, 'threads', threads);
  const core = exports as unknown as ThreadsCore;
  const arena = new Arena(memory, core.heapBase());
  const ctrlAt = arena.alloc(32, what);
  const ctrl = new Int32Array(memory.buffer, ctrlAt, 5);
  const stop = () => {
    Atomics.store(ctrl, CMD, STOP);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
  };
  const workers: Started[] = [];
  const url = threadsRuntime() === 'node' ? '' : URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  try {
    for (let p = 1; p < threads; p++) {
      const start: WorkerStart = { module, memory, ctrl: ctrlAt, index: p };
      const w = url ? startWeb(start, url) : startNode(start);
      live++;
      void w.exited.then(() => void live--);
      workers.push(w);
    }
    await Promise.all(workers.map((w) => w.ready));
  } catch (error) {
    stop();
    for (const w of workers) w.terminate();
    throw error;
  } finally {
    if (url) URL.revokeObjectURL(url);
  }
  const block = canBlock(ctrl);
  let disposed = false;
  return {
    threads,
    core,
    arena,
    asCore: { exports: core, arena, epochEnd: NO_EPOCH_END.elman.epochEnd },
    closed: Promise.all(workers.map((w) => w.exited)).then(() => undefined),
    run(task) {
      if (disposed) throw new DisposedError('threaded data');
      Atomics.store(ctrl, DONE, 0);
      Atomics.store(ctrl, FAILED, 0);
      Atomics.store(ctrl, TASK, task);
      Atomics.store(ctrl, CMD, RUN);
      Atomics.add(ctrl, GEN, 1);
      Atomics.notify(ctrl, GEN);
      try {
        core.threadRun(task, 0);
      } finally {
        // Never return while a worker still writes: the next round, or a release, would race it.
        for (let d = Atomics.load(ctrl, DONE); d < threads - 1; d = Atomics.load(ctrl, DONE)) if (block) Atomics.wait(ctrl, DONE, d);
      }
      if (Atomics.load(ctrl, FAILED)) throw new ElmanError('a worker thread failed computing its blocks', 'threads', threads);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      stop();
      // Browsers' workers close themselves after STOP; terminate() there only marks them gone.
      if (url) for (const w of workers) w.terminate();
    },
  };
}
