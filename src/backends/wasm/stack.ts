// A stacked recurrent network in WebAssembly memory: one layer block per layer (src/abi/gated.ts)
// pointing at its states, scratch and dh, one head block, all allocated once for batches of up to
// maxB samples of T steps. Training calls run the layers' forward kernels bottom-up, the head's
// loss kernel, then the layers' backward kernels top-down (each layer's dx is the dh of the one below,
// wired by src/stack-wiring.ts: a RepeatVector's sum over steps, a bidirectional layer's two copies).

import * as C from '../../abi/codes.js';
import * as W from '../../abi/gated.js';
import { CELL_SPECS } from '../../cells/index.js';
import { DisposedError, ShapeError } from '../../errors.js';
import type { GateActivation, StackDims, StateFlow, StateRows } from '../../stack-spec.js';
import { up4 } from '../../cells/spec.js';
import { stackOffsets } from '../../stack-spec.js';
import { LOSS_SPECS, type LossSpec } from '../../losses.js';
import { outputSteps, stackPlan, type LayerPlan } from '../../stack-wiring.js';
import { core, type Core } from './core.js';

/** Activation codes of the core. */
export const ACT_CODES: Readonly<Record<GateActivation, number>> = {
  linear: C.ACT_LINEAR, tanh: C.ACT_TANH, relu: C.ACT_RELU, sigmoid: C.ACT_SIGMOID, hardSigmoid: C.ACT_HARD_SIGMOID,
};
const OUT_CODES = { linear: C.OUT_LINEAR, sigmoid: C.OUT_SIGMOID, softmax: C.OUT_SOFTMAX } as const;

/** One copy of a layer's cell in the core: its block, states, scratch and dh (byte offsets). */
interface LayerMem {
  blk: number;
  hs: number;
  cs: number;
  work: number;
  dh: number;
  /** The mask's scratch f32[2][maxB][H] (gradients routed around masked steps). */
  mwork: number;
}

/** One layer: its copies (two when bidirectional), the merged outputs and their gradients, the wiring's dx (src/stack-wiring.ts). */
interface Layer {
  plan: LayerPlan;
  dirs: LayerMem[];
  y: number;
  dy: number;
  dxr: number;
  dxs: number;
}

/**
 * Where a batch's step mask and sample weights sit (byte offsets into the core, 0 = none): step k's
 * B mask values at mask + k·ms floats, the weights f32[B] at sw.
 */
export interface Weighting {
  readonly mask: number;
  readonly ms: number;
  readonly sw: number;
}

/** No mask, every weight 1: the unmasked path. */
export const UNWEIGHTED: Weighting = { mask: 0, ms: 0, sw: 0 };

/** States, scratch and blocks of a stack for up to maxB samples of T steps (T = 1 with `step` for stepping). */
export class WasmStack {
  private readonly core: Core;
  /** Each layer's cell code (src/abi/cells.ts). */
  private readonly codes: number[];
  /** Where each layer's and the head's weights sit in the flat params, computed once. */
  private readonly offsets: ReturnType<typeof stackOffsets>;
  private readonly blocks: number[];
  private readonly mem: Layer[];
  private readonly head: { blk: number; y: number; work: number; out: number };
  /** The embedding's vectors e and their gradients de, f32[T][maxB][dim] each, when the inputs are token ids. */
  private readonly emb: { e: number; de: number } | undefined;
  /** The ids and params of the last setup, for the embedding's kernels: byte offsets and the ids' step stride. */
  private call = { x: 0, xs: 0, B: 0, T: 0, p: 0 };
  private disposed = false;
  /** Input steps of the call the blocks were last written for. */
  private callT = 0;

