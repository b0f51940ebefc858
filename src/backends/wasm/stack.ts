// A stacked recurrent network in WebAssembly memory: one layer block per layer (src/abi/gated.ts)
// pointing at its states, scratch and dh, one head block, all allocated once for batches of up to
// maxB samples of T steps. Training calls run the layers' forward kernels bottom-up, the head's
// loss kernel, then the layers' backward kernels top-down (each layer's dx is the dh of the one below).

import * as C from '../../abi/codes.js';
import * as W from '../../abi/gated.js';
import { CELL_SPECS } from '../../cells/index.js';
import { DisposedError, ShapeError } from '../../errors.js';
import type { GateActivation, StackDims, StateFlow, StateRows } from '../../stack-spec.js';
import { up4 } from '../../cells/spec.js';
import { stackOffsets } from '../../stack-spec.js';
import { LOSS_SPECS, type LossSpec } from '../../losses.js';
import { core, type Core } from './core.js';

/** Activation codes of the core. */
export const ACT_CODES: Readonly<Record<GateActivation, number>> = {
  linear: C.ACT_LINEAR, tanh: C.ACT_TANH, relu: C.ACT_RELU, sigmoid: C.ACT_SIGMOID, hardSigmoid: C.ACT_HARD_SIGMOID,
};
const OUT_CODES = { linear: C.OUT_LINEAR, sigmoid: C.OUT_SIGMOID, softmax: C.OUT_SOFTMAX } as const;

interface LayerMem {
  blk: number;
  hs: number;
  cs: number;
  work: number;
  dh: number;
  /** The mask's scratch f32[2][maxB][H] (gradients routed around masked steps). */
  mwork: number;
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
  private readonly mem: LayerMem[];
  private readonly head: { blk: number; y: number; work: number; out: number };
  /** The embedding's vectors e and their gradients de, f32[T][maxB][dim] each, when the inputs are token ids. */
  private readonly emb: { e: number; de: number } | undefined;
  /** The ids and params of the last setup, for the embedding's kernels: byte offsets and the ids' step stride. */
  private call = { x: 0, xs: 0, B: 0, T: 0, p: 0 };
  private disposed = false;

  /** `c`: the core whose memory the stack lives in (a thread pool's, for threaded placements). */
  constructor(readonly d: StackDims, readonly maxB: number, readonly T: number, argument = 'batchSize', c: Core = core()) {
    this.core = c;
    const e = this.core.exports;
    this.codes = d.layers.map((l) => CELL_SPECS[l.cell].code);
    const sizes: number[] = [];
    this.offsets = stackOffsets(d);
    const offs = this.offsets.layers;
    d.layers.forEach((l, i) => {
      const n = (T + 1) * maxB * l.units * 4, spec = CELL_SPECS[l.cell];
      sizes.push(W.L_WORDS * 4, n, spec.cellState ? n : 0, spec.work(maxB, T, offs[i]!.inputs, l.units) * 4, T * maxB * l.units * 4, 2 * maxB * l.units * 4);
    });
    const H = d.layers[d.layers.length - 1]!.units;
    sizes.push(W.HD_WORDS * 4, T * maxB * d.O * 4, e.headWorkFloats(H, d.O) * 4, 8);
    if (d.embedding) sizes.push(T * maxB * d.embedding.dim * 4, T * maxB * d.embedding.dim * 4);
    this.blocks = this.core.arena.allocAll(sizes, argument);
    this.mem = d.layers.map((_, i) => {
      const [blk, hs, cs, work, dh, mwork] = this.blocks.slice(6 * i, 6 * i + 6) as [number, number, number, number, number, number];
      return { blk, hs, cs: CELL_SPECS[d.layers[i]!.cell].cellState ? cs : 0, work, dh, mwork };
    });
    const [blk, y, work, out, eb, deb] = this.blocks.slice(6 * d.layers.length) as [number, number, number, number, number?, number?];
    this.head = { blk, y, work, out };
    this.emb = d.embedding ? { e: eb!, de: deb! } : undefined;
  }

