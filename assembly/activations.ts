// Hidden activations of assembly/elman.ts applied in place, and their derivatives written
// through the activation's output, on four lanes at a time with a scalar tail.

import { ACT_LINEAR as LINEAR, ACT_RELU as RELU, ACT_SIGMOID as SIGMOID, ACT_TANH as TANH } from '../src/abi/codes';

type float = f32;


// tanh(x) ≈ x·P(x²)/Q(x²) on |x| ≤ 9: a rational fit, degree 4 over 4 in x², near-minimax in relative
// error over [0, 9] (assembly/bench/fit_tanh.py), with P(0) = Q(0) = 1 so that subnormals and ±0 pass
// through unchanged. |x| is clamped to 9 (tanh(9) rounds to 1 in f32) and the result to 1, the
// sign restored by bits. Error against float64 tanh: at most 3.5e-7 absolute and relative (largest
// seen: 3.45e-7 near |x| = 3 and 6, about 5 units in the last place, from float32 rounding in P and Q).
// NaN stays NaN (the clamps keep a NaN first operand); ±Infinity gives ±1. The scalar tail runs the
// same operations in the same order, so a value's result does not depend on where it sits in the array.
const P1: float = 1.338396370e-1, P2: float = 3.498975188e-3, P3: float = 2.066089837e-5, P4: float = 1.341928968e-8;
const Q1: float = 4.671728313e-1, Q2: float = 2.589012869e-2, Q3: float = 3.291003231e-4, Q4: float = 7.804517281e-7;
const CLAMP: float = 9;

// @ts-ignore: decorator
@inline function tanh4(v: v128): v128 {
  const a = f32x4.pmin(f32x4.abs(v), f32x4.splat(CLAMP));
  const z = f32x4.mul(a, a);
  let p = f32x4.add(f32x4.mul(f32x4.splat(P4), z), f32x4.splat(P3));
  let q = f32x4.add(f32x4.mul(f32x4.splat(Q4), z), f32x4.splat(Q3));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(P2));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(Q2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(P1));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(Q1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(1));
  const t = f32x4.pmin(f32x4.div(f32x4.mul(a, p), q), f32x4.splat(1));
  return v128.or(t, v128.and(v, f32x4.splat(-0.0)));
}

// f32x4.pmin's rule on one lane, b < a ? b : a (one instruction; NaN in a stays): what wasm's
// NaN-propagating f32x4.min costs several instructions for.
// @ts-ignore: decorator
@inline function pmin1(a: float, b: float): float {
  return select<float>(b, a, b < a);
}

// f32x4.pmax's rule on one lane, a < b ? b : a.
// @ts-ignore: decorator
@inline function pmax1(a: float, b: float): float {
  return select<float>(b, a, a < b);
}

// @ts-ignore: decorator
@inline function tanh1(v: float): float {
  const a = pmin1(abs<float>(v), CLAMP);
  const z = a * a;
  let p = P4 * z + P3;
  let q = Q4 * z + Q3;
  p = p * z + P2;
  q = q * z + Q2;
  p = p * z + P1;
  q = q * z + Q1;
  p = p * z + <float>1;
  q = q * z + <float>1;
  return copysign<float>(pmin1((a * p) / q, 1), v);
}

// sigmoid(x) = 1 / (1 + e^−x), relatively accurate down to the least normal float32. e^−x = 2^n·e^−s:
// x clamped to [−88.72, 87] (2^n is a normal number, or 2^128 = Infinity, so sigmoid is 0 below
// x = −88.4), n = round(−x·log2 e) by adding and removing 1.5·2^23 + 127 (the sum's low bits hold
// n + 127, which shifted into the exponent field is 2^n), s = x + n·ln2 with ln2 split in two so the
// first product and sum are exact, e^−s ≈ 1 − s + s²·(a2 + a3·s) + s⁴·(a4 + a5·s + a6·s²), a degree-6
// near-minimax fit on |s| ≤ ln2/2 (assembly/bench/fit_sigmoid.py), summed in pairs (Estrin's scheme)
// and with one rounding at the size of 1. The longest chain: 53 cycles per vector on Zen 5 against
// 77 for the Horner, degree-7 form it replaced (bench/kernels.js --latency). Error against the float64
// logistic function: at most 2.5e-7 relative where it is a normal float32 (largest seen 1.47e-7), 1.2e-38
// absolute below. NaN stays NaN (the clamps keep a NaN first operand); +Infinity gives 1, −Infinity 0.
const X_HI: float = 87, X_LO: float = -88.72, NLOG2E: float = -1.44269504088896341, ROUND: float = 12582912 + 127;
const LN2_HI: float = 0.693359375, LN2_LO: float = -2.12194440e-4;
const A2: float = 4.9999994040e-1, A3: float = -1.6666521132e-1, A4: float = 4.1668388993e-2;
const A5: float = -8.3687352017e-3, A6: float = 1.3814547565e-3;