  /** `c`: the core whose memory the stack lives in (a thread pool's, for threaded placements). */
  constructor(readonly d: StackDims, readonly maxB: number, readonly T: number, argument = 'batchSize', c: Core = core()) {
    this.core = c;
    const e = this.core.exports;
    this.codes = d.layers.map((l) => CELL_SPECS[l.cell].code);
    const sizes: number[] = [];
    this.offsets = stackOffsets(d);
    const plans = stackPlan(d, maxB, T);
    plans.forEach((plan, i) => {
      const n = (plan.T + 1) * maxB * plan.H * 4, cellState = CELL_SPECS[d.layers[i]!.cell].cellState;
      for (let r = 0; r < plan.dirs; r++) sizes.push(W.L_WORDS * 4, n, cellState ? n : 0, plan.work * 4, plan.dh * 4, plan.save * 4);
      sizes.push(plan.y * 4, plan.y * 4, plan.dxr * 4, plan.dxs * 4);
    });
    const top = plans[plans.length - 1]!;
    sizes.push(W.HD_WORDS * 4, outputSteps(d, T) * maxB * d.O * 4, e.headWorkFloats(top.W, d.O) * 4, 8);
    if (d.embedding) sizes.push(T * maxB * d.embedding.dim * 4, T * maxB * d.embedding.dim * 4);
    this.blocks = this.core.arena.allocAll(sizes, argument);
    let at = 0;
    const next = () => this.blocks[at++]!;
    this.mem = plans.map((plan, i) => {
      const dirs = Array.from({ length: plan.dirs }, () => {
        const [blk, hs, cs, work, dh, mwork] = [next(), next(), next(), next(), next(), next()];
        return { blk, hs, cs: CELL_SPECS[d.layers[i]!.cell].cellState ? cs : 0, work, dh, mwork };
      });
      return { plan, dirs, y: next(), dy: next(), dxr: next(), dxs: next() };
    });
    this.head = { blk: next(), y: next(), work: next(), out: next() };
    this.emb = d.embedding ? { e: next(), de: next() } : undefined;
  }

  /** Layer i's outputs for a batch of B (byte offset; rows of B·W), and where the layer above or the head writes their gradients. */
  private outputs(i: number, B: number): { at: number; grad: number } {
    const m = this.mem[i]!, T = this.layerT(i, this.callT), Tout = m.plan.Tout === 1 ? 1 : T, H = m.plan.H, f = m.dirs[0]!;
    if (m.plan.dirs === 2) return { at: m.y, grad: m.dy };
    // Every step from h[1], or the last state alone (its gradient one row, from L_DH_FROM).
    return { at: f.hs + (T - Tout + 1) * B * H * 4, grad: f.dh + (T - Tout) * B * H * 4 };
  }

  /** Write every block for a call on B samples of T steps with x at byte offset x (step stride xs floats). */
  private setup(x: number, xs: number, B: number, T: number, window: number, p: number, g: number): void {
    const { i32 } = this.core.arena;
    this.callT = T;
    const offs = this.offsets.layers;
    this.call = { x, xs, B, T, p };
    for (let i = 0; i < this.mem.length; i++) {
      const l = this.d.layers[i]!, m = this.mem[i]!, below = i === 0 ? null : this.outputs(i - 1, B);
      // The first layer runs the call's T; the others their plan's (a RepeatVector's n), the same as T without one.
      const { I, Tout } = m.plan, lT = this.layerT(i, T);
      // With token ids in, the first layer reads the looked-up vectors and writes their gradients de for the scatter-add.
      const inp = below ?? (this.emb ? { at: this.emb.e, grad: g ? this.emb.de : 0 } : null);
      m.dirs.forEach((dir, r) => {
        const w = dir.blk >>> 2;
        // RepeatVector reads the one row below at every step (stride 0); the backward copy reads from the last step back.
        let x0 = inp ? inp.at : x, s0 = inp ? (l.repeat !== undefined ? 0 : B * I) : xs;
        if (r === 1) [x0, s0] = [x0 + (lT - 1) * s0 * 4, -s0];
        i32[w + W.L_T] = lT;
        i32[w + W.L_B] = B;
        i32[w + W.L_I] = I;
        i32[w + W.L_H] = l.units;
        i32[w + W.L_ACT] = ACT_CODES[l.activation];
        i32[w + W.L_REC_ACT] = ACT_CODES[l.recurrentActivation];
        i32[w + W.L_RESET_AFTER] = l.resetAfter ? 1 : 0;
        i32[w + W.L_WINDOW] = window;
        i32[w + W.L_X] = x0;
        i32[w + W.L_XS] = s0;
        i32[w + W.L_HS] = dir.hs;
        i32[w + W.L_CS] = dir.cs;
        i32[w + W.L_P] = p + (r === 1 ? offs[i]!.backward! : offs[i]!.kernel) * 4;
        i32[w + W.L_G] = g + (r === 1 ? offs[i]!.backward! : offs[i]!.kernel) * 4;
        i32[w + W.L_WORK] = dir.work;
        i32[w + W.L_DH] = dir.dh;
        i32[w + W.L_DX] = !inp?.grad ? 0 : r === 1 ? m.dxr : l.repeat !== undefined ? m.dxs : inp.grad;
        // A layer that hands up its last state alone gets dh at its last step only; the layers below get dx at every step.
        i32[w + W.L_DH_FROM] = Tout === 1 ? lT - 1 : 0;
        i32[w + W.L_MASK] = 0;
        i32[w + W.L_MWORK] = dir.mwork;
      });
    }
  }

