// The counter's loss and gradient over fixed blocks of samples, for data-parallel training
// (src/backends/threads/): built into build/elman.threads.wasm with the core (asconfig.threads.json:
// shared, imported memory), one instance per thread over one memory. Each block runs the core's own
// SIMD kernel (lossGrad in ./linear) on its samples and writes its own f64 sums, so a block's sums
// depend only on the block, never on the thread that ran it: summed in block order by the host, the
// result is the same bits for any thread count.

import { lossGrad } from './linear';

/**
 * Blocks b0..b1−1 of `block` samples each (the last may be short) of x [T][n] (u8 0/1 inputs when
 * `bytes`, else f32) and t f32[n]: block j's f64[3] = [Σ e², ∂/∂wx, ∂/∂wRec] at out + 24·j.
 * scratch: this thread's own f32[T+1][16].
 */
export function linearLossGradBlocks(x: usize, t: usize, n: i32, T: i32, wx: f32, wRec: f32, c: f32, bytes: bool, block: i32, b0: i32, b1: i32, scratch: usize, out: usize): void {
  for (let j = b0; j < b1; j++) {
    const i0 = j * block;
    const len = min(n, i0 + block) - i0;
    const o = out + <usize>j * 24;
    if (bytes) lossGrad<u8>(x + <usize>i0, t + (<usize>i0 << 2), len, n, T, wx, wRec, c, scratch, o);
    else lossGrad<f32>(x + (<usize>i0 << 2), t + (<usize>i0 << 2), len, n, T, wx, wRec, c, scratch, o);
  }
}
