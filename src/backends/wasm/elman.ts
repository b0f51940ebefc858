import { ACT_LINEAR, ACT_RELU, ACT_SIGMOID, ACT_TANH, LOSS_BCE, LOSS_CCE, LOSS_SQUARED, OUT_LINEAR, OUT_SIGMOID, OUT_SOFTMAX } from '../../abi/codes.js';
import {
  EJ_ACT, EJ_B, EJ_GRADS, EJ_H, EJ_I, EJ_LOSS, EJ_O, EJ_OUT, EJ_OUT_ACT, EJ_PARAMS, EJ_SCALE, EJ_SEQ, EJ_STEPS, EJ_T,
  EJ_T_STRIDE, EJ_WINDOW, EJ_WORDS, EJ_WORK, EJ_X, EJ_X_STRIDE,
} from '../../abi/elman.js';
import { outputsInBatches } from '../batched.js';
import { DisposedError } from '../../errors.js';
import type { Sequences } from '../../data/sequences.js';
import type { Activation, ElmanDims, LossKind, OutputActivation } from '../../types.js';
import { core, type Core } from './core.js';

const ACT: Record<Activation, number> = { linear: ACT_LINEAR, tanh: ACT_TANH, relu: ACT_RELU, sigmoid: ACT_SIGMOID };
const OUT: Record<OutputActivation, number> = { linear: OUT_LINEAR, sigmoid: OUT_SIGMOID, softmax: OUT_SOFTMAX };
const LOSS: Record<LossKind, number> = { squared: LOSS_SQUARED, bce: LOSS_BCE, cce: LOSS_CCE };

/** An Elman network's data in WebAssembly memory: x and targets copied in once, a second copy for shuffled epochs. */
export class WasmElman {
  protected readonly core: Core;
  private readonly x: number;
  private readonly t: number;
  private xShuf = 0;
  private tShuf = 0;
  private shuffled = false;
  private disposed = false;
  protected readonly workspaces = new Set<WasmElmanWork>();
  readonly n: number;
  readonly T: number;

  /** `c`: the core whose memory holds the data (a thread pool's, for threaded placements). */
  constructor(private readonly data: Sequences, readonly d: ElmanDims, c: Core = core()) {
    this.core = c;
    const { arena } = this.core;
    this.n = data.samples;
    this.T = data.steps;
    [this.x, this.t] = arena.allocAll([data.x.byteLength, data.targets.byteLength], 'data') as [number, number];
    const f32 = arena.f32;
    f32.set(data.x, this.x >>> 2);
    f32.set(data.targets, this.t >>> 2);
  }

  /** Reorder the samples (order[i] = source sample of slot i, a checked permutation) for the following batches; null restores the original order. */
  shuffle(order: Uint32Array | null): void {
    this.check();
    if (order === null) {
      this.shuffled = false;
      return;
    }
    if (!this.xShuf) {
      // Both copies or neither: a failed allocation leaves no half-made pair behind.
      [this.xShuf, this.tShuf] = this.core.arena.allocAll([this.data.x.byteLength, this.data.targets.byteLength], 'shuffle') as [number, number];
    }
    const f32 = this.core.arena.f32;
    const { n, T } = this;
    const { I, O } = this.d;
    const tSteps = this.data.targetsPerStep ? T : 1;
    permute(f32, this.x >>> 2, this.xShuf >>> 2, order, n, T, I);
    permute(f32, this.t >>> 2, this.tShuf >>> 2, order, n, tSteps, O);
    this.shuffled = true;
  }

  /** Params, grads, scratch and a parameter block for batches of up to `maxBatch` samples, all or nothing. */
  workspace(maxBatch: number, P: number, argument: string): WasmElmanWork {
    this.check();
    const { exports } = this.core;
    const work = new WasmElmanWork(this, this.core, maxBatch, P, exports.elmanWorkFloats(maxBatch, this.T, this.d.H, this.d.O), argument);
    this.workspaces.add(work);
    return work;
  }

  /** @internal The current sample order's inputs and targets. */
  source(): { x: number; t: number } {
    return this.shuffled ? { x: this.xShuf, t: this.tShuf } : { x: this.x, t: this.t };
  }

  /** @internal The original order's inputs. */
  get originalX(): number {
    return this.x;
  }

  /** @internal */
  forget(w: WasmElmanWork): void {
    this.workspaces.delete(w);
  }