  /** e = E[ids] for the last setup's batch (nothing without an embedding). */
  private embed(T: number): void {
    const emb = this.d.embedding, c = this.call;
    if (emb) this.core.exports.embeddingForward(c.x, c.xs, c.B, T, c.p + this.offsets.embedding * 4, emb.vocab, emb.dim, this.emb!.e);
  }

  /** Point every block at a batch's mask and weights: every layer holds its state at masked steps; a sequence head skips their loss, and weighs its rows (norm: the rows a mean loss averages over, 0 for a sum). */
  private setupWeighting(v: Weighting, norm: number): void {
    const { i32 } = this.core.arena;
    for (const dir of this.mem.flatMap((m) => m.dirs)) {
      i32[(dir.blk >>> 2) + W.L_MASK] = v.mask;
      i32[(dir.blk >>> 2) + W.L_MS] = v.ms;
    }
    const h = this.head.blk >>> 2;
    // Keras's rule: the mask of a many-to-one model ends at the layer; only a sequence's loss is masked.
    i32[h + W.HD_MASK] = this.d.seq ? v.mask : 0;
    i32[h + W.HD_MS] = v.ms;
    i32[h + W.HD_SW] = v.sw;
    i32[h + W.HD_NORM] = norm;
  }

  private setupHead(B: number, T: number, p: number, g: number, t: number, ts: number, loss: LossSpec, s: number): void {
    const { i32, f32 } = this.core.arena;
    const { d } = this, top = this.mem.length - 1, m = this.mem[top]!, W0 = m.plan.W, lT = this.layerT(top, T);
    // The head reads a one-copy top layer's states from h[1] (a many-to-one head their last, as the
    // threads core expects), a bidirectional one's merged outputs (every step, or the last alone).
    const bi = m.plan.dirs === 2, f = m.dirs[0]!;
    const out = bi ? { at: m.y, grad: m.dy } : { at: f.hs + B * m.plan.H * 4, grad: f.dh };
    const w = this.head.blk >>> 2;
    i32[w + W.HD_T] = bi && !d.seq ? 1 : lT;
    i32[w + W.HD_B] = B;
    i32[w + W.HD_H] = W0;
    i32[w + W.HD_O] = d.O;
    i32[w + W.HD_OUT_ACT] = OUT_CODES[d.outAct];
    i32[w + W.HD_LOSS] = loss.code;
    i32[w + W.HD_SEQ] = d.seq ? 1 : 0;
    f32[w + W.HD_SCALE] = s;
    i32[w + W.HD_HS] = out.at;
    i32[w + W.HD_P] = p + this.offsets.head * 4;
    i32[w + W.HD_G] = g + this.offsets.head * 4;
    i32[w + W.HD_TGT] = t;
    i32[w + W.HD_TS] = ts;
    i32[w + W.HD_Y] = this.head.y;
    i32[w + W.HD_DH] = out.grad;
    i32[w + W.HD_OUT] = this.head.out;
    i32[w + W.HD_WORK] = this.head.work;
    i32[w + W.HD_MASK] = 0;
    i32[w + W.HD_SW] = 0;
    i32[w + W.HD_NORM] = 0;
  }

