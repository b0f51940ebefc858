// Prototype (Node only, not exported from the package yet): the counter's loss and gradient computed
// by `threads` threads over one shared WebAssembly.Memory. The calling thread takes block range 0,
// worker_threads the others; a generation word in the memory starts a round (Atomics.notify) and a
// done count ends it (Atomics.wait), so a round costs no messages. Samples are cut into fixed blocks
// whose sums do not depend on the thread that ran them, and the blocks are summed in order here:
// the result is the same bits for every thread count.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../errors.js';
import { blockRange, CMD, DONE, GEN, layout, RUN, STOP, type PoolLayout } from './layout.js';

/** The counter's data, time-major: x[k·samples + i]. */
export interface CounterThreadData {
  readonly x: Float32Array;
  readonly targets: Float32Array;
  readonly samples: number;
  readonly steps: number;
}

/** A pool bound to one data set: `lossGrad` is synchronous (the caller waits with Atomics.wait). */
export interface CounterThreads {
  readonly threads: number;
  /** Σ e² and its gradient at (wx, wRec), with dL/dy = c·e (c = 2: sse). */
  lossGrad(wx: number, wRec: number, c: number): { loss: number; gx: number; gRec: number };
  /** Stops the workers; the pool cannot be used after. */
  dispose(): Promise<void>;
}

interface Core {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  counterBlocks(x: number, t: number, n: number, T: number, block: number, b0: number, b1: number, wx: number, wRec: number, c: number, scratch: number, out: number): void;
}

const wasmUrl = new URL('../../build/elman.threads.wasm', import.meta.url);
let compiled: WebAssembly.Module | undefined;

/** Start `threads` − 1 workers over a fresh shared memory holding a copy of the data. */
export async function counterThreads(data: CounterThreadData, { threads = 2, block = 1024 }: { threads?: number; block?: number } = {}): Promise<CounterThreads> {
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new ConfigError('threads', threads, 'an integer from 1 to 64');
  if (!Number.isInteger(block) || block < 1) throw new ConfigError('block', block, 'a positive integer');
  const { samples: n, steps: T } = data;
  compiled ??= new WebAssembly.Module(readFileSync(wasmUrl));
  const probe = layout(0, n, T, block, threads);
  const pages = Math.ceil((probe.end + (1 << 20)) / 65536);
  if (pages > 65536) throw new ConfigError('samples × steps', n * T, 'small enough for 4 GiB of WebAssembly memory');
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const core = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as Core;
  const l: PoolLayout = layout(core.heapBase(), n, T, block, threads);
  new Float32Array(memory.buffer, l.x, n * T).set(data.x.subarray(0, n * T));
  new Float32Array(memory.buffer, l.t, n).set(data.targets.subarray(0, n));
  const ctrl = new Int32Array(memory.buffer, l.ctrl, 4);
  const params = new Float32Array(memory.buffer, l.ctrl + 16, 3);
  const out = new Float64Array(memory.buffer, l.out, 3 * l.blocks);
  const workers: Worker[] = [];
  const ready: Promise<unknown>[] = [];
  for (let p = 1; p < threads; p++) {
    const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: { module: compiled, memory, layout: l, index: p } });
    workers.push(w);
    ready.push(new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    }));
  }
  await Promise.all(ready);
  const [b0, b1] = blockRange(l, 0);
  let disposed = false;
  return {
    threads,
    lossGrad(wx, wRec, c) {
      if (disposed) throw new ConfigError('pool', 'disposed', 'a pool that has not been disposed');
      params[0] = wx;
      params[1] = wRec;
      params[2] = c;
      Atomics.store(ctrl, DONE, 0);
      Atomics.store(ctrl, CMD, RUN);
      Atomics.add(ctrl, GEN, 1);
      Atomics.notify(ctrl, GEN);
      core.counterBlocks(l.x, l.t, n, T, block, b0, b1, params[0]!, params[1]!, params[2]!, l.scratch, l.out);
      for (let d = Atomics.load(ctrl, DONE); d < threads - 1; d = Atomics.load(ctrl, DONE)) Atomics.wait(ctrl, DONE, d);
      // Fixed order: block 0, 1, 2, … whatever thread computed each.
      let loss = 0, gx = 0, gRec = 0;
      for (let j = 0; j < l.blocks; j++) {
        loss += out[3 * j]!;
        gx += out[3 * j + 1]!;
        gRec += out[3 * j + 2]!;
      }
      return { loss, gx, gRec };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      Atomics.store(ctrl, CMD, STOP);
      Atomics.add(ctrl, GEN, 1);
      Atomics.notify(ctrl, GEN);
      await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
    },
  };
}
