// The plain-TypeScript twin of assembly/elman.ts (Keras SimpleRNN + Dense over one mini-batch):
//   h[0] = 0,  h[k] = act(x[k]·K + h[k-1]·R + b),  z[k] = h[k]·Wo + bo,  y = outAct(z)
// BPTT, k = T..1:  dh += dz[k]·Woᵀ;  da[k] = dh ⊙ act'(h[k]);  dh = da[k]·Rᵀ  (0 at a window edge)
//   gK += Σk x[k]ᵀ·da[k],  gR += Σk h[k-1]ᵀ·da[k],  gb += Σ da,  gWo += Σk h[k]ᵀ·dz[k],  gbo += Σ dz
// The output and loss rows live in ./head.ts, shared with the layer stacks.
// Arithmetic is float64 over float32 (or float64) arrays: the readable reference, the float64
// loss for gradCheck, and the baseline the core is measured against.

import type { Activation, ElmanDims, LossKind } from '../../types.js';
import { lossRow, outputs } from './head.js';

/** Where one batch lives in time-major arrays: sample 0 of step k at x[x0 + k·xs] (rows of I), same for t. */
export interface BatchView {
  readonly x: ArrayLike<number>;
  readonly x0: number;
  readonly xs: number;
  readonly t: ArrayLike<number>;
  readonly t0: number;
  readonly ts: number;
  readonly B: number;
  readonly T: number;
}

/** Scratch for a batch of up to B samples: h [T+1][B][H], da [T][B][H], dz [T][B][O], dh [B][H]. */
export interface ElmanScratch {
  hs: Float64Array;
  das: Float64Array;
  dzs: Float64Array;
  dh: Float64Array;
}

/** Allocate scratch for batches of up to B samples of T steps. */
export function elmanScratch(B: number, T: number, H: number, O: number): ElmanScratch {
  return { hs: new Float64Array((T + 1) * B * H), das: new Float64Array(T * B * H), dzs: new Float64Array(T * B * O), dh: new Float64Array(B * H) };
}

/** Offsets of the named blocks in the flat parameter array [K | R | b | Wo | bo]. */
export function paramOffsets(I: number, H: number, O: number): { K: number; R: number; b: number; Wo: number; bo: number; size: number } {
  const R = I * H, b = R + H * H, Wo = b + H, bo = Wo + H * O;
  return { K: 0, R, b, Wo, bo, size: bo + O };
}

const act1 = (a: Activation, v: number): number =>
  a === 'tanh' ? Math.tanh(v) : a === 'relu' ? Math.max(v, 0) : a === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : v;
// The derivative written through the activation's output h.
const actGrad = (a: Activation, h: number): number =>
  a === 'tanh' ? 1 - h * h : a === 'relu' ? (h > 0 ? 1 : 0) : a === 'sigmoid' ? h * (1 - h) : 1;

/** h[k] for k = 1..T into s.hs (row 0 zeros). */
export function elmanStates(v: BatchView, d: ElmanDims, p: ArrayLike<number>, hs: Float64Array): void {
  const { I, H, act } = d;
  const { B, T, x, x0, xs } = v;
  const o = paramOffsets(I, H, d.O);
  hs.fill(0, 0, B * H);
  for (let k = 1; k <= T; k++) {
    const hp = (k - 1) * B * H, hk = k * B * H, xk = x0 + (k - 1) * xs;
    for (let r = 0; r < B; r++) {
      const row = hk + r * H;
      for (let j = 0; j < H; j++) hs[row + j] = p[o.b + j]!;
      for (let i = 0; i < I; i++) {
        const xi = x[xk + r * I + i]!;
        for (let j = 0; j < H; j++) hs[row + j]! += xi * p[o.K + i * H + j]!;
      }
      for (let i = 0; i < H; i++) {
        const hi = hs[hp + r * H + i]!;
        for (let j = 0; j < H; j++) hs[row + j]! += hi * p[o.R + i * H + j]!;
      }
      for (let j = 0; j < H; j++) hs[row + j] = act1(act, hs[row + j]!);
    }
  }
}

