// The counter's loss at every point of a (wx, wRec) grid, for the loss-surface picture:
//   L(i, j) = scale · Σ_n (s_n[T] − t_n)²,  s[k] = x[k]·wx[i] + s[k-1]·wRec[j]
// vectorised over samples as assembly/linear.ts is: groups of 16 samples in four f32x4
// registers, then groups of 4, then single samples. States never leave registers (no backward).
// Per-sample errors are f32; their sum over samples is f64, as in the training kernels.

import { sumLanes } from './linear';

type float = f32;

const F32_MAX: f64 = 3.4028234663852886e38; // where the steep walls' loss overflows, the surface saturates

/** Σ e² over all n samples at one (wx, wRec), time-major x f32[T][n], targets t f32[n]. */
function sumSquares(x: usize, t: usize, n: i32, T: i32, wx: float, wRec: float): f64 {
  const stride = <usize>n << 2;
  const vwx = f32x4.splat(wx);
  const vwr = f32x4.splat(wRec);
  let sum: f64 = 0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const col = <usize>i << 2;
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    for (let k = 0; k < T; k++) {
      const xk = x + <usize>k * stride + col;
      s0 = f32x4.add(f32x4.mul(v128.load(xk), vwx), f32x4.mul(s0, vwr));
      s1 = f32x4.add(f32x4.mul(v128.load(xk, 16), vwx), f32x4.mul(s1, vwr));
      s2 = f32x4.add(f32x4.mul(v128.load(xk, 32), vwx), f32x4.mul(s2, vwr));
      s3 = f32x4.add(f32x4.mul(v128.load(xk, 48), vwx), f32x4.mul(s3, vwr));
    }
    const tq = t + col;
    const e0 = f32x4.sub(s0, v128.load(tq)), e1 = f32x4.sub(s1, v128.load(tq, 16));
    const e2 = f32x4.sub(s2, v128.load(tq, 32)), e3 = f32x4.sub(s3, v128.load(tq, 48));
    sum += sumLanes(f32x4.mul(e0, e0)) + sumLanes(f32x4.mul(e1, e1)) + sumLanes(f32x4.mul(e2, e2)) + sumLanes(f32x4.mul(e3, e3));
  }
  for (; i + 4 <= n; i += 4) {
    const col = <usize>i << 2;
    let s = f32x4.splat(0);
    for (let k = 0; k < T; k++) s = f32x4.add(f32x4.mul(v128.load(x + <usize>k * stride + col), vwx), f32x4.mul(s, vwr));
    const e = f32x4.sub(s, v128.load(t + col));
    sum += sumLanes(f32x4.mul(e, e));
  }
  for (; i < n; i++) {
    const col = <usize>i << 2;
    let s: float = 0;
    for (let k = 0; k < T; k++) s = load<float>(x + <usize>k * stride + col) * wx + s * wRec;
    const e = s - load<float>(t + col);
    sum += <f64>(e * e);
  }
  return sum;
}

/** out f32[nr][nx]: the loss at (wx[i], wRec[j]) for axes wx f32[nx], wRec f32[nr], times `scale`, at most F32_MAX. */
export function linearSurface(x: usize, t: usize, n: i32, T: i32, wx: usize, nx: i32, wRec: usize, nr: i32, scale: f64, out: usize): void {
  for (let j = 0; j < nr; j++) {
    const r = load<float>(wRec + (<usize>j << 2));
    const row = out + (<usize>(j * nx) << 2);
    for (let i = 0; i < nx; i++) {
      const v = sumSquares(x, t, n, T, load<float>(wx + (<usize>i << 2)), r) * scale;
      store<float>(row + (<usize>i << 2), <float>(v < F32_MAX ? v : F32_MAX)); // ∞ and NaN saturate, as on the js path
    }
  }
}
