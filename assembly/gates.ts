// What the recurrent layers (simple.ts, gru.ts, lstm.ts) share: their activations, TF.js's
// hardSigmoid among them, applied in place and differentiated through their outputs, reading a
// parameter block, and sums over strided rows. Codes from src/abi/codes.ts.

import { ACT_HARD_SIGMOID, ACT_LINEAR, ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../src/abi/codes';
import { L_B, L_CS, L_DH, L_DH_FROM, L_H, L_HS, L_MASK, L_MS, L_MWORK } from '../src/abi/gated';
import { activate } from './activations';
export { colSumS, fillRows } from './matmul';

type float = f32;

/** Word i (i32) of a parameter block. */
// @ts-ignore: decorator
@inline export function word(blk: usize, i: i32): i32 {
  return load<i32>(blk + (<usize>i << 2));
}

/** n rounded up to a multiple of 4 floats, so every scratch block starts 16-byte aligned. */
// @ts-ignore: decorator
@inline export function up4(n: i32): i32 {
  return (n + 3) & ~3;
}

/** Byte offset of float i. */
// @ts-ignore: decorator
@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** y = act(y) in place over len floats; hardSigmoid is clip(0.2·y + 0.5, 0, 1), the rest ./activations (f32x4). */
export function actIn(p: usize, len: i32, act: i32): void {
  if (act != ACT_HARD_SIGMOID) {
    activate(p, len, act);
    return;
  }
  const n4 = len & ~3, k = f32x4.splat(0.2), h = f32x4.splat(0.5), zero = f32x4.splat(0), one = f32x4.splat(1);
  let i = 0;
  // pmax/pmin (one instruction each in V8; wasm's NaN-propagating max/min take several) give the same
  // values here: a NaN first operand stays, and 0.2·y + 0.5 is never −0.
  for (; i < n4; i += 4) v128.store(at(p, i), f32x4.pmin(f32x4.pmax(f32x4.add(f32x4.mul(v128.load(at(p, i)), k), h), zero), one));
  for (; i < len; i++) store<float>(at(p, i), min<float>(max<float>(load<float>(at(p, i)) * <float>0.2 + <float>0.5, 0), 1));
}

/** act′ written through the output y = act(a): 1 − y² (tanh), y(1 − y) (sigmoid), [y > 0] (relu), 0.2·[0 < y < 1] (hardSigmoid). */
// @ts-ignore: decorator
@inline export function dAct(y: float, act: i32): float {
  if (act == ACT_TANH) return <float>1 - y * y;
  if (act == ACT_SIGMOID) return y * (<float>1 - y);
  if (act == ACT_RELU) return y > 0 ? <float>1 : <float>0;
  if (act == ACT_HARD_SIGMOID) return y > 0 && y < 1 ? <float>0.2 : <float>0;
  return 1; // ACT_LINEAR
}

/** Four lanes of dAct. */
// @ts-ignore: decorator
@inline export function dAct4(y: v128, act: i32): v128 {
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  if (act == ACT_TANH) return f32x4.sub(one, f32x4.mul(y, y));
  if (act == ACT_SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  if (act == ACT_RELU) return v128.and(one, f32x4.gt(y, zero));
  if (act == ACT_HARD_SIGMOID) return v128.and(f32x4.splat(0.2), v128.and(f32x4.gt(y, zero), f32x4.lt(y, one)));
  return one;
}

/** d[i] = d[i] · act′(y[i]) over len floats. */
export function actBackIn(d: usize, y: usize, len: i32, act: i32): void {
  if (act == ACT_LINEAR) return;
  const n4 = len & ~3;
  let i = 0;
  for (; i < n4; i += 4) v128.store(at(d, i), f32x4.mul(v128.load(at(d, i)), dAct4(v128.load(at(y, i)), act)));
  for (; i < len; i++) store<float>(at(d, i), load<float>(at(d, i)) * dAct(load<float>(at(y, i)), act));
}

/** dst[i] += src[i] over len floats. */
export function addTo(dst: usize, src: usize, len: i32): void {
  const n4 = len & ~3;
  let i = 0;
  for (; i < n4; i += 4) v128.store(at(dst, i), f32x4.add(v128.load(at(dst, i)), v128.load(at(src, i))));
  for (; i < len; i++) store<float>(at(dst, i), load<float>(at(dst, i)) + load<float>(at(src, i)));
}

// Keras's masking, for every cell in three calls: where the mask of row r at step k is 0 the state
// holds, h[k] = h[k-1] (and c[k] = c[k-1]), so backward the gradient reaching h[k] goes to h[k-1]
// untouched and the cell's step sees none. A cell's forward calls maskHold after each step; its
// backward calls maskRoute before a step's gradients and maskRejoin once the step's time carry is
// made. Without a mask (L_MASK = 0) each returns at once: one branch per step, no per-element work.

/** Forward, after step k (1-based): rows masked at k copy h[k-1] (and c[k-1]) over what the cell wrote. */
export function maskHold(blk: usize, k: i32): void {
  const m = <usize>word(blk, L_MASK);
  if (!m) return;
  const B = word(blk, L_B), H = word(blk, L_H), BH = B * H, mk = at(m, (k - 1) * word(blk, L_MS));
  const hs = <usize>word(blk, L_HS), cs = <usize>word(blk, L_CS), bytes = <usize>H << 2;
  for (let r = 0; r < B; r++) {
    if (load<f32>(at(mk, r)) != 0) continue;
    memory.copy(at(hs, k * BH + r * H), at(hs, (k - 1) * BH + r * H), bytes);
    if (cs) memory.copy(at(cs, k * BH + r * H), at(cs, (k - 1) * BH + r * H), bytes);
  }
}

/**
 * Backward, before step k: rows masked at k take their gradient dh[k] + carry (and the cell-state
 * carry, when carryC ≠ 0) aside into the mask scratch and zero it there, so the step adds nothing for them.
 */
export function maskRoute(blk: usize, k: i32, carry: usize, carryC: usize): void {
  const m = <usize>word(blk, L_MASK);
  if (!m) return;
  const B = word(blk, L_B), H = word(blk, L_H), BH = B * H, mk = at(m, (k - 1) * word(blk, L_MS));
  const save = <usize>word(blk, L_MWORK), bytes = <usize>H << 2;
  // dh rows before L_DH_FROM were not written from above: the carry alone reaches those steps.
  const dk = k > word(blk, L_DH_FROM) ? at(<usize>word(blk, L_DH), (k - 1) * BH) : 0;
  for (let r = 0; r < B; r++) {
    if (load<f32>(at(mk, r)) != 0) continue;
    const e = r * H;
    memory.copy(at(save, e), at(carry, e), bytes);
    memory.fill(at(carry, e), 0, bytes);
    if (dk) {
      addTo(at(save, e), at(dk, e), H);
      memory.fill(at(dk, e), 0, bytes);
    }
    if (carryC) {
      memory.copy(at(save, BH + e), at(carryC, e), bytes);
      memory.fill(at(carryC, e), 0, bytes);
    }
  }
}

/** Backward, after step k's time carry: rows masked at k carry on what maskRoute set aside (nothing past a truncation edge, `cut`). */
export function maskRejoin(blk: usize, k: i32, carry: usize, carryC: usize, cut: bool): void {
  const m = <usize>word(blk, L_MASK);
  if (!m || cut) return;
  const B = word(blk, L_B), H = word(blk, L_H), BH = B * H, mk = at(m, (k - 1) * word(blk, L_MS));
  const save = <usize>word(blk, L_MWORK), bytes = <usize>H << 2;
  for (let r = 0; r < B; r++) {
    if (load<f32>(at(mk, r)) != 0) continue;
    memory.copy(at(carry, r * H), at(save, r * H), bytes);
    if (carryC) memory.copy(at(carryC, r * H), at(save, BH + r * H), bytes);
  }
}
