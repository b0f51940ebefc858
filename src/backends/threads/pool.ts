// The counter's loss and gradient computed by `threads` threads over one shared WebAssembly.Memory
// (Node's worker_threads; loaded only by `placeThreaded`, never by the package's entry). The calling
// thread takes block run 0, workers the others; a generation word in the memory starts a round
// (Atomics.notify) and a done count ends it (Atomics.wait), so a round costs no messages. Blocks are
// fixed by the data's size (./layout.ts) and summed here in block order, whatever thread ran each:
// the result is the same bits for every thread count.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Sequences } from '../../data/sequences.js';
import { ConfigError, DisposedError, ElmanError } from '../../errors.js';
import { BYTES_FROM } from '../wasm/linear.js';
import { blockRange, CMD, DONE, FAILED, GEN, layout, RUN, STOP, type PoolLayout } from './layout.js';

/** What the threads core (build/elman.threads.wasm, assembly/threads.ts) offers a thread. */
export interface ThreadsCore {
  heapBase(): number;
  linearLossGradBlocks(x: number, t: number, n: number, T: number, wx: number, wRec: number, c: number, bytes: number, block: number, b0: number, b1: number, scratch: number, out: number): void;
}

/** A placement's threads: `lossGrad` is synchronous (the calling thread runs its share, then waits). */
export interface CounterPool {
  readonly threads: number;
  /** Whether the inputs are held as u8 (0/1 data). */
  readonly bytes: boolean;
  /** Writes [Σ e², ∂L/∂wx, ∂L/∂wRec] at (wx, wRec) into `out`, dL/dy = c·e. */
  lossGrad(wx: number, wRec: number, c: number, out: Float64Array): void;
  /** Stops the workers (they exit on their own; `closed` resolves when they have). */
  dispose(): void;
  readonly closed: Promise<void>;
}

// Found from the source (tests) and from dist/ alike: both sit three folders below the package root.
const wasmUrl = new URL('../../../build/elman.threads.wasm', import.meta.url);
const workerUrl = new URL('../../../dist/backends/threads/worker.js', import.meta.url);
let compiled: WebAssembly.Module | undefined;
let live = 0;

/** Internal: workers started and not yet exited, across every pool (for tests). */
export function liveWorkers(): number {
  return live;
}

/** True when every value is 0 or 1 (−0 counts as 0). */
function zeroOne(x: Float32Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0 && x[i] !== 1) return false;
  return true;
}

/** Copy `data` into a fresh shared memory and start `threads` − 1 workers over it. */
export async function counterPool(data: Sequences, threads: number): Promise<CounterPool> {
  const { samples: n, steps: T } = data;
  const x = data.x.subarray(0, n * T);
  const bytes = x.length * 4 > BYTES_FROM && zeroOne(x);
  compiled ??= new WebAssembly.Module(readFileSync(wasmUrl));
  const need = layout(1 << 16, n, T, bytes, threads).end; // the core's static data fits in its first page
  const pages = Math.ceil(need / 65536);
  if (pages > 65536) throw new ConfigError('data', `${need} bytes`, 'at most 4 GiB of WebAssembly memory for the threaded copy');
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const core = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as ThreadsCore;
  const l: PoolLayout = layout(core.heapBase(), n, T, bytes, threads);
  if (bytes) new Uint8Array(memory.buffer, l.x, x.length).set(x);
  else new Float32Array(memory.buffer, l.x, x.length).set(x);
  new Float32Array(memory.buffer, l.t, n).set(data.targets.subarray(0, n));
  const ctrl = new Int32Array(memory.buffer, l.ctrl, 4);
  const params = new Float32Array(memory.buffer, l.ctrl + 16, 3);
  const sums = new Float64Array(memory.buffer, l.out, 3 * l.blocks);
  const workers: Worker[] = [];
  const exits: Promise<void>[] = [];
  const stop = () => {
    Atomics.store(ctrl, CMD, STOP);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
  };
  try {
    const ready: Promise<unknown>[] = [];
    for (let p = 1; p < threads; p++) {
      const w = new Worker(workerUrl, { workerData: { module: compiled, memory, layout: l, index: p } });
      live++;
      w.unref(); // a placement left undisposed never keeps the process alive
      workers.push(w);
      exits.push(new Promise((resolve) => w.once('exit', () => resolve(void live--))));
      ready.push(new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      }));
    }
    await Promise.all(ready);
  } catch (error) {
    stop();
    for (const w of workers) void w.terminate();
    throw error;
  }
  const [b0, b1] = blockRange(l, 0);
  const scratch = l.scratch;
  let disposed = false;
  return {
    threads,
    bytes,
    closed: Promise.all(exits).then(() => undefined),
    lossGrad(wx, wRec, c, out) {
      if (disposed) throw new DisposedError('threaded data');
      params[0] = wx;
      params[1] = wRec;
      params[2] = c;
      Atomics.store(ctrl, DONE, 0);
      Atomics.store(ctrl, CMD, RUN);
      Atomics.add(ctrl, GEN, 1);
      Atomics.notify(ctrl, GEN);
      core.linearLossGradBlocks(l.x, l.t, n, T, params[0]!, params[1]!, params[2]!, bytes ? 1 : 0, l.block, b0, b1, scratch, l.out);
      for (let d = Atomics.load(ctrl, DONE); d < threads - 1; d = Atomics.load(ctrl, DONE)) Atomics.wait(ctrl, DONE, d);
      if (Atomics.load(ctrl, FAILED)) throw new ElmanError('a worker thread failed computing its blocks', 'threads', threads);
      // Fixed order: block 0, 1, 2, … whatever thread computed each.
      let loss = 0, gx = 0, gRec = 0;
      for (let j = 0; j < l.blocks; j++) {
        loss += sums[3 * j]!;
        gx += sums[3 * j + 1]!;
        gRec += sums[3 * j + 2]!;
      }
      out[0] = loss;
      out[1] = gx;
      out[2] = gRec;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      stop();
    },
  };
}
