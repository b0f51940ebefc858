// A recurrent model's data placed in a thread pool's shared memory (model.placeThreaded): the data
// copied once into the pool's memory, shuffles and forward passes on the calling thread over the same
// memory, and the capability `stackWork`: a layer stack's workspace whose batches run on every
// thread (./stack.ts), the same bits for every thread count.
import type { Sequences } from '../../data/sequences.js';
import type { StackDims } from '../../stack-spec.js';
import type { PlacedWidths } from '../backend.js';
import { WasmPlaced } from '../wasm/placed.js';
import { startPool, type ThreadPool } from './pool.js';
import { ThreadedStackWork } from './stack.js';

/** A data set in a pool's shared memory; its stack workspaces run each batch on every thread. */
export class ThreadedPlaced extends WasmPlaced {
  constructor(data: Sequences, d: PlacedWidths, private readonly pool: ThreadPool) {
    super(data, d, pool.asCore);
  }

  /** Threads each batch runs on. */
  get threads(): number {
    return this.pool.threads;
  }

  /** Capability: a layer stack's workspace over this data, its batches on every thread. */
  stackWork(d: StackDims, maxBatch: number, P: number, argument: string): ThreadedStackWork {
    this.check();
    return new ThreadedStackWork(this, this.pool, d, maxBatch, P, argument);
  }

  override dispose(): void {
    super.dispose();
    this.pool.dispose();
  }
}

/** Copy `data` into a fresh pool of `threads` threads. */
export async function threadedPlaced(data: Sequences, d: PlacedWidths, threads: number): Promise<ThreadedPlaced> {
  const pool = await startPool(threads, data.x.byteLength + data.targets.byteLength + 64, 'data');
  try {
    return new ThreadedPlaced(data, d, pool);
  } catch (error) {
    pool.dispose();
    throw error;
  }
}
