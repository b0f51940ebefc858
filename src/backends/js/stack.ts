// A stacked recurrent network on the plain-TypeScript backend: the layers' forward passes bottom-up,
// the head's loss, then the layers' backward passes top-down, each layer's dx the dh of the one below.
// Float64 throughout: with float64 params and data this is the float64 reference of the stacks.

import { CELL_SPECS } from '../../cells/index.js';
import type { StackDims, StateFlow, StateRows } from '../../stack-spec.js';
import { stackOffsets } from '../../stack-spec.js';
import type { LossSpec } from '../../losses.js';
import { embeddingBackward, embeddingForward } from './embedding.js';
import { headForward, headLossGrad, type BatchWeights, type HeadCall } from './head.js';
import type { LayerCall } from './layer.js';

/** Where one batch lives in time-major arrays: sample 0 of step k at x[x0 + k·xs] (rows of I), targets likewise at t[t0 + k·ts]. */
export interface StackBatch {
  readonly x: ArrayLike<number>;
  readonly x0: number;
  readonly xs: number;
  readonly t: ArrayLike<number>;
  readonly t0: number;
  readonly ts: number;
  readonly B: number;
  readonly T: number;
  /** The batch's step mask (step k's B values at m[m0 + k·ms]) and sample weights (at sw[sw0]), either null; absent: none. */
  readonly weights?: BatchWeights;
}

interface Scratch {
  hs: Float64Array;
  cs: Float64Array;
  work: Float64Array;
  dh: Float64Array;
  /** The mask's scratch [2][maxB][H]. */
  save: Float64Array;
}

/** Scratch for batches of up to maxB samples of T steps, reused across calls. */
export class JsStack {
  private readonly scratch: Scratch[];
  private readonly dz: Float64Array;
  /** The embedding's vectors e and their gradients de [T][maxB][dim], when the inputs are token ids. */
  private readonly emb: { e: Float64Array; de: Float64Array } | undefined;

  /** The float64 values the constructor allocates for these sizes, counted in float64 (exact far past 2^32). */
  static floats(d: StackDims, maxB: number, T: number): number {
    return d.layers.reduce((sum, l, i) => {
      const inputs = i === 0 ? d.I : d.layers[i - 1]!.units, n = (T + 1) * maxB * l.units;
      return sum + n * (CELL_SPECS[l.cell].cellState ? 2 : 1) + CELL_SPECS[l.cell].work(maxB, T, inputs, l.units) + (T + 2) * maxB * l.units;
    }, T * maxB * d.O + 2 * T * maxB * (d.embedding?.dim ?? 0));
  }

  constructor(readonly d: StackDims, readonly maxB: number, readonly T: number) {
    this.scratch = d.layers.map((l, i) => {
      const inputs = i === 0 ? d.I : d.layers[i - 1]!.units, n = (T + 1) * maxB * l.units;
      return {
        hs: new Float64Array(n),
        cs: new Float64Array(CELL_SPECS[l.cell].cellState ? n : 0),
        work: new Float64Array(CELL_SPECS[l.cell].work(maxB, T, inputs, l.units)),
        dh: new Float64Array(T * maxB * l.units),
        save: new Float64Array(2 * maxB * l.units),
      };
    });
    this.dz = new Float64Array(T * maxB * d.O);
    const D = d.embedding?.dim;
    this.emb = D ? { e: new Float64Array(T * maxB * D), de: new Float64Array(T * maxB * D) } : undefined;
  }

  private call(i: number, v: StackBatch, p: ArrayLike<number>, g: Float64Array, window: number): LayerCall {
    const { d } = this, l = d.layers[i]!, s = this.scratch[i]!, o = stackOffsets(d).layers[i]!;
    const below = i === 0 ? null : this.scratch[i - 1]!;
    const I = o.inputs;
    // With token ids in, the first layer reads the looked-up vectors and writes their gradients for the scatter-add.
    const emb = i === 0 ? this.emb : undefined;
    return {
      T: v.T, B: v.B, I, H: l.units, act: l.activation, recAct: l.recurrentActivation, resetAfter: l.resetAfter, window,
      x: below ? below.hs : emb ? emb.e : v.x, x0: below ? v.B * I : emb ? 0 : v.x0, xs: below || emb ? v.B * I : v.xs,
      hs: s.hs, cs: s.cs, p, p0: o.kernel, g, g0: o.kernel, work: s.work, dh: s.dh, dx: below ? below.dh : emb && g.length ? emb.de : null,
      ...(v.weights?.m && { mask: { m: v.weights.m, m0: v.weights.m0, ms: v.weights.ms, save: s.save } }),
    };
  }

  private head(v: StackBatch, p: ArrayLike<number>, loss?: LossSpec): HeadCall {
    const { d } = this, top = d.layers[d.layers.length - 1]!, w = v.weights;
    const call = { T: v.T, B: v.B, H: top.units, O: d.O, outAct: d.outAct, seq: d.seq, hs: this.scratch[d.layers.length - 1]!.hs, h0: v.B * top.units, p, p0: stackOffsets(d).head };
    if (!w || !loss) return call;
    // Keras's rule: the mask of a many-to-one model ends at the layer; only a sequence's loss is masked.
    const m = d.seq ? w.m : null;
    return { ...call, weighting: { m, m0: w.m0, ms: w.ms, sw: w.sw, sw0: w.sw0, norm: loss.mean === 'none' ? 0 : v.B * (d.seq ? v.T : 1) } };
  }

