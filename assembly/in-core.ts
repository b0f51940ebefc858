// Many epochs of full-batch training in one call, so the JS↔WASM boundary is crossed once per
// chunk instead of once per epoch. Each epoch does exactly what src/training/train.ts does:
//   L = scale·Σe²;  stop if L (as f32) or a gradient is not finite;  clip g to [−v, v] (clipValue);
//   lastGood ← p;  record L;
//   one optimizer step (assembly/optimizers.ts);  stop if p is not finite;  record p.
// The host reads back how far it got and why it stopped, and rebuilds the same history and errors.
// An `onEpoch` is called from inside the run (the import epochEnd), so hearing of every epoch costs
// one call out of the core per epoch instead of one whole call into it.

import {
  LJ_BYTES, LJ_C, LJ_CALL_AT, LJ_CALL_EVERY, LJ_CLIP, LJ_EPOCHS, LJ_GRADS, LJ_HYPER, LJ_KERNEL_OUT, LJ_LAST_GOOD, LJ_LOSSES, LJ_N, LJ_PARAMS, LJ_RULE,
  LJ_SCALE, LJ_SCRATCH, LJ_SIMD, LJ_SLOTS, LJ_STEP, LJ_STEPS, LJ_T, LJ_WEIGHTS, LJ_X,
} from '../src/abi/linear';
import { STATUS_BAD_GRADIENT, STATUS_BAD_LOSS, STATUS_BAD_WEIGHTS, STATUS_BITS, STATUS_OK } from '../src/abi/codes';
import { firstNonFinite, linearLossGrad, linearLossGradBytesScalar, linearLossGradGroups, linearLossGradScalar } from './linear';
import { optimizerStep } from './optimizers';

type float = f32;

/**
 * The host's handler, after epoch `epoch` of the run whose job block is at `job` (its weights and
 * optimizer slots written), with the epoch's loss: nonzero to stop after it. It may change the weights in the block.
 */
// @ts-ignore: decorator
@external("elman", "epochEnd")
declare function epochEnd(job: usize, epoch: i32, loss: f64): i32;

// @ts-ignore: decorator
@inline function word(job: usize, i: i32): usize {
  return job + (<usize>i << 2);
}

/**
 * Train the counter for up to job[LJ_EPOCHS] epochs from job[LJ_PARAMS] (layout: src/abi/linear.ts).
 * Writes the loss of each epoch and, when job[LJ_WEIGHTS] ≠ 0, the weights after it; calls
 * epochEnd after epoch job[LJ_CALL_AT] and every job[LJ_CALL_EVERY] epochs after it.
 * Returns e << STATUS_BITS | status: e epochs completed, STATUS_OK or the check that failed at epoch e.
 */