  /** Release the data and every workspace made from it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const w of this.workspaces) w.dispose();
    const { arena } = this.core;
    for (const b of [this.x, this.t, this.xShuf, this.tShuf]) if (b) arena.release(b);
  }

  check(): void {
    if (this.disposed) throw new DisposedError('placed data');
  }
}

/** One binding's memory in the core: params, grads, scratch, result and the kernels' parameter block. */
export class WasmElmanWork {
  protected readonly p: number;
  protected readonly g: number;
  private readonly work: number;
  protected readonly out: number;
  protected readonly job: number;
  private disposed = false;

  constructor(protected readonly data: WasmElman, protected readonly core: Core, readonly maxBatch: number, private readonly P: number, workFloats: number, argument: string) {
    [this.p, this.g, this.work, this.out, this.job] = core.arena.allocAll([P * 4, P * 4, workFloats * 4, 8, EJ_WORDS * 4], argument) as [number, number, number, number, number];
  }

  /** Fused forward, loss and BPTT for samples [n0, n0 + B) of the current order; grads written into `grads`. */
  lossGrad(n0: number, B: number, kind: LossKind, s: number, window: number, params: Float32Array, grads: Float32Array): number {
    this.check();
    const { arena, exports } = this.core;
    const { I, O } = this.data.d;
    const { x, t } = this.data.source();
    arena.f32.set(params, this.p >>> 2);
    this.fill(x + n0 * I * 4, t + n0 * O * 4, B, kind, s, window, this.out);
    exports.elmanLossGrad(this.job);
    grads.set(arena.f32.subarray(this.g >>> 2, (this.g >>> 2) + this.P));
    return arena.f64[this.out >>> 3]!;
  }

  /** Outputs of every sample in the original order, f32[Tout][n][O]. */
  forward(params: Float32Array): Float32Array {
    this.check();
    const { arena, exports } = this.core;
    const { n, T, d } = this.data;
    const { I, O } = d;
    const steps = d.seq ? T : 1;
    const [yb] = arena.allocAll([steps * this.maxBatch * O * 4], 'data') as [number];
    try {
      arena.f32.set(params, this.p >>> 2);
      return outputsInBatches(n, this.maxBatch, steps, O, (n0, B) => {
        this.fill(this.data.originalX + n0 * I * 4, 0, B, 'squared', 1, 0, yb);
        exports.elmanForward(this.job);
        return { out: arena.f32, at: yb >>> 2 };
      });
    } finally {
      arena.release(yb);
    }
  }

  /** Write the parameter block (src/abi/elman.ts) for one call. */
  protected fill(x: number, t: number, B: number, kind: LossKind, s: number, window: number, out: number): void {
    const { arena } = this.core;
    const { n, T, d } = this.data;
    const i32 = arena.i32;
    const w = this.job >>> 2;
    i32[w + EJ_X] = x;
    i32[w + EJ_X_STRIDE] = n * d.I;
    i32[w + EJ_T] = t;
    i32[w + EJ_T_STRIDE] = n * d.O;
    i32[w + EJ_B] = B;
    i32[w + EJ_STEPS] = T;
    i32[w + EJ_I] = d.I;
    i32[w + EJ_H] = d.H;
    i32[w + EJ_O] = d.O;
    i32[w + EJ_ACT] = ACT[d.act];
    i32[w + EJ_OUT_ACT] = OUT[d.outAct];
    i32[w + EJ_LOSS] = LOSS[kind];
    i32[w + EJ_SEQ] = d.seq ? 1 : 0;
    arena.f32[w + EJ_SCALE] = s;
    i32[w + EJ_WINDOW] = window;
    i32[w + EJ_PARAMS] = this.p;
    i32[w + EJ_GRADS] = this.g;
    i32[w + EJ_WORK] = this.work;
    i32[w + EJ_OUT] = out;
  }

  /** Release this workspace's memory (not the data's). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of [this.p, this.g, this.work, this.out, this.job]) this.core.arena.release(b);
    this.data.forget(this);
  }

  protected check(): void {
    if (this.disposed) throw new DisposedError('binding');
    this.data.check();
  }
}

/** dst[k][i] = src[k][order[i]] for rows of `width` floats, `steps` × `n` rows, inside one array. */
export function permute(a: Float32Array, src: number, dst: number, order: Uint32Array, n: number, steps: number, width: number): void {
  for (let k = 0; k < steps; k++) {
    const base = k * n * width;
    for (let i = 0; i < n; i++) {
      const from = src + base + order[i]! * width;
      a.copyWithin(dst + base + i * width, from, from + width);
    }
  }
}