  /** Write every block for a call on B samples of T steps with x at byte offset x (step stride xs floats). */
  private setup(x: number, xs: number, B: number, T: number, window: number, p: number, g: number): void {
    const { i32 } = this.core.arena;
    const offs = this.offsets.layers;
    this.call = { x, xs, B, T, p };
    for (let i = 0; i < this.mem.length; i++) {
      const l = this.d.layers[i]!, m = this.mem[i]!, below = i === 0 ? null : this.mem[i - 1]!, I = offs[i]!.inputs;
      const w = m.blk >>> 2;
      i32[w + W.L_T] = T;
      i32[w + W.L_B] = B;
      i32[w + W.L_I] = I;
      i32[w + W.L_H] = l.units;
      i32[w + W.L_ACT] = ACT_CODES[l.activation];
      i32[w + W.L_REC_ACT] = ACT_CODES[l.recurrentActivation];
      i32[w + W.L_RESET_AFTER] = l.resetAfter ? 1 : 0;
      i32[w + W.L_WINDOW] = window;
      i32[w + W.L_X] = below ? below.hs + B * I * 4 : x;
      i32[w + W.L_XS] = below ? B * I : xs;
      i32[w + W.L_HS] = m.hs;
      i32[w + W.L_CS] = m.cs;
      i32[w + W.L_P] = p + offs[i]!.kernel * 4;
      i32[w + W.L_G] = g + offs[i]!.kernel * 4;
      i32[w + W.L_WORK] = m.work;
      i32[w + W.L_DH] = m.dh;
      i32[w + W.L_DX] = below ? below.dh : 0;
      // A many-to-one head writes the top layer's dh at the last step only; the layers below get dx at every step.
      i32[w + W.L_DH_FROM] = i === this.mem.length - 1 && !this.d.seq ? T - 1 : 0;
      i32[w + W.L_MASK] = 0;
      i32[w + W.L_MWORK] = m.mwork;
    }
    if (this.emb) this.setupEmbedding(B, g);
  }

  /** With token ids in, the first layer reads the looked-up vectors and writes their gradients de for the scatter-add. */
  private setupEmbedding(B: number, g: number): void {
    const w = this.mem[0]!.blk >>> 2, { i32 } = this.core.arena;
    i32[w + W.L_X] = this.emb!.e;
    i32[w + W.L_XS] = B * this.d.embedding!.dim;
    i32[w + W.L_DX] = g ? this.emb!.de : 0;
  }

  /** e = E[ids] for the last setup's batch (nothing without an embedding). */
  private embed(T: number): void {
    const emb = this.d.embedding, c = this.call;
    if (emb) this.core.exports.embeddingForward(c.x, c.xs, c.B, T, c.p + this.offsets.embedding * 4, emb.vocab, emb.dim, this.emb!.e);
  }

