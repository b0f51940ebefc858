// What the recurrent layers (simple.ts, gru.ts, lstm.ts) share: their activations, TF.js's
// hardSigmoid among them, applied in place and differentiated through their outputs, reading a
// parameter block, and sums over strided rows. Codes from src/abi/codes.ts.

import { ACT_HARD_SIGMOID, ACT_LINEAR, ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../src/abi/codes';
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
  for (; i < n4; i += 4) v128.store(at(p, i), f32x4.min(f32x4.max(f32x4.add(f32x4.mul(v128.load(at(p, i)), k), h), zero), one));
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
