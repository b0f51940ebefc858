// The threads core's dispatcher (src/backends/threads/): built into build/elman.threads.wasm with the
// core (asconfig.threads.json: shared, imported memory), one instance per thread over one memory.
// A round is one task block (src/abi/threads.ts) that every thread reads: threadRun(task, p) runs
// thread p's fixed run of blocks, each block through the core's own kernel into the block's own
// results; threadReduce(task), on one thread after the round, sums the blocks' results in block
// order. A block's results depend only on the block, never on the thread that ran it, so the sum
// is the same bits for any thread count. Workers know nothing about the models: only kernel codes.

import { lossGrad } from './linear';
import { elmanLossGrad } from './elman';
import { linearSurface } from './surface';
import { EJ_B, EJ_GRADS, EJ_I, EJ_O, EJ_OUT, EJ_T, EJ_WORDS, EJ_WORK, EJ_X } from '../src/abi/elman';
import {
  KERNEL_ELMAN_LOSS_GRAD, KERNEL_LINEAR_LOSS_GRAD, KERNEL_LINEAR_SURFACE, TE_JOB, TE_P, TK_BLOCK, TK_BLOCKS, TK_ITEMS,
  TK_KERNEL, TK_OUT, TK_OUT_STRIDE, TK_RESULT, TK_SCRATCH, TK_SCRATCH_STRIDE, TK_THREADS, TL_BYTES, TL_C, TL_STEPS, TL_T,
  TL_WREC, TL_WX, TL_X, TS_N, TS_NX, TS_SCALE, TS_STEPS, TS_T, TS_WREC, TS_WX, TS_X,
} from '../src/abi/threads';