  private forward(B: number, T: number, flow?: StateFlow): void {
    const { f32 } = this.core.arena, e = this.core.exports;
    this.embed(T);
    for (let i = 0; i < this.mem.length; i++) {
      const m = this.mem[i]!, n = B * m.plan.H;
      for (let r = 0; r < m.dirs.length; r++) {
        const dir = m.dirs[r]!;
        // States flow into the one-copy layers only (the model refuses state for wired stacks); else zero.
        if (r === 0) this.start(i, B, flow?.from ?? null);
        else {
          f32.fill(0, dir.hs >>> 2, (dir.hs >>> 2) + n);
          if (dir.cs) f32.fill(0, dir.cs >>> 2, (dir.cs >>> 2) + n);
        }
        e.cellForward(this.codes[i]!, dir.blk);
      }
      if (m.plan.dirs === 2) {
        const lT = this.layerT(i, this.callT), Tout = m.plan.Tout === 1 ? 1 : lT, from = (lT - Tout + 1) * n * 4;
        e.biMerge(m.y, m.dirs[0]!.hs + from, m.dirs[1]!.hs + from, Tout, B, m.plan.H, this.d.layers[i]!.merge === 'concat' ? 1 : 0);
      }
    }
    if (flow?.to) this.rows(B, T, flow.to, true);
  }

  /** Backward through every layer, top-down, after the head's loss wrote the top layer's output gradients. */
  private backward(B: number): void {
    const e = this.core.exports;
    for (let i = this.mem.length - 1; i >= 0; i--) {
      const m = this.mem[i]!, l = this.d.layers[i]!, T = this.layerT(i, this.callT), n = B * m.plan.H;
      if (m.plan.dirs === 2) {
        const Tout = m.plan.Tout === 1 ? 1 : T, from = (T - Tout) * n * 4;
        e.biSplit(m.dy, m.dirs[0]!.dh + from, m.dirs[1]!.dh + from, Tout, B, m.plan.H, l.merge === 'concat' ? 1 : 0);
      }
      for (const dir of m.dirs) e.cellBackward(this.codes[i]!, dir.blk);
      const rows = B * m.plan.I, dx = this.core.arena.i32[(m.dirs[0]!.blk >>> 2) + W.L_DX]!;
      if (dx === 0) continue; // the first layer over real-valued inputs has no dx
      if (m.plan.dirs === 2) e.addReversed(dx, m.dxr, T, rows);
      if (l.repeat !== undefined) e.sumSteps(this.outputs(i - 1, B).grad, m.dxs, T, rows);
    }
  }

  /** The steps layer i runs for a call of T input steps. */
  private layerT(i: number, T: number): number {
    let steps = T;
    for (let k = 0; k <= i; k++) steps = this.d.layers[k]!.repeat ?? steps;
    return steps;
  }

  /** Layer i's hs[0] (cs[0]) of B rows from `from`, or zeros. */
  private start(i: number, B: number, from: StateRows | null): void {
    const { f32 } = this.core.arena, m = this.mem[i]!.dirs[0]!, n = B * this.d.layers[i]!.units;
    if (from) f32.set(rowsOf(from.h[i]!, n), m.hs >>> 2);
    else f32.fill(0, m.hs >>> 2, (m.hs >>> 2) + n);
    const c = from?.c[i];
    if (m.cs && c) f32.set(rowsOf(c, n), m.cs >>> 2);
    else if (m.cs) f32.fill(0, m.cs >>> 2, (m.cs >>> 2) + n);
  }