// The constants as one table in memory, read into registers once per call (loads are not folded
// back into v128 constants for the host compiler to rebuild inside the loop); with two vectors per
// pass, 4.7 → 3.7 cycles per value on Zen 5 (the same table gave tanh nothing: not separated further).
const SIG = memory.data<f32>([X_HI, X_LO, NLOG2E, ROUND, LN2_HI, LN2_LO, A2, A3, A4, A5, A6, 1]);

/** e^−x on four lanes for x clamped to [X_LO, X_HI], the constants in registers (SIG's values, splatted): 2^n·e^−s as above. */
// @ts-ignore: decorator
@inline function expNeg4k(x: v128, nlog2e: v128, round: v128, ln2hi: v128, ln2lo: v128, a2: v128, a3: v128, a4: v128, a5: v128, a6: v128, one: v128): v128 {
  const t = f32x4.add(f32x4.mul(x, nlog2e), round);
  const n = f32x4.sub(t, round);
  const s = f32x4.add(f32x4.add(x, f32x4.mul(n, ln2hi)), f32x4.mul(n, ln2lo));
  const s2 = f32x4.mul(s, s), s4 = f32x4.mul(s2, s2);
  const q1 = f32x4.add(f32x4.mul(a3, s), a2), q2 = f32x4.add(f32x4.mul(a5, s), a4);
  const q3 = f32x4.add(q2, f32x4.mul(s2, a6));
  const e = f32x4.add(f32x4.add(f32x4.sub(f32x4.mul(s2, q1), s), f32x4.mul(s4, q3)), one);
  return f32x4.mul(e, i32x4.shl(t, 23));
}

/** e^−x for x clamped to [X_LO, X_HI]: expNeg4k's operations on one value. */
// @ts-ignore: decorator
@inline function expNeg1(x: float): float {
  const t = x * NLOG2E + ROUND;
  const n = t - ROUND;
  const s = (x + n * LN2_HI) + n * LN2_LO;
  const s2 = s * s, s4 = s2 * s2;
  const q1 = A3 * s + A2, q2 = A5 * s + A4;
  const q3 = q2 + s2 * A6;
  const e = ((s2 * q1 - s) + s4 * q3) + <float>1;
  return e * reinterpret<float>(reinterpret<i32>(t) << 23);
}

/** sigmoid on four lanes with the constants in registers (k: SIG's values, splatted). */
// @ts-ignore: decorator
@inline function sigmoid4k(v: v128, hi: v128, lo: v128, nlog2e: v128, round: v128, ln2hi: v128, ln2lo: v128, a2: v128, a3: v128, a4: v128, a5: v128, a6: v128, one: v128): v128 {
  const x = f32x4.pmax(f32x4.pmin(v, hi), lo);
  return f32x4.div(one, f32x4.add(one, expNeg4k(x, nlog2e, round, ln2hi, ln2lo, a2, a3, a4, a5, a6, one)));
}

// @ts-ignore: decorator
@inline function sigmoid1(v: float): float {
  return <float>1 / (<float>1 + expNeg1(pmax1(pmin1(v, X_HI), X_LO)));
}

/**
 * out[o] = e^(z[o] − m) over n floats with every z[o] ≤ m (a softmax's logits shifted by their
 * largest), and their sum: e^−x of m − z[o] as sigmoid computes it (the same bound), 0 where m − z
 * is above 87 (the value is below 1.65e-38: rounded up to e^−87, each such probability's gradient
 * s·p was a subnormal number, and x86 runs arithmetic on those through microcode assists), four
 * lanes at a time, the lanes summed then the tail in order. out = 0: the sum alone. (Mathf.exp, per value, was a tenth of the
 * character model's iteration: 3,600 calls for its 25 steps × 72 classes.)
 */
