// How a mini-batch is cut into blocks for the gradient kernels (Elman, stacks): a function of the
// batch size alone, so every thread count cuts a batch the same way.
import { TK_BLOCKS, TK_ITEMS } from '../../abi/threads.js';

/**
 * At most this many blocks per batch: 1, 2, 4 and 8 threads share them evenly. Fewer, larger blocks
 * keep the matrix products efficient: blocks of 6–7 samples (16 per batch of 100) cost 1.7× the
 * CPU of one batch-wide call at hidden 128 (measured), blocks of 12–16 a few percent.
 */
export const MAX_BATCH_BLOCKS = 8;

/** Samples per unit: the matrix products' register blocks take 4 rows, so blocks hold whole fours (TK_BLOCK = −UNIT). */
export const UNIT = 4;

/** Blocks of a batch of B: whole units of 4 samples shared near-equally. */
export function batchBlocks(B: number): number {
  return Math.min(Math.ceil(B / UNIT), MAX_BATCH_BLOCKS);
}

/** The most samples a block of a batch of up to B holds. */
export function largestBlock(B: number): number {
  return UNIT * Math.ceil(Math.ceil(B / UNIT) / batchBlocks(B));
}

/** `v` rounded up to a multiple of 16 bytes. */
export const up16 = (v: number): number => Math.ceil(v / 16) * 16;

/** Bytes of one block's results for a gradient kernel of P parameters: the f64 loss, then f32 grads[P] at byte 16. */
export function gradResultStride(P: number): number {
  return 16 + up16(P * 4);
}

/** The words of a gradient task that depend on the batch: its blocks and samples (the rest is written once, with writeTask). */
export function setBatch(i32: Int32Array, task: number, B: number): void {
  i32[(task >>> 2) + TK_BLOCKS] = batchBlocks(B);
  i32[(task >>> 2) + TK_ITEMS] = B;
}