// @ts-ignore: decorator
@inline function word(task: usize, i: i32): i32 {
  return load<i32>(task + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function ptr(task: usize, i: i32): usize {
  return <usize>load<u32>(task + (<usize>i << 2));
}

/** Run thread `index`'s blocks of the round described by `task`. */
export function threadRun(task: usize, index: i32): void {
  const threads = word(task, TK_THREADS), blocks = word(task, TK_BLOCKS);
  const b0 = <i32>((<i64>index * blocks) / threads), b1 = <i32>((<i64>(index + 1) * blocks) / threads);
  const block = word(task, TK_BLOCK), items = word(task, TK_ITEMS);
  const scratch = ptr(task, TK_SCRATCH) + <usize>index * ptr(task, TK_SCRATCH_STRIDE);
  const kernel = word(task, TK_KERNEL);
  const unit = -block, units = block < 0 ? (items + unit - 1) / unit : 0;
  for (let j = b0; j < b1; j++) {
    const i0 = block > 0 ? j * block : min(items, unit * <i32>((<i64>j * units) / blocks));
    const len = (block > 0 ? min(items, i0 + block) : min(items, unit * <i32>((<i64>(j + 1) * units) / blocks))) - i0;
    const out = ptr(task, TK_OUT) + <usize>j * ptr(task, TK_OUT_STRIDE);
    if (kernel == KERNEL_LINEAR_LOSS_GRAD) linearBlock(task, i0, len, items, scratch, out);
    else if (kernel == KERNEL_ELMAN_LOSS_GRAD) elmanBlock(task, i0, len, scratch, out);
    else if (kernel == KERNEL_LINEAR_SURFACE) surfaceBlock(task, i0, len);
    else unreachable();
  }
}

/** Counter samples i0..i0+len−1 of n: block results f64[3] = [Σ e², ∂/∂wx, ∂/∂wRec]; scratch f32[T+1][16]. */
function linearBlock(task: usize, i0: i32, len: i32, n: i32, scratch: usize, out: usize): void {
  const x = ptr(task, TL_X), t = ptr(task, TL_T) + (<usize>i0 << 2), T = word(task, TL_STEPS);
  const wx = load<f32>(task + (<usize>TL_WX << 2)), wRec = load<f32>(task + (<usize>TL_WREC << 2)), c = load<f32>(task + (<usize>TL_C << 2));
  if (word(task, TL_BYTES)) lossGrad<u8>(x + <usize>i0, t, len, n, T, wx, wRec, c, scratch, out);
  else lossGrad<f32>(x + (<usize>i0 << 2), t, len, n, T, wx, wRec, c, scratch, out);
}

/**
 * Elman samples i0..i0+len−1 of the batch: a private copy of the batch's parameter block (at the
 * start of this thread's scratch, the kernel's scratch after it) points at the block's samples, its
 * f64 loss (block results byte 0) and f32 grads (byte 16).
 */
function elmanBlock(task: usize, i0: i32, len: i32, scratch: usize, out: usize): void {
  const job = ptr(task, TE_JOB);
  memory.copy(scratch, job, <usize>EJ_WORDS << 2);
  const I = load<i32>(job + (<usize>EJ_I << 2)), O = load<i32>(job + (<usize>EJ_O << 2));
  store<u32>(scratch + (<usize>EJ_X << 2), load<u32>(job + (<usize>EJ_X << 2)) + <u32>(i0 * I) * 4);
  // Targets: one row of O per sample, at each step (seq, the step stride unchanged) or once.
  store<u32>(scratch + (<usize>EJ_T << 2), load<u32>(job + (<usize>EJ_T << 2)) + <u32>(i0 * O) * 4);
  store<i32>(scratch + (<usize>EJ_B << 2), len);
  store<u32>(scratch + (<usize>EJ_OUT << 2), <u32>out);
  store<u32>(scratch + (<usize>EJ_GRADS << 2), <u32>(out + 16));
  store<u32>(scratch + (<usize>EJ_WORK << 2), <u32>(scratch + 128));
  elmanLossGrad(scratch);
}

/** Loss-surface rows r0..r0+len−1, each point computed on its own: written straight into the grid. */
function surfaceBlock(task: usize, r0: i32, len: i32): void {
  const nx = word(task, TS_NX);
  const out = ptr(task, TK_RESULT) + (<usize>(r0 * nx) << 2);
  linearSurface(ptr(task, TS_X), ptr(task, TS_T), word(task, TS_N), word(task, TS_STEPS), ptr(task, TS_WX), nx, ptr(task, TS_WREC) + (<usize>r0 << 2), len, load<f64>(task + (<usize>TS_SCALE << 2)), out);
}

/**
 * After a round, on one thread: the blocks' results summed in block order, in f64. Counter: f64[3]
 * at task[TK_RESULT]. Elman: the f64 loss at the batch block's EJ_OUT, the grads rounded once to f32
 * at its EJ_GRADS. Surface: nothing to sum.
 */
export function threadReduce(task: usize): void {
  const kernel = word(task, TK_KERNEL), blocks = word(task, TK_BLOCKS);
  const out = ptr(task, TK_OUT), stride = ptr(task, TK_OUT_STRIDE);
  if (kernel == KERNEL_LINEAR_LOSS_GRAD) {
    const result = ptr(task, TK_RESULT);
    for (let w = 0; w < 3; w++) {
      let s: f64 = 0;
      for (let j = 0; j < blocks; j++) s += load<f64>(out + <usize>j * stride + (<usize>w << 3));
      store<f64>(result + (<usize>w << 3), s);
    }
  } else if (kernel == KERNEL_ELMAN_LOSS_GRAD) {
    const job = ptr(task, TE_JOB), P = word(task, TE_P);
    let L: f64 = 0;
    for (let j = 0; j < blocks; j++) L += load<f64>(out + <usize>j * stride);
    store<f64>(ptr(job, EJ_OUT), L);
    const g = ptr(job, EJ_GRADS);
    for (let i = 0; i < P; i++) {
      const at = out + 16 + (<usize>i << 2);
      let s: f64 = 0;
      for (let j = 0; j < blocks; j++) s += <f64>load<f32>(at + <usize>j * stride);
      store<f32>(g + (<usize>i << 2), <f32>s);
    }
  }
}