export function expShifted(z: usize, n: i32, m: float, out: usize): float {
  const k = SIG;
  const hi = v128.load32_splat(k), nlog2e = v128.load32_splat(k, 8), round = v128.load32_splat(k, 12);
  const ln2hi = v128.load32_splat(k, 16), ln2lo = v128.load32_splat(k, 20), a2 = v128.load32_splat(k, 24), a3 = v128.load32_splat(k, 28);
  const a4 = v128.load32_splat(k, 32), a5 = v128.load32_splat(k, 36), a6 = v128.load32_splat(k, 40), one = v128.load32_splat(k, 44);
  const mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    const x = f32x4.sub(mv, v128.load(z + q));
    const e = v128.andnot(expNeg4k(f32x4.pmin(x, hi), nlog2e, round, ln2hi, ln2lo, a2, a3, a4, a5, a6, one), f32x4.gt(x, hi));
    if (out) v128.store(out + q, e);
    acc = f32x4.add(acc, e);
  }
  let sum = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; i < n; i++) {
    const q = <usize>i << 2;
    const x = m - load<float>(z + q);
    const e = x > X_HI ? <float>0 : expNeg1(x);
    if (out) store<float>(out + q, e);
    sum += e;
  }
  return sum;
}

/** Apply the hidden activation in place to len floats: f32x4, one loop per activation, then the tail. */
export function activate(p: usize, len: i32, act: i32): void {
  if (act == LINEAR) return;
  const n4 = len & ~3, zero = f32x4.splat(0);
  let i = 0;
  if (act == TANH) {
    for (; i + 8 <= n4; i += 8) {
      const q = p + (<usize>i << 2);
      // Two independent vectors per pass: 2.7 cycles per value instead of 3.1–3.4.
      const u = tanh4(v128.load(q)), w = tanh4(v128.load(q, 16));
      v128.store(q, u);
      v128.store(q, w, 16);
    }
    for (; i < n4; i += 4) {
      const q = p + (<usize>i << 2);
      v128.store(q, tanh4(v128.load(q)));
    }
    for (; i < len; i++) {
      const q = p + (<usize>i << 2);
      store<float>(q, tanh1(load<float>(q)));
    }
  } else if (act == SIGMOID) {
    const k = SIG;
    const hi = v128.load32_splat(k), lo = v128.load32_splat(k, 4), nlog2e = v128.load32_splat(k, 8), round = v128.load32_splat(k, 12);
    const ln2hi = v128.load32_splat(k, 16), ln2lo = v128.load32_splat(k, 20), a2 = v128.load32_splat(k, 24), a3 = v128.load32_splat(k, 28);
    const a4 = v128.load32_splat(k, 32), a5 = v128.load32_splat(k, 36), a6 = v128.load32_splat(k, 40), one = v128.load32_splat(k, 44);
    for (; i + 8 <= n4; i += 8) {
      const q = p + (<usize>i << 2);
      // Two independent vectors per pass, as for tanh.
      const u = sigmoid4k(v128.load(q), hi, lo, nlog2e, round, ln2hi, ln2lo, a2, a3, a4, a5, a6, one);
      const w = sigmoid4k(v128.load(q, 16), hi, lo, nlog2e, round, ln2hi, ln2lo, a2, a3, a4, a5, a6, one);
      v128.store(q, u);
      v128.store(q, w, 16);
    }
    for (; i < n4; i += 4) {
      const q = p + (<usize>i << 2);
      v128.store(q, sigmoid4k(v128.load(q), hi, lo, nlog2e, round, ln2hi, ln2lo, a2, a3, a4, a5, a6, one));
    }
    for (; i < len; i++) {
      const q = p + (<usize>i << 2);
      store<float>(q, sigmoid1(load<float>(q)));
    }
  } else {
    for (; i < n4; i += 4) {
      const q = p + (<usize>i << 2);
      v128.store(q, f32x4.pmax(v128.load(q), zero));
    }
    for (; i < len; i++) {
      const q = p + (<usize>i << 2);
      const v = load<float>(q);
      store<float>(q, select<float>(0, v, v < 0)); // f32x4.pmax's rule, as above
    }
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
