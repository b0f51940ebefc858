// A stacked recurrent network on the plain-TypeScript backend: the layers' forward passes bottom-up,
// the head's loss, then the layers' backward passes top-down, each layer's dx the dh of the one below
// (wired by src/stack-wiring.ts: a RepeatVector's sum over steps, a bidirectional layer's two copies).
// Float64 throughout: with float64 params and data this is the float64 reference of the stacks.

import { CELL_SPECS } from '../../cells/index.js';
import type { StackDims, StateFlow, StateRows } from '../../stack-spec.js';
import { stackOffsets } from '../../stack-spec.js';
import { outputSteps, planFloats, stackPlan, type LayerPlan } from '../../stack-wiring.js';
import type { LossSpec } from '../../losses.js';
import { embeddingBackward, embeddingForward } from './embedding.js';
import { headForward, headLossGrad, type BatchWeights, type HeadCall } from './head.js';
import type { LayerCall } from './layer.js';
import { addReversed, biMerge, biSplit, sumSteps } from './wiring.js';

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

/** One copy of a layer's cell: its states, scratch and dh. */
interface Dir {
  hs: Float64Array;
  cs: Float64Array;
  work: Float64Array;
  dh: Float64Array;
  /** The mask's scratch [2][maxB][H]. */
  save: Float64Array;
}

/** One layer's scratch (src/stack-wiring.ts sizes it): one or two copies, the merged outputs, the wiring's dx. */
interface Scratch {
  plan: LayerPlan;
  dirs: Dir[];
  y: Float64Array;
  dy: Float64Array;
  dxr: Float64Array;
  dxs: Float64Array;
}

/** Where a layer's outputs [Tout][B][W] lie, and where the layer above (or the head) writes their gradients. */
interface Outputs {
  buf: Float64Array;
  at: number;
  grad: Float64Array;
}

/** Scratch for batches of up to maxB samples of T steps, reused across calls. */
export class JsStack {
  private readonly scratch: Scratch[];
  private readonly dz: Float64Array;
  private readonly offsets: ReturnType<typeof stackOffsets>;
  /** The embedding's vectors e and their gradients de [T][maxB][dim], when the inputs are token ids. */
  private readonly emb: { e: Float64Array; de: Float64Array } | undefined;

  /** The float64 values the constructor allocates for these sizes, counted in float64 (exact far past 2^32). */
  static floats(d: StackDims, maxB: number, T: number): number {
    return planFloats(stackPlan(d, maxB, T)) + outputSteps(d, T) * maxB * d.O + 2 * T * maxB * (d.embedding?.dim ?? 0);
  }

  constructor(readonly d: StackDims, readonly maxB: number, readonly T: number) {
    this.offsets = stackOffsets(d);
    this.scratch = stackPlan(d, maxB, T).map((plan, i) => {
      const n = (plan.T + 1) * maxB * plan.H, cell = CELL_SPECS[d.layers[i]!.cell];
      const dirs = Array.from({ length: plan.dirs }, () => ({
        hs: new Float64Array(n),
        cs: new Float64Array(cell.cellState ? n : 0),
        work: new Float64Array(plan.work),
        dh: new Float64Array(plan.dh),
        save: new Float64Array(plan.save),
      }));
      return { plan, dirs, y: new Float64Array(plan.y), dy: new Float64Array(plan.y), dxr: new Float64Array(plan.dxr), dxs: new Float64Array(plan.dxs) };
    });
    this.dz = new Float64Array(outputSteps(d, T) * maxB * d.O);
    const D = d.embedding?.dim;
    this.emb = D ? { e: new Float64Array(T * maxB * D), de: new Float64Array(T * maxB * D) } : undefined;
  }

  /** Layer i's outputs for a batch of B: the merged ones, its states from h[1] (every step), or its last state alone. */
  private outputs(i: number, B: number): Outputs {
    const s = this.scratch[i]!, { T, Tout, H } = s.plan, f = s.dirs[0]!;
    if (s.plan.dirs === 2) return { buf: s.y, at: 0, grad: s.dy };
    return { buf: f.hs, at: (T - Tout + 1) * B * H, grad: Tout === 1 ? f.dh.subarray((T - 1) * B * H) : f.dh };
  }

