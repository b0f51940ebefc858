// Many epochs of full-batch training in one call, so the JS↔WASM boundary is crossed once per
// chunk instead of once per epoch. Each epoch does exactly what src/training/train.ts does:
//   L = scale·Σe²;  stop if L (as f32) or a gradient is not finite;  lastGood ← p;  record L;
//   one optimizer step (assembly/optimizers.ts);  stop if p is not finite;  record p.
// The host reads back how far it got and why it stopped, and rebuilds the same history and errors.

import { linearLossGrad, linearLossGradBytes, linearLossGradBytesScalar, linearLossGradScalar } from './linear';
import { optimizerStep } from './optimizers';

type float = f32;

export const OK: i32 = 0;
export const BAD_LOSS: i32 = 1;
export const BAD_GRADIENT: i32 = 2;
export const BAD_WEIGHTS: i32 = 3;

/**
 * Train the counter for up to `epochs` epochs from p f32[2] (inputs u8 when `bytes`); the job block at `job` holds
 * p f32[2], lastGood f32[2], grads f32[2], then f64[3] kernel output (byte 32).
 * Writes losses f64[epochs] and, when `weights` ≠ 0, the weights after each epoch f32[epochs][2].
 * Returns 4·e + status: e epochs completed, status OK or the check that failed at epoch e.
 */
export function linearTrain(
  x: usize, t: usize, n: i32, T: i32, c: float, scale: f64, simd: bool, bytes: bool, scratch: usize,
  rule: i32, hyper: usize, slots: usize, step: i32,
  job: usize, epochs: i32, losses: usize, weights: usize,
): i32 {
  const p = job, lastGood = job + 8, g = job + 16, out = job + 32;
  for (let e = 0; e < epochs; e++) {
    const wx = load<float>(p), wRec = load<float>(p, 4);
    if (bytes) {
      if (simd) linearLossGradBytes(x, t, n, T, wx, wRec, c, scratch, out);
      else linearLossGradBytesScalar(x, t, n, T, wx, wRec, c, scratch, out);
    } else if (simd) linearLossGrad(x, t, n, T, wx, wRec, c, scratch, out);
    else linearLossGradScalar(x, t, n, T, wx, wRec, c, scratch, out);
    const loss = load<f64>(out) * scale;
    if (!isFinite(<float>loss)) return e << 2 | BAD_LOSS; // judged in f32, as train.ts judges it
    const gx = <float>load<f64>(out, 8), gr = <float>load<f64>(out, 16);
    if (!isFinite(gx) || !isFinite(gr)) return e << 2 | BAD_GRADIENT;
    store<float>(g, gx);
    store<float>(g, gr, 4);
    store<u64>(lastGood, load<u64>(p));
    store<f64>(losses + (<usize>e << 3), loss);
    optimizerStep(rule, p, g, 2, hyper, slots, step + e + 1);
    if (!isFinite(load<float>(p)) || !isFinite(load<float>(p, 4))) return e << 2 | BAD_WEIGHTS;
    if (weights) store<u64>(weights + (<usize>e << 3), load<u64>(p));
  }
  return epochs << 2 | OK;
}
