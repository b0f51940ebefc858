// The output head shared by every network: Dense + output activation + fused loss, over the states
// of the top recurrent layer (headForward/headLossGrad take a block laid out in src/abi/gated.ts).
//   z[k] = h[k]·Wo + bo,  y = outAct(z);  loss per row (lossRow), dz in place
//   gWo = Σk h[k]ᵀ·dz[k],  gbo = Σ dz,  dh[k] = dz[k]·Woᵀ  (0 at steps without an output)
// Shapes: h f32[T][B][H] (the layer's h[1..T]), y/dz f32[Tout][B][O] (Tout = T when seq, else 1),
// dh f32[T][B][H], params [Wo H×O | bo O]. Only the loss is summed in f64.
// Weighted rows (Keras's sample_weight and mask): row r of step k counts with w = s·m[k][r]·sw[r];
// with a mask a mean loss divides by the unmasked rows, not by all (s·norm/valid, Keras 3's rule).

import { LOSS_BCE, LOSS_CCE, LOSS_HUBER, LOSS_SPARSE_CCE, LOSS_SQUARED, OUT_LINEAR, OUT_SIGMOID, OUT_SOFTMAX } from '../src/abi/codes';
import {
  HD_B, HD_DH, HD_G, HD_H, HD_HS, HD_LOSS, HD_MASK, HD_MS, HD_NORM, HD_O, HD_OUT, HD_OUT_ACT, HD_P, HD_SCALE, HD_SEQ, HD_SW, HD_T, HD_TGT,
  HD_TS, HD_WORK, HD_Y,
} from '../src/abi/gated';
import { expShifted } from './activations';
import { word } from './gates';
import { colSum, fillRows, mm, mmT, transpose } from './matmul';

type float = f32;

/** Turn one row of logits z[O] into outputs in place: linear, sigmoid or softmax (max-shifted); an unknown code traps. */
// @ts-ignore: decorator
@inline export function outputRow(z: usize, O: i32, outAct: i32): void {
  switch (outAct) {
    case OUT_LINEAR: return;
    case OUT_SIGMOID: {
      for (let o = 0; o < O; o++) store<float>(z + (<usize>o << 2), <float>1 / (<float>1 + Mathf.exp(-load<float>(z + (<usize>o << 2)))));
      return;
    }
    case OUT_SOFTMAX: {
      const sum = expShifted(z, O, rowMax(z, O), z);
      for (let o = 0; o < O; o++) store<float>(z + (<usize>o << 2), load<float>(z + (<usize>o << 2)) / sum);
      return;
    }
    default: unreachable();
  }
}

/**
 * Loss of one row and, in place, z[O] → dL/dz, by the loss's code (src/losses.ts declares each);
 * an unknown code traps. Returns the row's loss (f64), scaled by s.
 */
export function lossRow(z: usize, t: usize, O: i32, outAct: i32, loss: i32, s: float): f64 {
  switch (loss) {
    case LOSS_SQUARED: return squaredRow(z, t, O, outAct, s);
    case LOSS_BCE: return bceRow(z, t, O, s);
    case LOSS_CCE: return cceRow(z, t, O, s);
    case LOSS_HUBER: return huberRow(z, t, O, outAct, s);
    case LOSS_SPARSE_CCE: return sparseCceRow(z, t, O, s);
    default: unreachable();
  }
  return 0;
}

/** Floats of target per row: one class id for sparse cross-entropy, else O values (the threads core offsets a block's targets by it). */
// @ts-ignore: decorator
@inline export function targetWidth(loss: i32, O: i32): i32 {
  return loss == LOSS_SPARSE_CCE ? 1 : O;
}

/** Squared error: s·Σ(y − t)², y = outAct(z), chained back through outAct. */
function squaredRow(z: usize, t: usize, O: i32, outAct: i32, s: float): f64 {
  let L: f64 = 0;
  outputRow(z, O, outAct);
  let dot: float = 0; // Σ dy·y, for the softmax Jacobian
  for (let o = 0; o < O; o++) {
    const q = z + (<usize>o << 2);
    const e = load<float>(q) - load<float>(t + (<usize>o << 2));
    L += <f64>(e * e);
    dot += <float>2 * s * e * load<float>(q);
  }
  for (let o = 0; o < O; o++) {
    const q = z + (<usize>o << 2);
    const y = load<float>(q);
    const dy = <float>2 * s * (y - load<float>(t + (<usize>o << 2)));
    store<float>(q, outAct == OUT_SIGMOID ? dy * y * (<float>1 - y) : outAct == OUT_SOFTMAX ? y * (dy - dot) : dy);
  }
  return L * <f64>s;
}

