// The threads core's dispatcher (src/backends/threads/): built into build/elman.threads.wasm with the
// core (asconfig.threads.json: shared, imported memory), one instance per thread over one memory.
// A round is one task block (src/abi/threads.ts) that every thread reads: threadRun(task, p) runs
// thread p's fixed run of blocks, each block through the core's own kernel into the block's own
// results; threadReduce(task), on one thread after the round, sums the blocks' results in block
// order. A block's results depend only on the block, never on the thread that ran it, so the sum
// is the same bits for any thread count. Workers know nothing about the models: only kernel codes.

import { lossGrad } from './linear';
import { linearSurface } from './surface';
import { headLossGrad, targetWidth } from './head';
import { cellBackward, cellForward } from './cells';
import { HD_B, HD_G, HD_HS, HD_LOSS, HD_O, HD_OUT, HD_TGT, L_B, L_CS, L_G, L_H, L_HS, L_I, L_X, L_XS } from '../src/abi/gated';
import {
  KERNEL_LINEAR_LOSS_GRAD, KERNEL_LINEAR_SURFACE, KERNEL_STACK_LOSS_GRAD,
  SD_HEAD_OFFSET, SD_LAYER, SD_LAYER_WORDS, SD_LAYERS, TG_GRADS, TG_P, TG_T, TG_X, TK_BLOCK, TK_BLOCKS, TK_ITEMS,
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
    else if (kernel == KERNEL_LINEAR_SURFACE) surfaceBlock(task, i0, len);
    else if (kernel == KERNEL_STACK_LOSS_GRAD) stackBlock(task, i0, len, scratch, out);
    else unreachable();
  }
}

/** Counter samples i0..i0+len−1 of n: block results f64[3] = [Σ e², ∂/∂wx, ∂/∂wRec]; scratch f32[T+1][16 + 4]. */
function linearBlock(task: usize, i0: i32, len: i32, n: i32, scratch: usize, out: usize): void {
  const x = ptr(task, TL_X), t = ptr(task, TL_T) + (<usize>i0 << 2), T = word(task, TL_STEPS);
  const wx = load<f32>(task + (<usize>TL_WX << 2)), wRec = load<f32>(task + (<usize>TL_WREC << 2)), c = load<f32>(task + (<usize>TL_C << 2));
  if (word(task, TL_BYTES)) lossGrad<u8>(x + <usize>i0, t, len, n, T, wx, wRec, c, scratch, out);
  else lossGrad<f32>(x + (<usize>i0 << 2), t, len, n, T, wx, wRec, c, scratch, out);
}

/** Loss-surface rows r0..r0+len−1, each point computed on its own: written straight into the grid. */
function surfaceBlock(task: usize, r0: i32, len: i32): void {
  const nx = word(task, TS_NX);
  const out = ptr(task, TK_RESULT) + (<usize>(r0 * nx) << 2);
  linearSurface(ptr(task, TS_X), ptr(task, TS_T), word(task, TS_N), word(task, TS_STEPS), ptr(task, TS_WX), nx, ptr(task, TS_WREC) + (<usize>r0 << 2), len, load<f64>(task + (<usize>TS_SCALE << 2)), out);
}

/**
 * Stack samples i0..i0+len−1 of the batch: this thread's descriptor (at the start of its scratch:
 * [layers, head offset in floats, then per layer cell code, kernel offset in floats, layer block,
 * then the head block]) points at its own states and scratch, laid out by the host for the largest
 * block; the words that depend on the block (its samples, size, gradient buffer) are set here. The
 * block's f64 loss goes to its results' byte 0, its f32 gradient to byte 16.
 */