  /** Point every block at a batch's mask and weights: every layer holds its state at masked steps; a sequence head skips their loss, and weighs its rows (norm: the rows a mean loss averages over, 0 for a sum). */
  private setupWeighting(v: Weighting, norm: number): void {
    const { i32 } = this.core.arena;
    for (const m of this.mem) {
      i32[(m.blk >>> 2) + W.L_MASK] = v.mask;
      i32[(m.blk >>> 2) + W.L_MS] = v.ms;
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
    const { d } = this, top = this.mem[this.mem.length - 1]!, H = d.layers[d.layers.length - 1]!.units;
    const w = this.head.blk >>> 2;
    i32[w + W.HD_T] = T;
    i32[w + W.HD_B] = B;
    i32[w + W.HD_H] = H;
    i32[w + W.HD_O] = d.O;
    i32[w + W.HD_OUT_ACT] = OUT_CODES[d.outAct];
    i32[w + W.HD_LOSS] = loss.code;
    i32[w + W.HD_SEQ] = d.seq ? 1 : 0;
    f32[w + W.HD_SCALE] = s;
    i32[w + W.HD_HS] = top.hs + B * H * 4;
    i32[w + W.HD_P] = p + this.offsets.head * 4;
    i32[w + W.HD_G] = g + this.offsets.head * 4;
    i32[w + W.HD_TGT] = t;
    i32[w + W.HD_TS] = ts;
    i32[w + W.HD_Y] = this.head.y;
    i32[w + W.HD_DH] = top.dh;
    i32[w + W.HD_OUT] = this.head.out;
    i32[w + W.HD_WORK] = this.head.work;
    i32[w + W.HD_MASK] = 0;
    i32[w + W.HD_SW] = 0;
    i32[w + W.HD_NORM] = 0;
  }

  private forward(B: number, T: number, flow?: StateFlow): void {
    const e = this.core.exports;
    this.embed(T);
    for (let i = 0; i < this.mem.length; i++) {
      this.start(i, B, flow?.from ?? null);
      e.cellForward(this.codes[i]!, this.mem[i]!.blk);
    }
    if (flow?.to) this.rows(B, T, flow.to, true);
  }

  /** Layer i's hs[0] (cs[0]) of B rows from `from`, or zeros. */
  private start(i: number, B: number, from: StateRows | null): void {
    const { f32 } = this.core.arena, m = this.mem[i]!, n = B * this.d.layers[i]!.units;
    if (from) f32.set(from.h[i]!.subarray(0, n), m.hs >>> 2);
    else f32.fill(0, m.hs >>> 2, (m.hs >>> 2) + n);
    if (m.cs && from?.c[i]) f32.set(from.c[i]!.subarray(0, n), m.cs >>> 2);
    else if (m.cs) f32.fill(0, m.cs >>> 2, (m.cs >>> 2) + n);
  }

  /** Every layer's states at step k (B rows) into `to`, or (out = false) `to` into them. */
  private rows(B: number, k: number, to: StateRows, out: boolean): void {
    const { f32 } = this.core.arena;
    this.d.layers.forEach((l, i) => {
      const m = this.mem[i]!, n = B * l.units;
      for (const [at, theirs] of [[m.hs, to.h[i]], [m.cs, to.c[i]]] as const) {
        if (!theirs || !at) continue;
        const from = (at >>> 2) + k * n;
        if (out) theirs.set(f32.subarray(from, from + n));
        else f32.set(theirs.subarray(0, n), from);
      }
    });
  }

  /** Each layer's ∂L/∂h[0] (∂L/∂c[0]), the backward kernels' carry after step 1, into d0 (B rows). */
  private carries(B: number, T: number, d0: StateRows): void {
    const { f32 } = this.core.arena;
    this.d.layers.forEach((l, i) => {
      const w = this.mem[i]!.work >>> 2, n = B * l.units, at = CELL_SPECS[l.cell].carry(B, T, l.units, up4);
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
    if (v.mask || v.sw) this.setupWeighting(v, loss.mean === 'none' ? 0 : B * (this.d.seq ? T : 1));
    this.forward(B, T, flow);
    e.headLossGrad(this.head.blk);
    this.core.arena.f32.fill(0, g >>> 2, (g >>> 2) + this.offsets.head);
    for (let i = this.mem.length - 1; i >= 0; i--) e.cellBackward(this.codes[i]!, this.mem[i]!.blk);
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
    return { layers: this.mem.map((m) => m.blk), head: this.head.blk };
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
      if (i > 0) i32[(m.blk >>> 2) + W.L_X] = this.mem[i - 1]!.hs; // the state the layer below just advanced
    });
    this.setupHead(B, 1, p, 0, 0, 0, LOSS_SPECS.mse, 1);
    const top = this.mem[this.mem.length - 1]!;
    i32[(this.head.blk >>> 2) + W.HD_HS] = top.hs;
    i32[(this.head.blk >>> 2) + W.HD_SEQ] = 1;
    i32[(this.head.blk >>> 2) + W.HD_Y] = y;
    this.resetState();
  }

  /** Advance every stream by one step (after bindStep): no allocation, one kernel call per layer and one for the head. */
  step(): void {
    if (this.disposed) throw new DisposedError('stack binding');
    const e = this.core.exports;
    this.embed(1);
    for (let i = 0; i < this.mem.length; i++) e.cellStep(this.codes[i]!, this.mem[i]!.blk);
    e.headForward(this.head.blk);
  }

  /** Zero the carried state of one stream, or of all. */
  resetState(stream?: number): void {
    if (this.disposed) throw new DisposedError('stack binding');
    const { f32 } = this.core.arena;
    this.d.layers.forEach((l, i) => {
      const m = this.mem[i]!, H = l.units;
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