  /** Where layer i reads its input (the layer below's outputs, the embedding's vectors, or the batch) and where its dx goes (null: nowhere). */
  private input(i: number, v: StackBatch, g: Float64Array): { x: ArrayLike<number>; x0: number; xs: number; grad: Float64Array | null } {
    const I = this.scratch[i]!.plan.I, below = i === 0 ? null : this.outputs(i - 1, v.B);
    // RepeatVector reads the one row below at every step: a stride of 0.
    if (below) return { x: below.buf, x0: below.at, xs: this.d.layers[i]!.repeat !== undefined ? 0 : v.B * I, grad: below.grad };
    // With token ids in, the first layer reads the looked-up vectors and writes their gradients for the scatter-add.
    if (this.emb) return { x: this.emb.e, x0: 0, xs: v.B * I, grad: g.length ? this.emb.de : null };
    return { x: v.x, x0: v.x0, xs: v.xs, grad: null };
  }

  /** The call of copy r of layer i (r = 1: the backward copy, reading its input from the last step back). */
  private call(i: number, r: number, v: StackBatch, p: ArrayLike<number>, g: Float64Array, window: number): LayerCall {
    const { d } = this, l = d.layers[i]!, s = this.scratch[i]!, o = this.offsets.layers[i]!, dir = s.dirs[r]!;
    const { T, I } = s.plan, B = v.B, inp = this.input(i, v, g);
    let { x0, xs } = inp;
    if (r === 1) [x0, xs] = [x0 + (T - 1) * xs, -xs];
    const dx = !inp.grad ? null : r === 1 ? s.dxr : l.repeat !== undefined ? s.dxs : inp.grad;
    const w0 = r === 1 ? o.backward! : o.kernel;
    return {
      T, B, I, H: l.units, act: l.activation, recAct: l.recurrentActivation, resetAfter: l.resetAfter, window,
      x: inp.x, x0, xs, hs: dir.hs, cs: dir.cs, p, p0: w0, g, g0: w0, work: dir.work, dh: dir.dh, dx,
      ...(v.weights?.m && { mask: { m: v.weights.m, m0: v.weights.m0, ms: v.weights.ms, save: dir.save } }),
    };
  }

  private head(v: StackBatch, p: ArrayLike<number>, loss?: LossSpec): HeadCall {
    const { d } = this, top = this.scratch[d.layers.length - 1]!.plan, out = this.outputs(d.layers.length - 1, v.B), w = v.weights;
    // A many-to-one top layer hands up its last state alone: the head reads it as one step.
    const call = { T: top.Tout, B: v.B, H: top.W, O: d.O, outAct: d.outAct, seq: d.seq, hs: out.buf, h0: out.at, p, p0: this.offsets.head };
    if (!w || !loss) return call;
    // Keras's rule: the mask of a many-to-one model ends at the layer; only a sequence's loss is masked.
    const m = d.seq ? w.m : null;
    return { ...call, weighting: { m, m0: w.m0, ms: w.ms, sw: w.sw, sw0: w.sw0, norm: loss.mean === 'none' ? 0 : v.B * outputSteps(d, v.T) } };
  }

  /** e = E[ids] for T steps of the batch (nothing without an embedding). */
  private embed(v: StackBatch, x0: number, T: number, p: ArrayLike<number>): void {
    const e = this.d.embedding;
    if (e) embeddingForward(v.x, x0, v.xs, v.B, T, p, this.offsets.embedding, e.dim, this.emb!.e);
  }

  private forward(v: StackBatch, p: ArrayLike<number>, g: Float64Array, window: number, flow?: StateFlow): LayerCall[][] {
    this.embed(v, v.x0, v.T, p);
    const calls = this.d.layers.map((l, i) => {
      const s = this.scratch[i]!, { T, H } = s.plan, BH = v.B * H;
      const calls = s.dirs.map((dir, r) => {
        const c = this.call(i, r, v, p, g, window);
        // States flow into the one-copy layers only (the model refuses state for wired stacks); else zero.
        if (r === 0) this.start(i, v.B, flow?.from ?? null);
        else (dir.hs.fill(0, 0, BH), dir.cs.fill(0, 0, BH));
        CELL_SPECS[l.cell].js.forward(c);
        return c;
      });
      if (s.plan.dirs === 2) {
        const last = s.plan.Tout === 1 ? T : 1;
        biMerge(s.y, s.dirs[0]!.hs.subarray(last * BH), s.dirs[1]!.hs.subarray(last * BH), s.plan.Tout, v.B, H, l.merge === 'concat');
      }
      return calls;
    });
    if (flow?.to) this.rows(v.B, v.T, flow.to, true);
    return calls;
  }