/** Huber (δ = 1): s·Σ ½e² (|e| ≤ 1) or |e| − ½, e = y − t, y = outAct(z), chained back through outAct. */
function huberRow(z: usize, t: usize, O: i32, outAct: i32, s: float): f64 {
  let L: f64 = 0;
  outputRow(z, O, outAct);
  let dot: float = 0; // Σ dy·y, for the softmax Jacobian
  for (let o = 0; o < O; o++) {
    const q = z + (<usize>o << 2);
    const e = load<float>(q) - load<float>(t + (<usize>o << 2)), a = Mathf.abs(e);
    L += a <= 1 ? <f64>(<float>0.5 * e * e) : <f64>(a - <float>0.5);
    dot += s * (a <= 1 ? e : Mathf.sign(e)) * load<float>(q);
  }
  for (let o = 0; o < O; o++) {
    const q = z + (<usize>o << 2);
    const y = load<float>(q), e = y - load<float>(t + (<usize>o << 2));
    const dy = s * (Mathf.abs(e) <= 1 ? e : Mathf.sign(e));
    store<float>(q, outAct == OUT_SIGMOID ? dy * y * (<float>1 - y) : outAct == OUT_SOFTMAX ? y * (dy - dot) : dy);
  }
  return L * <f64>s;
}

/** Binary cross-entropy fused with a sigmoid output: s·Σ max(z,0) − z·t + log(1 + e^−|z|), dz = s·(y − t). */
function bceRow(z: usize, t: usize, O: i32, s: float): f64 {
  let L: f64 = 0;
  for (let o = 0; o < O; o++) {
    const q = z + (<usize>o << 2);
    const v = load<float>(q), tv = load<float>(t + (<usize>o << 2));
    L += <f64>(max<float>(v, 0) - v * tv + Mathf.log1p(Mathf.exp(-Mathf.abs(v))));
    store<float>(q, s * (<float>1 / (<float>1 + Mathf.exp(-v)) - tv));
  }
  return L * <f64>s;
}

/** Softmax cross-entropy fused with a softmax output: s·Σ t·(lse − z), dz = s·(y·Σt − t). */
function cceRow(z: usize, t: usize, O: i32, s: float): f64 {
  let L: f64 = 0;
  const mx = rowMax(z, O);
  const sum = expShifted(z, O, mx, 0);
  const lse = mx + Mathf.log(sum);
  let tsum: float = 0;
  for (let o = 0; o < O; o++) {
    const tv = load<float>(t + (<usize>o << 2));
    L += <f64>(tv * (lse - load<float>(z + (<usize>o << 2))));
    tsum += tv;
  }
  expShifted(z, O, mx, z); // the same exponentials again, now in place of the logits
  for (let o = 0; o < O; o++) {
    const q = z + (<usize>o << 2);
    store<float>(q, s * ((load<float>(q) / sum) * tsum - load<float>(t + (<usize>o << 2))));
  }
  return L * <f64>s;
}

/** The largest of a row's O logits. */
function rowMax(z: usize, O: i32): float {
  let mx = load<float>(z);
  for (let o = 1; o < O; o++) mx = max<float>(mx, load<float>(z + (<usize>o << 2)));
  return mx;
}

/**
 * Softmax cross-entropy against one class id c (t holds it as a float32): s·(lse − z[c]),
 * dz = s·(softmax(z) − onehot(c)); the same operations as cceRow on a one-hot row, so the same bits.
 * An id outside [0, O) traps (the host checks every id before any work).
 */
function sparseCceRow(z: usize, t: usize, O: i32, s: float): f64 {
  const c = <i32>load<float>(t);
  if (c < 0 || c >= O) unreachable();
  const mx = rowMax(z, O);
  const sum = expShifted(z, O, mx, 0);
  const lse = mx + Mathf.log(sum);
  const L = <f64>(lse - load<float>(z + (<usize>c << 2)));
  expShifted(z, O, mx, z);
  for (let o = 0; o < O; o++) {
    const q = z + (<usize>o << 2);
    store<float>(q, s * ((load<float>(q) / sum) * <float>1 - (o == c ? <float>1 : <float>0)));
  }
  return L * <f64>s;
}

/**
 * The scale of a row of weight 1: HD_SCALE, or with a mask and a mean loss HD_SCALE·norm/valid
 * (valid = the unmasked rows of the output steps; 0 when none is), in f64 and rounded once.
 */
function rowScale(blk: usize, T: i32, B: i32, seq: i32): float {
  const s = load<float>(blk + (<usize>HD_SCALE << 2)), m = <usize>word(blk, HD_MASK), norm = word(blk, HD_NORM);
  if (!m || !norm) return s;
  const ms = word(blk, HD_MS), steps = seq ? T : 1;
  let valid = 0;
  for (let k = 0; k < steps; k++) for (let r = 0; r < B; r++) if (load<float>(m + (<usize>(k * ms + r) << 2)) != 0) valid++;
  return valid ? <float>(<f64>s * <f64>norm / <f64>valid) : 0;
}