  /** Every layer's states at step k (B rows) into `to`, or (out = false) `to` into them. */
  private rows(B: number, k: number, to: StateRows, out: boolean): void {
    const { f32 } = this.core.arena;
    for (let i = 0; i < this.d.layers.length; i++) {
      const m = this.mem[i]!.dirs[0]!, n = B * this.d.layers[i]!.units;
      copyRows(f32, (m.hs >>> 2) + k * n, to.h[i]!, n, out);
      const c = to.c[i];
      if (c && m.cs) copyRows(f32, (m.cs >>> 2) + k * n, c, n, out);
    }
  }

  /** Each layer's ∂L/∂h[0] (∂L/∂c[0]), the backward kernels' carry after step 1, into d0 (B rows). */
  private carries(B: number, T: number, d0: StateRows): void {
    const { f32 } = this.core.arena;
    this.d.layers.forEach((l, i) => {
      const w = this.mem[i]!.dirs[0]!.work >>> 2, n = B * l.units, at = CELL_SPECS[l.cell].carry(B, T, l.units, up4);
      d0.h[i]!.set(f32.subarray(w + at.h, w + at.h + n));
      if (at.c !== undefined && d0.c[i]) d0.c[i]!.set(f32.subarray(w + at.c, w + at.c + n));
    });
  }

  /** The states `step` carries (maxB streams) into `to`, or (load) from it; after bindStep. */
  stepState(to: StateRows, load: boolean): void {
    if (this.disposed) throw new DisposedError('stack binding');
    this.rows(this.maxB, 0, to, !load);
  }

  /** Outputs of B samples of T steps (x at byte offset x, step stride xs floats) into y (byte offset, [Tout][B][O]); states flow as `flow` says. */
  predict(x: number, xs: number, B: number, T: number, p: number, y: number, flow?: StateFlow, v: Weighting = UNWEIGHTED): void {
    this.check(B, T);
    this.setup(x, xs, B, T, 0, p, 0);
    this.setupHead(B, T, p, 0, 0, 0, LOSS_SPECS.mse, 1); // the loss is not read by headForward
    if (v.mask) this.setupWeighting(v, 0);
    this.forward(B, T, flow);
    this.core.arena.i32[(this.head.blk >>> 2) + W.HD_Y] = y;
    this.core.exports.headForward(this.head.blk);
  }

  /** Loss (scaled by s) of one batch, with ∂L/∂params written over the floats at g. Pointers are byte offsets. */
  lossGrad(x: number, xs: number, t: number, ts: number, B: number, T: number, loss: LossSpec, s: number, window: number, p: number, g: number, flow?: StateFlow, v: Weighting = UNWEIGHTED): number {
    const e = this.core.exports;
    // prepare's words without its returned lists: a training call allocates nothing on the JS heap.
    this.check(B, T);
    this.setup(x, xs, B, T, window, p, g);
    this.setupHead(B, T, p, g, t, ts, loss, s);
    if (v.mask || v.sw) this.setupWeighting(v, loss.mean === 'none' ? 0 : B * outputSteps(this.d, T));
    this.forward(B, T, flow);
    e.headLossGrad(this.head.blk);
    this.core.arena.f32.fill(0, g >>> 2, (g >>> 2) + this.offsets.head);
    this.backward(B);
    const emb = this.d.embedding;
    if (emb) e.embeddingBackward(x, xs, B, T, g + this.offsets.embedding * 4, emb.vocab, emb.dim, this.emb!.de);
    if (flow?.d0) this.carries(B, T, flow.d0);
    return this.core.arena.f64[this.head.out >>> 3]!;
  }

