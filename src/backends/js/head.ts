// The plain-TypeScript twin of assembly/head.ts: the output head every network shares, Dense +
// output activation + fused loss over the top recurrent layer's states.
//   z[k] = h[k]·Wo + bo,  y = outAct(z);  loss per row (the loss's row, src/losses.ts), dz in place
//   gWo = Σk h[k]ᵀ·dz[k],  gbo = Σ dz,  dh[k] = dz[k]·Woᵀ  (0 at steps without an output)
// Shapes: h [T][B][H] (the layer's h[1..T], from hs at h0), y [Tout][B][O], dh [T][B][H],
// params [Wo H×O | bo O] from p0. Arithmetic is float64.

import { outputs, targetWidth, type LossSpec } from '../../losses.js';
import type { OutputActivation } from '../../types.js';

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
  /** Weighted rows, the twin of the head block's HD_MASK/HD_SW/HD_NORM: output step k's B mask values at m[m0 + k·ms], the weights at sw[sw0 + r]. */
  readonly weighting?: HeadWeighting;
}

/** Where a batch's step mask (step k's B values at m[m0 + k·ms]) and sample weights (at sw[sw0]) live, null: none. */
export interface BatchWeights {
  readonly m: ArrayLike<number> | null;
  readonly m0: number;
  readonly ms: number;
  readonly sw: ArrayLike<number> | null;
  readonly sw0: number;
}

/** A batch's mask (for the output steps) and weights; norm: the rows a mean loss averages over, 0 for a sum. */
export interface HeadWeighting extends BatchWeights {
  readonly norm: number;
}

/** Row r of output step k counts with s·m·sw; with a mask a mean loss divides by the unmasked rows (s·norm/valid), as Keras 3 does. */
function rowWeights(c: HeadCall, s: number, steps: number): (k: number, r: number) => number {
  const v = c.weighting;
  if (!v) return () => s;
  let base = s;
  if (v.m && v.norm) {
    let valid = 0;
    for (let k = 0; k < steps; k++) for (let r = 0; r < c.B; r++) if (v.m[v.m0 + k * v.ms + r] !== 0) valid++;
    base = valid ? (s * v.norm) / valid : 0;
  }
  return (k, r) => base * (v.m ? v.m[v.m0 + k * v.ms + r]! : 1) * (v.sw ? v.sw[v.sw0 + r]! : 1);
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
  c: HeadCall, loss: LossSpec, s: number, t: ArrayLike<number>, t0: number, ts: number,
  dz: Float64Array, g: Float64Array | null, g0: number, dh: Float64Array | null,
): number {
  const { T, B, H, O, p, p0 } = c;
  const k0 = c.seq ? 0 : T - 1, tw = targetWidth(loss, O);
  const w = rowWeights(c, s, T - k0);
  let L = 0;
  for (let k = k0; k < T; k++) {
    for (let r = 0; r < B; r++) {
      const at = ((k - k0) * B + r) * O;
      logitsRow(c, c.h0 + (k * B + r) * H, dz, at);
      L += loss.row(dz, at, t, t0 + (k - k0) * ts + r * tw, O, c.outAct, w(k - k0, r));
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