export function linearTrain(job: usize): i32 {
  const x = <usize>load<i32>(word(job, LJ_X)), t = <usize>load<i32>(word(job, LJ_T));
  const n = load<i32>(word(job, LJ_N)), T = load<i32>(word(job, LJ_STEPS));
  const scratch = <usize>load<i32>(word(job, LJ_SCRATCH));
  const bytes = load<i32>(word(job, LJ_BYTES)) != 0, simd = load<i32>(word(job, LJ_SIMD)) != 0;
  const rule = load<i32>(word(job, LJ_RULE)), step = load<i32>(word(job, LJ_STEP)), epochs = load<i32>(word(job, LJ_EPOCHS));
  const losses = <usize>load<i32>(word(job, LJ_LOSSES)), weights = <usize>load<i32>(word(job, LJ_WEIGHTS));
  const clip = load<float>(word(job, LJ_CLIP));
  const c = load<float>(word(job, LJ_C)), scale = load<f64>(word(job, LJ_SCALE));
  const p = word(job, LJ_PARAMS), lastGood = word(job, LJ_LAST_GOOD), g = word(job, LJ_GRADS), out = word(job, LJ_KERNEL_OUT);
  const hyper = word(job, LJ_HYPER), slots = word(job, LJ_SLOTS);
  let callAt = load<i32>(word(job, LJ_CALL_AT));
  const every = load<i32>(word(job, LJ_CALL_EVERY));
  for (let e = 0; e < epochs; e++) {
    const wx = load<float>(p), wRec = load<float>(p, 4);
    if (bytes) {
      // u8 inputs for the SIMD kernel are group-major (src/backends/wasm/linear.ts lays them out so).
      if (simd) linearLossGradGroups(x, t, n, T, wx, wRec, c, scratch, out);
      else linearLossGradBytesScalar(x, t, n, T, wx, wRec, c, scratch, out);
    } else if (simd) linearLossGrad(x, t, n, T, wx, wRec, c, scratch, out);
    else linearLossGradScalar(x, t, n, T, wx, wRec, c, scratch, out);
    const loss = load<f64>(out) * scale;
    if (!isFinite(<float>loss)) return e << STATUS_BITS | STATUS_BAD_LOSS; // judged in f32, as train.ts judges it
    let gx = <float>load<f64>(out, 8), gr = <float>load<f64>(out, 16);
    if (!isFinite(gx) || !isFinite(gr)) return e << STATUS_BITS | STATUS_BAD_GRADIENT;
    if (clip > 0) {
      // Element-wise, as train.ts's clipped(): min(max(g, −v), v).
      gx = min<float>(max<float>(gx, -clip), clip);
      gr = min<float>(max<float>(gr, -clip), clip);
    }
    store<float>(g, gx);
    store<float>(g, gr, 4);
    store<f64>(losses + (<usize>e << 3), loss);
    // lastGood ← p and the check of the new p, both inside the update's pass.
    if (!optimizerStep(rule, p, g, 2, hyper, slots, step + e + 1, lastGood)) return e << STATUS_BITS | STATUS_BAD_WEIGHTS;
    if (weights) store<u64>(weights + (<usize>e << 3), load<u64>(p));
    if (e == callAt) {
      if (epochEnd(job, e, loss) != 0) return (e + 1) << STATUS_BITS | STATUS_OK;
      callAt += every;
    }
  }
  return epochs << STATUS_BITS | STATUS_OK;
}

/**
 * One checked update after a batch's backward pass, the per-batch half of linearTrain's epoch, for
 * P params at byte offsets p (updated in place), g (clipped in place) and lastGood:
 *   stop if a gradient is not finite;  clip g to [−clip, clip] when clip > 0;  lastGood ← p;
 *   one optimizer step at step number t;  stop if p is not finite.
 * Returns STATUS_OK or the check that failed (src/training/train.ts's `step` makes the same checks in order).
 */
export function updateChecked(p: usize, g: usize, lastGood: usize, P: i32, rule: i32, hyper: usize, slots: usize, t: i32, clip: float): i32 {
  if (firstNonFinite(g, P) >= 0) return STATUS_BAD_GRADIENT;
  if (clip > 0) {
    // Element-wise, as train.ts's clipped(): min(max(g, −v), v). The gradients are finite here, so
    // pmax/pmin (one instruction each; wasm's max/min take several to propagate NaN) give the same values, ±0 included.
    const lo = f32x4.splat(-clip), hi = f32x4.splat(clip);
    const P4 = P & ~3;
    let i = 0;
    for (; i < P4; i += 4) {
      const o = g + (<usize>i << 2);
      v128.store(o, f32x4.pmin(f32x4.pmax(v128.load(o), lo), hi));
    }
    for (; i < P; i++) {
      const o = g + (<usize>i << 2);
      store<float>(o, min<float>(max<float>(load<float>(o), -clip), clip));
    }
  }
  // lastGood ← p and the check of the new p, both inside the update's pass.
  return optimizerStep(rule, p, g, P, hyper, slots, t, lastGood) ? STATUS_OK : STATUS_BAD_WEIGHTS;
}