/** Floats of scratch headLossGrad needs: Woᵀ f32[O][H]. */
export function headWorkFloats(H: i32, O: i32): i32 {
  return (O * H + 3) & ~3;
}

/** Outputs only: y[k] = outAct(h[k]·Wo + bo) for the output steps (all T when seq, else step T). */
export function headForward(blk: usize): void {
  const T = word(blk, HD_T), B = word(blk, HD_B), H = word(blk, HD_H), O = word(blk, HD_O);
  const outAct = word(blk, HD_OUT_ACT), seq = word(blk, HD_SEQ);
  const hs = <usize>word(blk, HD_HS), Wo = <usize>word(blk, HD_P), y = <usize>word(blk, HD_Y);
  const bo = Wo + (<usize>(H * O) << 2);
  const k0 = seq ? 0 : T - 1, rows = (T - k0) * B;
  // Every output step's rows in one product (they are back to back in hs and y).
  fillRows(y, O, rows, bo, O);
  mm(hs + (<usize>(k0 * B * H) << 2), H, Wo, O, y, O, rows, H, O, true);
  for (let r = 0; r < rows; r++) outputRow(y + (<usize>(r * O) << 2), O, outAct);
}

/**
 * Loss (into the f64 at HD_OUT), head gradients (overwritten) and dh for the top layer at the output
 * steps (overwritten; the steps before, of a many-to-one head, are left to the layer: L_DH_FROM). HD_Y is scratch for dz here.
 */
export function headLossGrad(blk: usize): void {
  const T = word(blk, HD_T), B = word(blk, HD_B), H = word(blk, HD_H), O = word(blk, HD_O);
  const outAct = word(blk, HD_OUT_ACT), loss = word(blk, HD_LOSS), seq = word(blk, HD_SEQ);
  const s = rowScale(blk, T, B, seq);
  const m = <usize>word(blk, HD_MASK), ms = word(blk, HD_MS), sw = <usize>word(blk, HD_SW);
  const hs = <usize>word(blk, HD_HS), Wo = <usize>word(blk, HD_P), g = <usize>word(blk, HD_G);
  const t = <usize>word(blk, HD_TGT), ts = word(blk, HD_TS), dzs = <usize>word(blk, HD_Y), dh = <usize>word(blk, HD_DH);
  const WoT = <usize>word(blk, HD_WORK);
  const bo = Wo + (<usize>(H * O) << 2), gbo = g + (<usize>(H * O) << 2);
  const BH = B * H, BO = B * O, tw = targetWidth(loss, O);
  memory.fill(g, 0, <usize>(H * O + O) << 2);
  // dh is written (overwritten) at the output steps only: the layer reads it from its L_DH_FROM.
  transpose(Wo, H, O, WoT);
  const k0 = seq ? 0 : T - 1, rows = (T - k0) * B, h0 = hs + (<usize>(k0 * BH) << 2);
  // The products over every output step's rows at once (back to back in hs, dzs and dh): the same
  // sums in the same order as step by step (the gradients' over the rows in step order), in blocks
  // of 4 rows where a batch of one ran one row at a time.
  fillRows(dzs, O, rows, bo, O);
  mm(h0, H, Wo, O, dzs, O, rows, H, O, true);
  let L: f64 = 0;
  for (let k = k0; k < T; k++) {
    const zk = dzs + (<usize>((k - k0) * BO) << 2);
    const tk = t + (<usize>((k - k0) * ts) << 2);
    if (m || sw) {
      const mk = m + (<usize>((k - k0) * ms) << 2);
      for (let r = 0; r < B; r++) {
        const w = s * (m ? load<float>(mk + (<usize>r << 2)) : <float>1) * (sw ? load<float>(sw + (<usize>r << 2)) : <float>1);
        L += lossRow(zk + (<usize>(r * O) << 2), tk + (<usize>(r * tw) << 2), O, outAct, loss, w);
      }
    } else for (let r = 0; r < B; r++) L += lossRow(zk + (<usize>(r * O) << 2), tk + (<usize>(r * tw) << 2), O, outAct, loss, s);
  }
  mmT(h0, H, dzs, O, g, O, rows, H, O);
  colSum(dzs, rows, O, gbo);
  mm(dzs, O, WoT, H, dh + (<usize>(k0 * BH) << 2), H, rows, O, H, false);
  store<f64>(<usize>word(blk, HD_OUT), L);
}