  /** e = E[ids] for T steps of the batch (nothing without an embedding). */
  private embed(v: StackBatch, x0: number, T: number, p: ArrayLike<number>): void {
    const e = this.d.embedding;
    if (e) embeddingForward(v.x, x0, v.xs, v.B, T, p, stackOffsets(this.d).embedding, e.dim, this.emb!.e);
  }

  private forward(v: StackBatch, p: ArrayLike<number>, g: Float64Array, window: number, flow?: StateFlow): LayerCall[] {
    const calls: LayerCall[] = [];
    this.embed(v, v.x0, v.T, p);
    this.d.layers.forEach((l, i) => {
      const c = this.call(i, v, p, g, window);
      this.start(i, v.B, flow?.from ?? null);
      CELL_SPECS[l.cell].js.forward(c);
      calls.push(c);
    });
    if (flow?.to) this.rows(v.B, v.T, flow.to, true);
    return calls;
  }

  /** Layer i's hs[0] (cs[0]) of B rows from `from`, or zeros. */
  private start(i: number, B: number, from: StateRows | null): void {
    const s = this.scratch[i]!, n = B * this.d.layers[i]!.units;
    if (from) s.hs.set(from.h[i]!.subarray(0, n));
    else s.hs.fill(0, 0, n);
    if (s.cs.length > 0 && from?.c[i]) s.cs.set(from.c[i]!.subarray(0, n));
    else s.cs.fill(0, 0, n);
  }

  /** Every layer's states at step k (B rows) into `to`, or (out = false) `to` into them. */
  private rows(B: number, k: number, to: StateRows, out: boolean): void {
    this.d.layers.forEach((l, i) => {
      const s = this.scratch[i]!, n = B * l.units;
      for (const [mine, theirs] of [[s.hs, to.h[i]], [s.cs, to.c[i]]] as const) {
        if (!theirs || mine.length === 0) continue;
        if (out) theirs.set(mine.subarray(k * n, (k + 1) * n));
        else mine.set(theirs.subarray(0, n), k * n);
      }
    });
  }

  /** Each layer's ∂L/∂h[0] (∂L/∂c[0]), the backward carry after step 1, into d0 (B rows). */
  private carries(B: number, T: number, d0: StateRows): void {
    this.d.layers.forEach((l, i) => {
      const w = this.scratch[i]!.work, n = B * l.units, at = CELL_SPECS[l.cell].carry(B, T, l.units, (m) => m);
      d0.h[i]!.set(w.subarray(at.h, at.h + n));
      if (at.c !== undefined && d0.c[i]) d0.c[i]!.set(w.subarray(at.c, at.c + n));
    });
  }

  /** Outputs y [Tout][B][O] of one batch (the targets are not read); states flow as `flow` says. */
  predict(v: StackBatch, p: ArrayLike<number>, y: Float32Array | Float64Array, flow?: StateFlow): void {
    this.forward(v, p, new Float64Array(0), 0, flow);
    headForward(this.head(v, p), y);
  }

  /** The states `step` carries (maxB streams) into `to`, or (load) from it. */
  stepState(to: StateRows, load: boolean): void {
    this.rows(this.maxB, 0, to, !load);
  }

  /** Advance maxB independent streams by one step: x [maxB][I] at x[x0], outputs into y [maxB][O]; states carried in the scratch. */
  step(x: ArrayLike<number>, x0: number, p: ArrayLike<number>, y: Float32Array | Float64Array): void {
    const B = this.maxB, none = new Float64Array(0);
    const v: StackBatch = { x, x0, xs: 0, t: none, t0: 0, ts: 0, B, T: 1 };
    this.embed(v, x0, 1, p);
    this.d.layers.forEach((l, i) => {
      const c = { ...this.call(i, v, p, none, 0), x0: i === 0 && !this.emb ? x0 : 0 }; // the layer below's state is its input
      CELL_SPECS[l.cell].js.step(c);
    });
    headForward({ ...this.head(v, p), h0: 0, seq: true }, y);
  }

  /** Zero the carried state of one stream, or of all. */
  resetState(stream?: number): void {
    this.d.layers.forEach((l, i) => {
      const s = this.scratch[i]!, H = l.units;
      const from = stream === undefined ? 0 : stream * H, to = stream === undefined ? this.maxB * H : from + H;
      s.hs.fill(0, from, to);
      s.cs.fill(0, from, to);
    });
  }

  /** Loss (scaled by s) of one batch; when g is given, overwrites it with ∂L/∂params. */
  lossGrad(v: StackBatch, loss: LossSpec, s: number, window: number, p: ArrayLike<number>, g: Float64Array | null, flow?: StateFlow): number {
    const acc = g ?? new Float64Array(0);
    const calls = this.forward(v, p, acc, window, flow);
    const top = this.scratch[this.scratch.length - 1]!;
    const L = headLossGrad(this.head(v, p, loss), loss, s, v.t, v.t0, v.ts, this.dz, g, stackOffsets(this.d).head, g ? top.dh : null);
    if (!g) return L;
    g.fill(0, 0, stackOffsets(this.d).head);
    for (let i = calls.length - 1; i >= 0; i--) CELL_SPECS[this.d.layers[i]!.cell].js.backward(calls[i]!);
    const e = this.d.embedding;
    if (e) embeddingBackward(v.x, v.x0, v.xs, v.B, v.T, g, stackOffsets(this.d).embedding, e.dim, this.emb!.de);
    if (flow?.d0) this.carries(v.B, v.T, flow.d0);
    return L;
  }
}
