// Hidden activations of assembly/elman.ts applied in place, and their derivatives written
// through the activation's output, on four lanes at a time with a scalar tail.

import { ACT_LINEAR as LINEAR, ACT_RELU as RELU, ACT_SIGMOID as SIGMOID, ACT_TANH as TANH } from '../src/abi/codes';

type float = f32;


/**
 * e^x on four lanes (Cephes' expf): x = n·ln2 + r with ln2 split in two for exactness, e^r by a
 * degree-6 polynomial, 2^n built in the exponent bits; inputs clamped to ±88.37 (f32's range).
 */
// @ts-ignore: decorator
@inline function exp4(v: v128): v128 {
  let x = f32x4.min(f32x4.max(v, f32x4.splat(-88.3762626647949)), f32x4.splat(88.3762626647949));
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), f32x4.splat(0.5)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(x, x)), x), f32x4.splat(1));
  const n = i32x4.trunc_sat_f32x4_s(fx);
  return f32x4.mul(y, i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23));
}

/**
 * tanh on four lanes: below |x| = 0.3 its odd Taylor series to x¹¹ (error < 1e-9 relative),
 * above it 1 − 2 / (e^{2|x|} + 1) with |x| clamped to 9 (tanh rounds to 1 in f32 there), sign restored.
 */
// @ts-ignore: decorator
@inline function tanh4(v: v128): v128 {
  const a = f32x4.abs(v);
  const z = f32x4.mul(v, v);
  let p = f32x4.splat(-1382.0 / 155925.0);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(62.0 / 2835.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-17.0 / 315.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.0 / 15.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-1.0 / 3.0));
  const small = f32x4.add(v, f32x4.mul(f32x4.mul(v, z), p));
  const e = exp4(f32x4.mul(f32x4.min(a, f32x4.splat(9)), f32x4.splat(2)));
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const signed = v128.or(big, v128.and(v, f32x4.splat(-0.0)));
  return v128.bitselect(small, signed, f32x4.lt(a, f32x4.splat(0.3)));
}

/** Apply the hidden activation in place to len floats (f32x4 for tanh, sigmoid and relu, scalar tail). */
export function activate(p: usize, len: i32, act: i32): void {
  if (act == LINEAR) return;
  const n4 = len & ~3, zero = f32x4.splat(0), one = f32x4.splat(1);
  let i = 0;
  for (; i < n4; i += 4) {
    const q = p + (<usize>i << 2);
    const v = v128.load(q);
    v128.store(q, act == RELU ? f32x4.max(v, zero) : act == TANH ? tanh4(v) : f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(v)))));
  }
  for (; i < len; i++) {
    const q = p + (<usize>i << 2);
    const v = load<float>(q);
    store<float>(q, act == RELU ? max<float>(v, 0) : act == TANH ? Mathf.tanh(v) : <float>1 / (<float>1 + Mathf.exp(-v)));
  }
}

/** da = dh ⊙ act'(h), with act' written through h: 1 − h² (tanh), h(1 − h) (sigmoid), [h > 0] (relu). */
export function activateBack(dh: usize, h: usize, len: i32, act: i32, da: usize): void {
  const n4 = len & ~3, one = f32x4.splat(1), zero = f32x4.splat(0);
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    const d = v128.load(dh + o), v = v128.load(h + o);
    let r = d;
    if (act == TANH) r = f32x4.mul(d, f32x4.sub(one, f32x4.mul(v, v)));
    else if (act == SIGMOID) r = f32x4.mul(d, f32x4.mul(v, f32x4.sub(one, v)));
    else if (act == RELU) r = v128.and(d, f32x4.gt(v, zero));
    v128.store(da + o, r);
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const d = load<float>(dh + o), v = load<float>(h + o);
    let r = d;
    if (act == TANH) r = d * (<float>1 - v * v);
    else if (act == SIGMOID) r = d * (v * (<float>1 - v));
    else if (act == RELU) r = v > 0 ? d : <float>0;
    store<float>(da + o, r);
  }
}