  /** Backward through layer i after the layer above (or the head) wrote its outputs' gradients. */
  private backward(i: number, calls: LayerCall[], B: number): void {
    const l = this.d.layers[i]!, s = this.scratch[i]!, { T, Tout, H, I } = s.plan, BH = B * H;
    if (s.plan.dirs === 2) {
      for (const dir of s.dirs) dir.dh.fill(0, 0, T * BH);
      const last = Tout === 1 ? T - 1 : 0;
      biSplit(s.dy, s.dirs[0]!.dh.subarray(last * BH), s.dirs[1]!.dh.subarray(last * BH), Tout, B, H, l.merge === 'concat');
    }
    for (const c of calls) CELL_SPECS[l.cell].js.backward(c);
    const dx = calls[0]!.dx;
    if (!dx) return; // the first layer over real-valued inputs has no dx
    if (s.plan.dirs === 2) addReversed(dx, s.dxr, T, B * I);
    if (l.repeat !== undefined) sumSteps(this.outputs(i - 1, B).grad, s.dxs, T, B * I);
  }

  /** Layer i's hs[0] (cs[0]) of B rows from `from`, or zeros. */
  private start(i: number, B: number, from: StateRows | null): void {
    const s = this.scratch[i]!.dirs[0]!, n = B * this.d.layers[i]!.units;
    if (from) s.hs.set(from.h[i]!.subarray(0, n));
    else s.hs.fill(0, 0, n);
    if (s.cs.length > 0 && from?.c[i]) s.cs.set(from.c[i]!.subarray(0, n));
    else s.cs.fill(0, 0, n);
  }

  /** Every layer's states at step k (B rows) into `to`, or (out = false) `to` into them. */
  private rows(B: number, k: number, to: StateRows, out: boolean): void {
    this.d.layers.forEach((l, i) => {
      const s = this.scratch[i]!.dirs[0]!, n = B * l.units;
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
      const w = this.scratch[i]!.dirs[0]!.work, n = B * l.units, at = CELL_SPECS[l.cell].carry(B, T, l.units, (m) => m);
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
      const c = { ...this.call(i, 0, v, p, none, 0), x0: i === 0 && !this.emb ? x0 : 0 }; // the layer below's state is its input
      CELL_SPECS[l.cell].js.step(c);
    });
    headForward({ ...this.head(v, p), h0: 0, seq: true }, y);
  }

  /** Zero the carried state of one stream, or of all. */
  resetState(stream?: number): void {
    this.d.layers.forEach((l, i) => {
      const s = this.scratch[i]!.dirs[0]!, H = l.units;
      const from = stream === undefined ? 0 : stream * H, to = stream === undefined ? this.maxB * H : from + H;
      s.hs.fill(0, from, to);
      s.cs.fill(0, from, to);
    });
  }

  /** Loss (scaled by s) of one batch; when g is given, overwrites it with ∂L/∂params. */
  lossGrad(v: StackBatch, loss: LossSpec, s: number, window: number, p: ArrayLike<number>, g: Float64Array | null, flow?: StateFlow): number {
    const acc = g ?? new Float64Array(0);
    const calls = this.forward(v, p, acc, window, flow);
    // A layer that hands up its last state alone gets one row of dh: the rows before stay zero (the twins read every row).
    for (const sc of this.scratch) if (sc.plan.dirs === 1 && sc.plan.Tout === 1) sc.dirs[0]!.dh.fill(0);
    const top = this.outputs(calls.length - 1, v.B);
    const L = headLossGrad(this.head(v, p, loss), loss, s, v.t, v.t0, v.ts, this.dz, g, this.offsets.head, g ? top.grad : null);
    if (!g) return L;
    g.fill(0, 0, this.offsets.head);
    for (let i = calls.length - 1; i >= 0; i--) this.backward(i, calls[i]!, v.B);
    const e = this.d.embedding;
    if (e) embeddingBackward(v.x, v.x0, v.xs, v.B, v.T, g, this.offsets.embedding, e.dim, this.emb!.de);
    if (flow?.d0) this.carries(v.B, v.T, flow.d0);
    return L;
  }
}