/** z = h·Wo + bo for one row of hs into out[at..at+O]. */
function logits(hs: Float64Array, hrow: number, d: ElmanDims, p: ArrayLike<number>, out: Float64Array, at: number): void {
  const { H, O } = d;
  const o = paramOffsets(d.I, H, O);
  for (let q = 0; q < O; q++) {
    let z = p[o.bo + q]!;
    for (let j = 0; j < H; j++) z += hs[hrow + j]! * p[o.Wo + j * O + q]!;
    out[at + q] = z;
  }
}

/** Outputs y [Tout][B][O] (Tout = T when seq, else 1). */
export function elmanForward(v: BatchView, d: ElmanDims, p: ArrayLike<number>, hs: Float64Array, y: Float32Array | Float64Array): void {
  elmanStates(v, d, p, hs);
  const { B, T } = v, { H, O } = d;
  const k0 = d.seq ? 1 : T;
  const z = new Float64Array(O);
  for (let k = k0; k <= T; k++) {
    for (let r = 0; r < B; r++) {
      logits(hs, (k * B + r) * H, d, p, z, 0);
      outputs(z, 0, O, d.outAct);
      y.set(z, ((k - k0) * B + r) * O);
    }
  }
}

/**
 * Fused forward, loss (scaled by s) and BPTT for one batch; returns the loss and, when `g` is given,
 * overwrites it with ∂L/∂params. window > 0 cuts dL/dh at steps k with (k − 1) mod window = 0.
 */
export function elmanLossGrad(
  v: BatchView, d: ElmanDims, loss: LossKind, s: number, window: number,
  p: ArrayLike<number>, g: Float32Array | Float64Array | null, w: ElmanScratch,
): number {
  const { B, T, t, t0, ts } = v;
  const { I, H, O, act } = d;
  const o = paramOffsets(I, H, O);
  const { hs, das, dzs, dh } = w;
  elmanStates(v, d, p, hs);
  const k0 = d.seq ? 1 : T;
  let L = 0;
  for (let k = k0; k <= T; k++) {
    const tk = t0 + (d.seq ? (k - 1) * ts : 0);
    for (let r = 0; r < B; r++) {
      const at = ((k - 1) * B + r) * O;
      logits(hs, (k * B + r) * H, d, p, dzs, at);
      L += lossRow(dzs, at, t, tk + r * O, O, d.outAct, loss, s);
    }
  }
  if (!g) return L;
  const acc = new Float64Array(o.size); // float64 sums, rounded once into g
  dh.fill(0);
  for (let k = T; k >= 1; k--) {
    const hk = k * B * H, hp = (k - 1) * B * H, dak = (k - 1) * B * H, xk = v.x0 + (k - 1) * v.xs;
    for (let r = 0; r < B; r++) {
      const row = r * H;
      if (k >= k0) {
        const at = ((k - 1) * B + r) * O;
        for (let q = 0; q < O; q++) {
          const dz = dzs[at + q]!;
          acc[o.bo + q]! += dz;
          for (let j = 0; j < H; j++) {
            dh[row + j]! += dz * p[o.Wo + j * O + q]!;
            acc[o.Wo + j * O + q]! += hs[hk + row + j]! * dz;
          }
        }
      }
      for (let j = 0; j < H; j++) das[dak + row + j] = dh[row + j]! * actGrad(act, hs[hk + row + j]!);
      for (let j = 0; j < H; j++) {
        const da = das[dak + row + j]!;
        acc[o.b + j]! += da;
        for (let i = 0; i < I; i++) acc[o.K + i * H + j]! += v.x[xk + r * I + i]! * da;
        for (let i = 0; i < H; i++) acc[o.R + i * H + j]! += hs[hp + row + i]! * da;
      }
      const cut = window > 0 && (k - 1) % window === 0;
      for (let i = 0; i < H; i++) {
        let sum = 0;
        if (!cut) for (let j = 0; j < H; j++) sum += das[dak + row + j]! * p[o.R + i * H + j]!;
        dh[row + i] = sum;
      }
    }
  }
  g.set(acc);
  return L;
}
