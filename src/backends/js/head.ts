// The plain-TypeScript twin of assembly/head.ts: the output head every network shares, Dense +
// output activation + fused loss over the top recurrent layer's states.
//   z[k] = h[k]·Wo + bo,  y = outAct(z);  loss per row (lossRow), dz in place
//   gWo = Σk h[k]ᵀ·dz[k],  gbo = Σ dz,  dh[k] = dz[k]·Woᵀ  (0 at steps without an output)
// Shapes: h [T][B][H] (the layer's h[1..T], from hs at h0), y [Tout][B][O], dh [T][B][H],
// params [Wo H×O | bo O] from p0. Arithmetic is float64.

import type { LossKind, OutputActivation } from '../../types.js';

/** Turn logits into outputs in place (softmax shifted by the max). */
export function outputs(z: Float64Array, at: number, O: number, outAct: OutputActivation): void {
  if (outAct === 'sigmoid') for (let q = 0; q < O; q++) z[at + q] = 1 / (1 + Math.exp(-z[at + q]!));
  else if (outAct === 'softmax') {
    let mx = -Infinity, sum = 0;
    for (let q = 0; q < O; q++) mx = Math.max(mx, z[at + q]!);
    for (let q = 0; q < O; q++) sum += z[at + q] = Math.exp(z[at + q]! - mx);
    for (let q = 0; q < O; q++) z[at + q]! /= sum;
  }
}

/** Loss of one row; z[at..at+O] becomes dL/dz. Same formulas as lossRow in assembly/head.ts. */
export function lossRow(z: Float64Array, at: number, t: ArrayLike<number>, ti: number, O: number, outAct: OutputActivation, loss: LossKind, s: number): number {
  let L = 0;
  if (loss === 'bce') {
    for (let q = 0; q < O; q++) {
      const v = z[at + q]!, tv = t[ti + q]!;
      L += Math.max(v, 0) - v * tv + Math.log1p(Math.exp(-Math.abs(v)));
      z[at + q] = s * (1 / (1 + Math.exp(-v)) - tv);
    }
    return L * s;
  }
  if (loss === 'cce') {
    let mx = -Infinity, sum = 0, tsum = 0;
    for (let q = 0; q < O; q++) mx = Math.max(mx, z[at + q]!);
    for (let q = 0; q < O; q++) sum += Math.exp(z[at + q]! - mx);
    const lse = mx + Math.log(sum);
    for (let q = 0; q < O; q++) {
      L += t[ti + q]! * (lse - z[at + q]!);
      tsum += t[ti + q]!;
    }
    for (let q = 0; q < O; q++) z[at + q] = s * (Math.exp(z[at + q]! - lse) * tsum - t[ti + q]!);
    return L * s;
  }
  outputs(z, at, O, outAct);
  let dot = 0;
  for (let q = 0; q < O; q++) {
    const e = z[at + q]! - t[ti + q]!;
    L += e * e;
    dot += 2 * s * e * z[at + q]!;
  }
  for (let q = 0; q < O; q++) {
    const y = z[at + q]!, dy = 2 * s * (y - t[ti + q]!);
    z[at + q] = outAct === 'sigmoid' ? dy * y * (1 - y) : outAct === 'softmax' ? y * (dy - dot) : dy;
  }
  return L * s;
}

/** One head call: the fields of a head block (src/abi/gated.ts). */
export interface HeadCall {
  readonly T: number;
  readonly B: number;
  readonly H: number;
  readonly O: number;
  readonly outAct: OutputActivation;
  readonly seq: boolean;
  /** States of the layer below: h[k] (k = 0..T-1 here) at hs[h0 + k·B·H]. */
  readonly hs: ArrayLike<number>;
  readonly h0: number;
  readonly p: ArrayLike<number>;
  readonly p0: number;
}

/** z = h·Wo + bo for one row of h into out[at..at+O]. */
function logitsRow(c: HeadCall, hrow: number, out: Float64Array, at: number): void {
  const { H, O, p, p0 } = c;
  for (let q = 0; q < O; q++) {
    let z = p[p0 + H * O + q]!;
    for (let j = 0; j < H; j++) z += c.hs[hrow + j]! * p[p0 + j * O + q]!;
    out[at + q] = z;
  }
}

/** Outputs y [Tout][B][O] (Tout = T when seq, else 1). */
export function headForward(c: HeadCall, y: Float32Array | Float64Array): void {
  const { T, B, H, O } = c;
  const k0 = c.seq ? 0 : T - 1;
  const z = new Float64Array(O);
  for (let k = k0; k < T; k++) {
    for (let r = 0; r < B; r++) {
      logitsRow(c, c.h0 + (k * B + r) * H, z, 0);
      outputs(z, 0, O, c.outAct);
      y.set(z, ((k - k0) * B + r) * O);
    }
  }
}

/**
 * Loss (scaled by s) of targets t (step k's rows at t[t0 + k·ts]); when g is given, overwrites the head's
 * gradients g[g0..] and dh [T][B][H] (0 at steps without an output). dz is scratch [Tout][B][O].
 */
export function headLossGrad(
  c: HeadCall, loss: LossKind, s: number, t: ArrayLike<number>, t0: number, ts: number,
  dz: Float64Array, g: Float64Array | null, g0: number, dh: Float64Array | null,
): number {
  const { T, B, H, O, p, p0 } = c;
  const k0 = c.seq ? 0 : T - 1;
  let L = 0;
  for (let k = k0; k < T; k++) {
    for (let r = 0; r < B; r++) {
      const at = ((k - k0) * B + r) * O;
      logitsRow(c, c.h0 + (k * B + r) * H, dz, at);
      L += lossRow(dz, at, t, t0 + (k - k0) * ts + r * O, O, c.outAct, loss, s);
    }
  }
  if (!g || !dh) return L;
  g.fill(0, g0, g0 + H * O + O);
  dh.fill(0, 0, T * B * H);
  for (let k = k0; k < T; k++) {
    for (let r = 0; r < B; r++) {
      const at = ((k - k0) * B + r) * O, hrow = c.h0 + (k * B + r) * H, drow = (k * B + r) * H;
      for (let q = 0; q < O; q++) {
        const d = dz[at + q]!;
        g[g0 + H * O + q]! += d;
        for (let j = 0; j < H; j++) {
          g[g0 + j * O + q]! += c.hs[hrow + j]! * d;
          dh[drow + j]! += d * p[p0 + j * O + q]!;
        }
      }
    }
  }
  return L;
}
