// A layer stack (RNN: simple, GRU, LSTM layers and the dense head) over a thread pool: each
// mini-batch one round of KERNEL_STACK_LOSS_GRAD over blocks of its samples (./blocks.ts). Every
// thread has its own stack of states and scratch (WasmStack, for the largest block) and a descriptor
// of it at the start of its scratch; the core points each layer at the block's samples, runs the
// layers forward, the head's loss, the layers backward into the block's own gradient buffer, and
// threadReduce sums the blocks in block order: the same bits for every thread count.
import { CELL_SPECS } from '../../cells/index.js';
import {
  KERNEL_STACK_LOSS_GRAD, SD_HEAD_OFFSET, SD_LAYER, SD_LAYER_WORDS, SD_LAYERS, TG_GRADS, TG_P, TG_T,
  TG_X, TK_BLOCK, TK_KERNEL, TK_OUT, TK_OUT_STRIDE, TK_RESULT, TK_SCRATCH, TK_SCRATCH_STRIDE, TK_THREADS, TK_WORDS,
} from '../../abi/threads.js';
import { stackOffsets, type StackDims, type StateFlow } from '../../stack-spec.js';
import { ConfigError } from '../../errors.js';
import type { LossSpec } from '../../losses.js';
import type { WasmPlaced } from '../wasm/placed.js';
import { WasmStack } from '../wasm/stack.js';
import { WasmStackWork } from '../wasm/stack-bound.js';
import { batchBlocks, gradResultStride, largestBlock, MAX_BATCH_BLOCKS, setBatch, UNIT, up16 } from './blocks.js';
import { writeTask, type ThreadPool } from './pool.js';

/**
 * One binding of a stack over threaded data. Thread 0 uses the stack it inherits (also the one
 * `forward` runs on the calling thread, in batches of one block's size); threads 1… get their own.
 */
export class ThreadedStackWork extends WasmStackWork {
  private readonly stacks: WasmStack[];
  private readonly task: number;
  private readonly results: number;
  private readonly descs: number;
  private readonly out: number;
  private readonly descStride: number;
  private readonly offsets: ReturnType<typeof stackOffsets>;
  private released = false;

  constructor(data: WasmPlaced, private readonly pool: ThreadPool, d: StackDims, maxBatch: number, P: number, argument: string) {
    const core = pool.asCore;
    super(data, d, largestBlock(maxBatch), P, argument, core);
    this.descStride = up16(4 * (SD_LAYER + SD_LAYER_WORDS * d.layers.length + 1));
    const resultStride = gradResultStride(P);
    this.offsets = stackOffsets(d);
    this.stacks = [this.stack];
    try {
      // A batch has at most MAX_BATCH_BLOCKS blocks, so at most that many threads work at once: one stack each.
      for (let q = 1; q < Math.min(pool.threads, MAX_BATCH_BLOCKS); q++) this.stacks.push(new WasmStack(d, this.maxBatch, data.T, argument, core));
      [this.task, this.results, this.descs, this.out] = pool.arena.allocAll([TK_WORDS * 4, MAX_BATCH_BLOCKS * resultStride, pool.threads * this.descStride, 8], argument) as [number, number, number, number];
    } catch (error) {
      for (const s of this.stacks.slice(1)) s.dispose();
      super.dispose();
      throw error;
    }
    // Every word but the batch's own (setBatch, TG_X, TG_T), written once for every batch of this binding.
    writeTask(pool.arena.i32, this.task, [[TK_KERNEL, KERNEL_STACK_LOSS_GRAD], [TK_THREADS, pool.threads], [TK_BLOCK, -UNIT], [TK_SCRATCH, this.descs],
      [TK_SCRATCH_STRIDE, this.descStride], [TK_OUT, this.results], [TK_OUT_STRIDE, resultStride], [TK_RESULT, this.out], [TG_P, P], [TG_GRADS, this.g]]);
  }

  protected override pass(n0: number, B: number, kind: LossSpec, s: number, window: number, flow?: StateFlow): number {
    // Each thread's block starts from zeros in the core: a flow of states is not carried there (the model refuses it first).
    if (flow) throw new ConfigError('data', 'threaded placement', 'data placed with model.place(): states flow on one thread only');
    const { arena } = this.core;
    const { I } = this.d, O = this.data.d.O; // the placed targets' width: O, or 1 (class ids)
    const { n, T } = this.data;
    const { x, t } = this.data.source();
    const xb = x + n0 * I * 4, tb = t + n0 * O * 4;
    const { offsets } = this;
    const i32 = arena.i32;
    // Each stack prepared for its largest block; the core sets what depends on the block.
    const prepared = this.stacks.map((stack) => stack.prepare(xb, n * I, tb, n * O, this.maxBatch, T, kind, s, window, this.p, 0));
    // Thread q runs blocks [⌊q·k/T⌋, ⌊(q+1)·k/T⌋) (assembly/threads.ts): with k ≤ T blocks each working thread
    // has one, block ⌊q·k/T⌋, so that index names its stack; with k > T, thread q (< 8) has stack q.
    const k = batchBlocks(B), threads = this.pool.threads;
    for (let q = 0; q < threads; q++) {
      const { layers, head } = prepared[k <= threads ? Math.floor((q * k) / threads) : q]!;
      const w = (this.descs + q * this.descStride) >>> 2;
      i32[w + SD_LAYERS] = layers.length;
      i32[w + SD_HEAD_OFFSET] = offsets.head;
      layers.forEach((blk, i) => {
        const at = w + SD_LAYER + SD_LAYER_WORDS * i;
        i32[at] = CELL_SPECS[this.d.layers[i]!.cell].code;
        i32[at + 1] = offsets.layers[i]!.kernel;
        i32[at + 2] = blk;
      });
      i32[w + SD_LAYER + SD_LAYER_WORDS * layers.length] = head;
    }
    setBatch(i32, this.task, B);
    i32[(this.task >>> 2) + TG_X] = xb;
    i32[(this.task >>> 2) + TG_T] = tb;
    this.pool.run(this.task);
    this.pool.core.threadReduce(this.task);
    return arena.f64[this.out >>> 3]!;
  }

  override dispose(): void {
    if (!this.released) {
      this.released = true;
      for (const s of this.stacks.slice(1)) s.dispose();
      for (const b of [this.task, this.results, this.descs, this.out]) this.core.arena.release(b);
    }
    super.dispose();
  }
}
