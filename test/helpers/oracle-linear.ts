// An exact oracle for assembly/linear.ts's scalar path: the same operations in the same order,
// each rounded to float32 with Math.fround, and the sums over samples in float64.
const f = Math.fround;

/** [Σ e², ∂L/∂wx, ∂L/∂wRec] as linearLossGradScalar computes them, bit for bit. */
export function oracleLossGrad(x: Float32Array, t: Float32Array, n: number, T: number, wx: number, wRec: number, c: number): [number, number, number] {
  let loss = 0;
  let gradX = 0;
  let gradR = 0;
  for (const [e2, gx, gr] of oracleSamples(x, t, n, T, wx, wRec, c)) {
    loss += e2;
    gradX += gx;
    gradR += gr;
  }
  return [loss, gradX, gradR];
}

/** Each sample's float32 [e², ∂L/∂wx, ∂L/∂wRec], every step of its backward pass run. */
export function oracleSamples(x: Float32Array, t: Float32Array, n: number, T: number, wx: number, wRec: number, c: number): Array<[number, number, number]> {
  wx = f(wx);
  wRec = f(wRec);
  c = f(c);
  const out: Array<[number, number, number]> = [];
  const s = new Float32Array(T + 1);
  for (let i = 0; i < n; i++) {
    let si = 0;
    for (let k = 1; k <= T; k++) {
      si = f(f(x[(k - 1) * n + i]! * wx) + f(si * wRec));
      s[k] = si;
    }
    const e = f(si - t[i]!);
    let g = f(c * e);
    let gx = 0;
    let gr = 0;
    for (let k = T; k >= 1; k--) {
      gx = f(gx + f(g * x[(k - 1) * n + i]!));
      gr = f(gr + f(g * s[k - 1]!));
      g = f(g * wRec);
    }
    out.push([f(e * e), gx, gr]);
  }
  return out;
}
