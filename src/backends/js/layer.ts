// What the plain-TypeScript recurrent layers (simple.ts, gru.ts, lstm.ts) share: the fields of a
// layer block (src/abi/gated.ts) as an object, and their activations with derivatives written
// through the outputs, TF.js's hardSigmoid among them. Arithmetic is float64.

import type { GateActivation } from '../../types.js';

export type { GateActivation };

/** One layer call, the twin of a layer block; step calls read x [B][I] at x0 and advance hs (cs) [B][H] in place. */
export interface LayerCall {
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  readonly act: GateActivation;
  /** Gates' activation (GRU, LSTM). */
  readonly recAct: GateActivation;
  /** GRU only: Keras's reset_after. */
  readonly resetAfter: boolean;
  /** Truncated BPTT window, 0 = full. */
  readonly window: number;
  /** Step k's B rows of I at x[x0 + k·xs]. */
  readonly x: ArrayLike<number>;
  readonly x0: number;
  readonly xs: number;
  /** States [T+1][B][H], hs[0] the initial state. */
  readonly hs: Float64Array;
  /** LSTM cell states [T+1][B][H]. */
  readonly cs: Float64Array;
  /** The layer's weights [kernel | recurrentKernel | bias] from p0. */
  readonly p: ArrayLike<number>;
  readonly p0: number;
  /** Its gradients, same layout from g0; backward adds into them. */
  readonly g: Float64Array;
  readonly g0: number;
  /** Scratch of the kind's work size, kept from forward to backward. */
  readonly work: Float64Array;
  /** dL/dh [T][B][H] from above (read only here but for the rows a mask routes; the wasm kernels overwrite theirs). */
  readonly dh: Float64Array;
  /** dL/dx [T][B][I] for the layer below, or null. */
  readonly dx: Float64Array | null;
  /** The step mask, step k's B values at m[m0 + k·ms] (0 = the state holds), and its scratch [2][B][H]; absent without one. */
  readonly mask?: { readonly m: ArrayLike<number>; readonly m0: number; readonly ms: number; readonly save: Float64Array };
}

// Keras's masking, the twin of assembly/gates.ts's maskHold/maskRoute/maskRejoin: where row r's mask
// at step k is 0, h[k] = h[k-1] (and c); backward its gradient goes to h[k-1] around the cell.

/** Forward, after step k (1-based): rows masked at k copy h[k-1] (and c[k-1]) over what the cell wrote. */
export function maskHold(c: LayerCall, k: number): void {
  const v = c.mask;
  if (!v) return;
  const { B, H } = c, BH = B * H;
  for (let r = 0; r < B; r++) {
    if (v.m[v.m0 + (k - 1) * v.ms + r] !== 0) continue;
    c.hs.copyWithin(k * BH + r * H, (k - 1) * BH + r * H, (k - 1) * BH + (r + 1) * H);
    if (c.cs.length) c.cs.copyWithin(k * BH + r * H, (k - 1) * BH + r * H, (k - 1) * BH + (r + 1) * H);
  }
}

/** Backward, before step k: rows masked at k set dh[k] + carry (and the cell carry at cc ≥ 0 in w) aside and zero them. */
export function maskRoute(c: LayerCall, k: number, w: Float64Array, carry: number, cc = -1): void {
  const v = c.mask;
  if (!v) return;
  const { B, H, dh } = c, BH = B * H, d = (k - 1) * BH;
  for (let r = 0; r < B; r++) {
    if (v.m[v.m0 + (k - 1) * v.ms + r] !== 0) continue;
    for (let e = r * H; e < (r + 1) * H; e++) {
      v.save[e] = dh[d + e]! + w[carry + e]!;
      if (cc >= 0) v.save[BH + e] = w[cc + e]!;
      dh[d + e] = w[carry + e] = 0;
      if (cc >= 0) w[cc + e] = 0;
    }
  }
}

/** Backward, after step k's time carry: rows masked at k carry on what maskRoute set aside (nothing past a truncation edge, `cut`). */
export function maskRejoin(c: LayerCall, k: number, w: Float64Array, carry: number, cc: number, cut: boolean): void {
  const v = c.mask;
  if (!v || cut) return;
  const { B, H } = c, BH = B * H;
  for (let r = 0; r < B; r++) {
    if (v.m[v.m0 + (k - 1) * v.ms + r] !== 0) continue;
    for (let e = r * H; e < (r + 1) * H; e++) {
      w[carry + e] = v.save[e]!;
      if (cc >= 0) w[cc + e] = v.save[BH + e]!;
    }
  }
}

/** act(v). */
export function act1(a: GateActivation, v: number): number {
  if (a === 'tanh') return Math.tanh(v);
  if (a === 'sigmoid') return 1 / (1 + Math.exp(-v));
  if (a === 'relu') return Math.max(v, 0);
  if (a === 'hardSigmoid') return Math.min(Math.max(0.2 * v + 0.5, 0), 1);
  return v;
}

/** act′ written through the output y = act(v). */
export function dAct(a: GateActivation, y: number): number {
  if (a === 'tanh') return 1 - y * y;
  if (a === 'sigmoid') return y * (1 - y);
  if (a === 'relu') return y > 0 ? 1 : 0;
  if (a === 'hardSigmoid') return y > 0 && y < 1 ? 0.2 : 0;
  return 1;
}

/** out[o0 + r·N + n] = Σi in[i0 + r·M + i]·W[w0 + i·ldw + n] (+ out when acc), for B rows: the row products of every layer. */
export function rowsTimes(
  B: number, M: number, N: number, inp: ArrayLike<number>, i0: number, ldi: number,
  W: ArrayLike<number>, w0: number, ldw: number, out: Float64Array, o0: number, ldo: number,
): void {
  for (let r = 0; r < B; r++) {
    for (let i = 0; i < M; i++) {
      const v = inp[i0 + r * ldi + i]!;
      if (v === 0) continue;
      for (let n = 0; n < N; n++) out[o0 + r * ldo + n]! += v * W[w0 + i * ldw + n]!;
    }
  }
}

/** g[g0 + i·ldg + n] += Σr a[a0 + r·lda + i]·d[d0 + r·ldd + n]: the weight gradient of rowsTimes. */
export function gradTimes(
  B: number, M: number, N: number, a: ArrayLike<number>, a0: number, lda: number,
  d: ArrayLike<number>, d0: number, ldd: number, g: Float64Array, g0: number, ldg: number,
): void {
  for (let r = 0; r < B; r++) {
    for (let i = 0; i < M; i++) {
      const v = a[a0 + r * lda + i]!;
      for (let n = 0; n < N; n++) g[g0 + i * ldg + n]! += v * d[d0 + r * ldd + n]!;
    }
  }
}

/** out[o0 + r·M + i] (+)= Σn d[d0 + r·ldd + n]·W[w0 + i·ldw + n]: rowsTimes backwards through Wᵀ. */
export function rowsTimesT(
  B: number, M: number, N: number, d: ArrayLike<number>, d0: number, ldd: number,
  W: ArrayLike<number>, w0: number, ldw: number, out: Float64Array, o0: number, ldo: number, acc: boolean,
): void {
  for (let r = 0; r < B; r++) {
    for (let i = 0; i < M; i++) {
      let s = acc ? out[o0 + r * ldo + i]! : 0;
      for (let n = 0; n < N; n++) s += d[d0 + r * ldd + n]! * W[w0 + i * ldw + n]!;
      out[o0 + r * ldo + i] = s;
    }
  }
}
