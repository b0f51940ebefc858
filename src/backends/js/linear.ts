// The plain-TypeScript twin of assembly/linear.ts, and the baseline the core is measured against:
//   s[0] = 0,  s[k] = x[k]·wx + s[k-1]·wRec,  y = s[T],  e = y - t
//   BPTT:  g[T] = c·e;  for k = T..1:  gx += g[k]·x[k],  gr += g[k]·s[k-1],  g[k-1] = g[k]·wRec
// Time-major loops (k outer, samples inner) read memory in order; arithmetic is float64, as a
// careful JavaScript engineer writes it, so this is also the reference for numerical checks.

/** States of every sample at every step, time-major: s[k·n + i], row 0 zeros. */
export function linearStates(x: ArrayLike<number>, n: number, T: number, wx: number, wRec: number, s: Float32Array | Float64Array): void {
  s.fill(0, 0, n);
  for (let k = 1; k <= T; k++) {
    const xk = (k - 1) * n;
    const sp = (k - 1) * n;
    const sk = k * n;
    for (let i = 0; i < n; i++) s[sk + i] = x[xk + i]! * wx + s[sp + i]! * wRec;
  }
}

/**
 * Fused forward, loss and backward over a batch: returns [Σ e², ∂L/∂wx, ∂L/∂wRec] in `out`.
 * `states` holds (T+1)·n and `g` holds n float64 values, allocated once by the caller.
 */
export function linearLossGrad(
  x: ArrayLike<number>, t: ArrayLike<number>, n: number, T: number,
  wx: number, wRec: number, c: number,
  states: Float64Array, g: Float64Array, out: Float64Array,
): void {
  linearStates(x, n, T, wx, wRec, states);
  let sumSq = 0;
  const last = T * n;
  for (let i = 0; i < n; i++) {
    const e = states[last + i]! - t[i]!;
    sumSq += e * e;
    g[i] = c * e;
  }
  let gx = 0;
  let gr = 0;
  for (let k = T; k >= 1; k--) {
    const xk = (k - 1) * n;
    const sp = (k - 1) * n;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      gx += gi * x[xk + i]!;
      gr += gi * states[sp + i]!;
      g[i] = gi * wRec;
    }
  }
  out[0] = sumSq;
  out[1] = gx;
  out[2] = gr;
}