function stackBlock(task: usize, i0: i32, len: i32, desc: usize, out: usize): void {
  const layers = word(desc, SD_LAYERS), headOff = word(desc, SD_HEAD_OFFSET);
  const g = out + 16;
  memory.fill(g, 0, <usize>headOff << 2); // the layers' backward kernels add into their gradients
  let below: usize = 0;
  for (let i = 0; i < layers; i++) {
    const at = desc + (<usize>(SD_LAYER + SD_LAYER_WORDS * i) << 2);
    const cell = load<i32>(at), blk = <usize>load<u32>(at, 8);
    const I = word(blk, L_I), H = word(blk, L_H);
    store<i32>(blk + (<usize>L_B << 2), len);
    if (i == 0) store<u32>(blk + (<usize>L_X << 2), load<u32>(task + (<usize>TG_X << 2)) + <u32>(i0 * I) * 4);
    else {
      store<u32>(blk + (<usize>L_X << 2), load<u32>(below + (<usize>L_HS << 2)) + <u32>(len * I) * 4);
      store<i32>(blk + (<usize>L_XS << 2), len * I);
    }
    store<u32>(blk + (<usize>L_G << 2), <u32>(g + (<usize>load<i32>(at, 4) << 2)));
    memory.fill(ptr(blk, L_HS), 0, <usize>(len * H) << 2); // zero initial states
    if (ptr(blk, L_CS)) memory.fill(ptr(blk, L_CS), 0, <usize>(len * H) << 2); // cells that carry a cell state
    cellForward(cell, blk);
    below = blk;
  }
  const head = ptr(desc, SD_LAYER + SD_LAYER_WORDS * layers);
  const H = word(below, L_H), O = word(head, HD_O);
  store<i32>(head + (<usize>HD_B << 2), len);
  store<u32>(head + (<usize>HD_HS << 2), load<u32>(below + (<usize>L_HS << 2)) + <u32>(len * H) * 4);
  // Targets are O values a row, or one class id a row for a sparse loss.
  store<u32>(head + (<usize>HD_TGT << 2), load<u32>(task + (<usize>TG_T << 2)) + <u32>(i0 * targetWidth(word(head, HD_LOSS), O)) * 4);
  store<u32>(head + (<usize>HD_G << 2), <u32>(g + (<usize>headOff << 2)));
  store<u32>(head + (<usize>HD_OUT << 2), <u32>out);
  headLossGrad(head);
  for (let i = layers - 1; i >= 0; i--) {
    const at = desc + (<usize>(SD_LAYER + SD_LAYER_WORDS * i) << 2);
    const cell = load<i32>(at), blk = <usize>load<u32>(at, 8);
    cellBackward(cell, blk);
  }
}

/**
 * After a round, on one thread: the blocks' results summed in block order, in f64. Counter: f64[3]
 * at task[TK_RESULT]. Stacks: the f64 loss at task[TK_RESULT], the
 * gradient rounded once to f32 at task[TG_GRADS]. Surface: nothing to sum.
 */
export function threadReduce(task: usize): void {
  const kernel = word(task, TK_KERNEL), blocks = word(task, TK_BLOCKS);
  const out = ptr(task, TK_OUT), stride = ptr(task, TK_OUT_STRIDE), result = ptr(task, TK_RESULT);
  if (kernel == KERNEL_LINEAR_LOSS_GRAD) {
    for (let w = 0; w < 3; w++) {
      let s: f64 = 0;
      for (let j = 0; j < blocks; j++) s += load<f64>(out + <usize>j * stride + (<usize>w << 3));
      store<f64>(result + (<usize>w << 3), s);
    }
  } else if (kernel == KERNEL_STACK_LOSS_GRAD) {
    const P = word(task, TG_P), g = ptr(task, TG_GRADS);
    let L: f64 = 0;
    for (let j = 0; j < blocks; j++) L += load<f64>(out + <usize>j * stride);
    store<f64>(result, L);
    // Four gradients at a time in two f64x2 sums (serial work after every round: 8 blocks × P loads
    // one at a time were 2% of an Elman-128 batch); each sum runs over the blocks in order, as below.
    const P4 = P & ~3;
    let i = 0;
    for (; i < P4; i += 4) {
      const at = out + 16 + (<usize>i << 2);
      let lo = f64x2.splat(0), hi = lo;
      for (let j = 0; j < blocks; j++) {
        const v = v128.load(at + <usize>j * stride);
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
      }
      v128.store(g + (<usize>i << 2), v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
    for (; i < P; i++) {
      const at = out + 16 + (<usize>i << 2);
      let s: f64 = 0;
      for (let j = 0; j < blocks; j++) s += <f64>load<f32>(at + <usize>j * stride);
      store<f32>(g + (<usize>i << 2), <f32>s);
    }
  } else if (kernel != KERNEL_LINEAR_SURFACE) unreachable();
}