  /**
   * Write every block for a training call on B samples (pointers are byte offsets), and return the
   * blocks: each layer's and the head's. A threaded call (src/backends/threads/stack.ts) then sets the
   * words that depend on a block of the batch in the core.
   */
  prepare(x: number, xs: number, t: number, ts: number, B: number, T: number, loss: LossSpec, s: number, window: number, p: number, g: number): { layers: number[]; head: number } {
    this.check(B, T);
    this.setup(x, xs, B, T, window, p, g);
    this.setupHead(B, T, p, g, t, ts, loss, s);
    return { layers: this.mem.map((m) => m.dirs[0]!.blk), head: this.head.blk };
  }

  /**
   * Point every block at the carried states for stepping maxB independent streams: x (byte offset,
   * f32[maxB][I]) is read and y (f32[maxB][O]) written by each `step()`; params at byte offset p.
   * Training or predicting on this stack afterwards needs another bindStep before stepping again.
   */
  bindStep(x: number, p: number, y: number): void {
    this.check(this.maxB, 1);
    const B = this.maxB;
    this.setup(x, B * this.d.I, B, 1, 0, p, 0);
    const { i32 } = this.core.arena;
    this.mem.forEach((m, i) => {
      if (i > 0) i32[(m.dirs[0]!.blk >>> 2) + W.L_X] = this.mem[i - 1]!.dirs[0]!.hs; // the state the layer below just advanced
    });
    this.setupHead(B, 1, p, 0, 0, 0, LOSS_SPECS.mse, 1);
    const top = this.mem[this.mem.length - 1]!;
    i32[(this.head.blk >>> 2) + W.HD_HS] = top.dirs[0]!.hs;
    i32[(this.head.blk >>> 2) + W.HD_SEQ] = 1;
    i32[(this.head.blk >>> 2) + W.HD_Y] = y;
    this.resetState();
  }

  /** Advance every stream by one step (after bindStep): no allocation, one kernel call per layer and one for the head. */
  step(): void {
    if (this.disposed) throw new DisposedError('stack binding');
    const e = this.core.exports;
    this.embed(1);
    for (let i = 0; i < this.mem.length; i++) e.cellStep(this.codes[i]!, this.mem[i]!.dirs[0]!.blk);
    e.headForward(this.head.blk);
  }

  /** Zero the carried state of one stream, or of all. */
  resetState(stream?: number): void {
    if (this.disposed) throw new DisposedError('stack binding');
    const { f32 } = this.core.arena;
    this.d.layers.forEach((l, i) => {
      const m = this.mem[i]!.dirs[0]!, H = l.units;
      const from = stream === undefined ? 0 : stream * H, to = stream === undefined ? this.maxB * H : from + H;
      f32.fill(0, (m.hs >>> 2) + from, (m.hs >>> 2) + to);
      if (m.cs) f32.fill(0, (m.cs >>> 2) + from, (m.cs >>> 2) + to);
    });
  }

  private check(B: number, T: number): void {
    if (this.disposed) throw new DisposedError('stack binding');
    if (B > this.maxB || T > this.T) throw new ShapeError('batch', `${B} × ${T}`, `fit the binding's ${this.maxB} samples × ${this.T} steps`);
  }

  /** Release every block. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.blocks) this.core.arena.release(b);
  }
}

/** The first n values of a state row set (itself when it holds exactly n: no view to allocate). */
function rowsOf(a: Float32Array | Float64Array, n: number): Float32Array | Float64Array {
  return a.length === n ? a : a.subarray(0, n);
}

/** n floats between core memory at float `at` and `theirs`: out of the core (out) or into it. */
function copyRows(f32: Float32Array, at: number, theirs: Float32Array | Float64Array, n: number, out: boolean): void {
  if (!out) f32.set(rowsOf(theirs, n), at);
  else if (theirs instanceof Float32Array) theirs.set(f32.subarray(at, at + n)); // one builtin copy: an element loop here was a polymorphic store
  else for (let j = 0; j < n; j++) theirs[j] = f32[at + j]!;
}
