// The Elman network over a thread pool (./pool.ts): the data copied once into the pool's memory,
// each mini-batch one round of KERNEL_ELMAN_LOSS_GRAD over blocks of its samples fixed by the batch
// size alone (./blocks.ts), each block's f64 loss and f32 gradient in its own buffer, then summed in
// block order in f64 by the core (threadReduce) and rounded once to f32: the same bits for every
// thread count. Shuffles and forward passes run on the calling thread, over the same memory. The same
// placement holds a layer stack's data (RNN), whose workspaces run on the pool too (./stack.ts).
import {
  KERNEL_ELMAN_LOSS_GRAD, TE_JOB, TG_GRADS, TG_P, TK_BLOCK, TK_RESULT, TK_KERNEL, TK_OUT, TK_OUT_STRIDE, TK_SCRATCH, TK_SCRATCH_STRIDE,
  TK_THREADS, TK_WORDS,
} from '../../abi/threads.js';
import type { Sequences } from '../../data/sequences.js';
import type { StackDims } from '../../stack-spec.js';
import type { ElmanDims, LossKind } from '../../types.js';
import type { Core } from '../wasm/core.js';
import { WasmElman, WasmElmanWork } from '../wasm/elman.js';
import { gradResultStride, largestBlock, MAX_BATCH_BLOCKS, setBatch, UNIT, up16 } from './blocks.js';
import { startPool, writeTask, type ThreadPool } from './pool.js';
import { ThreadedStackWork } from './stack.js';

/** An Elman network's data in a pool's shared memory; its workspaces run each batch on every thread. */
export class ThreadedElman extends WasmElman {
  constructor(data: Sequences, d: ElmanDims, private readonly pool: ThreadPool) {
    super(data, d, { exports: pool.core, arena: pool.arena });
  }

  /** Threads each batch runs on. */
  get threads(): number {
    return this.pool.threads;
  }

  override workspace(maxBatch: number, P: number, argument: string): WasmElmanWork {
    this.check();
    const work = new ThreadedElmanWork(this, this.core, this.pool, maxBatch, P, argument);
    this.workspaces.add(work);
    return work;
  }

  /** Capability: a layer stack's workspace (RNN) over this data, its batches on every thread. */
  stackWork(d: StackDims, maxBatch: number, P: number, argument: string): ThreadedStackWork {
    this.check();
    return new ThreadedStackWork(this, this.pool, d, maxBatch, P, argument);
  }

  override dispose(): void {
    super.dispose();
    this.pool.dispose();
  }
}

/**
 * One binding's memory in the pool: the parameter block of a whole batch (the template every block
 * copies), a task block, per-block results and per-thread scratch. Forward passes (predict) run on
 * the calling thread in batches of one block's size, in the single-thread scratch it inherits.
 */
class ThreadedElmanWork extends WasmElmanWork {
  private readonly task: number;
  private readonly results: number;
  private readonly scratch: number;

  constructor(data: ThreadedElman, core: Core, private readonly pool: ThreadPool, maxBatch: number, P: number, argument: string) {
    const { T } = data;
    const { H, O } = data.d;
    const blockMax = largestBlock(maxBatch);
    const floats = core.exports.elmanWorkFloats(blockMax, T, H, O);
    super(data, core, blockMax, P, floats, argument);
    const scratchStride = 128 + up16(floats * 4); // a private copy of the parameter block, then the kernel's scratch
    const resultStride = gradResultStride(P);
    try {
      [this.task, this.results, this.scratch] = core.arena.allocAll([TK_WORDS * 4, MAX_BATCH_BLOCKS * resultStride, pool.threads * scratchStride], argument) as [number, number, number];
    } catch (error) {
      super.dispose();
      throw error;
    }
    // Every word but the batch's own (setBatch), written once for every batch of this binding.
    writeTask(core.arena.i32, this.task, [[TK_KERNEL, KERNEL_ELMAN_LOSS_GRAD], [TK_THREADS, pool.threads], [TK_BLOCK, -UNIT], [TK_SCRATCH, this.scratch],
      [TK_SCRATCH_STRIDE, scratchStride], [TK_OUT, this.results], [TK_OUT_STRIDE, resultStride], [TE_JOB, this.job], [TK_RESULT, this.out], [TG_P, P], [TG_GRADS, this.g]]);
  }

  override lossGrad(n0: number, B: number, kind: LossKind, s: number, window: number, params: Float32Array, grads: Float32Array): number {
    this.check();
    const { arena } = this.core;
    const { I, O } = this.data.d;
    const { x, t } = this.data.source();
    arena.f32.set(params, this.p >>> 2);
    this.fill(x + n0 * I * 4, t + n0 * O * 4, B, kind, s, window, this.out);
    setBatch(arena.i32, this.task, B);
    this.pool.run(this.task);
    this.pool.core.threadReduce(this.task);
    grads.set(arena.f32.subarray(this.g >>> 2, (this.g >>> 2) + grads.length));
    return arena.f64[this.out >>> 3]!;
  }

  override dispose(): void {
    if (!this.released) {
      this.released = true;
      for (const b of [this.task, this.results, this.scratch]) this.core.arena.release(b);
    }
    super.dispose();
  }

  private released = false;
}

/** Copy `data` into a fresh pool of `threads` threads. */
export async function threadedElman(data: Sequences, d: ElmanDims, threads: number): Promise<ThreadedElman> {
  const pool = await startPool(threads, data.x.byteLength + data.targets.byteLength + 64, 'data');
  try {
    return new ThreadedElman(data, d, pool);
  } catch (error) {
    pool.dispose();
    throw error;
  }
}
