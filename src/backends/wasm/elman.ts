import { DisposedError } from '../../errors.js';
import type { Sequences } from '../../data/sequences.js';
import type { ElmanDims, ElmanLossKind } from '../js/elman.js';
import { core, type Core } from './core.js';

// Codes of assembly/elman.ts.
const ACT = { linear: 0, tanh: 1, relu: 2, sigmoid: 3 } as const;
const OUT = { linear: 0, sigmoid: 1, softmax: 2 } as const;
const LOSS = { squared: 0, bce: 1, cce: 2 } as const;

/**
 * An Elman network's data in WebAssembly memory: x and targets copied in once, a second copy for
 * shuffled epochs, params, grads and scratch for batches of up to `maxBatch` samples, all reused.
 */
export class WasmElman {
  private readonly core: Core;
  private readonly blocks: number[] = [];
  private readonly x: number;
  private readonly t: number;
  private xShuf = 0;
  private tShuf = 0;
  private shuffled = false;
  private readonly p: number;
  private readonly g: number;
  private readonly work: number;
  private readonly out: number;
  private disposed = false;
  readonly n: number;
  readonly T: number;

  constructor(private readonly data: Sequences, private readonly d: ElmanDims, readonly maxBatch: number, private readonly P: number) {
    this.core = core();
    const { arena, exports } = this.core;
    this.n = data.samples;
    this.T = data.steps;
    try {
      this.x = this.alloc(data.x.byteLength);
      this.t = this.alloc(data.targets.byteLength);
      this.p = this.alloc(P * 4);
      this.g = this.alloc(P * 4);
      this.work = this.alloc(exports.elmanWorkFloats(maxBatch, this.T, d.H, d.O) * 4);
      this.out = this.alloc(8);
    } catch (error) {
      this.dispose();
      throw error;
    }
    const f32 = arena.f32;
    f32.set(data.x, this.x >>> 2);
    f32.set(data.targets, this.t >>> 2);
  }

  /** Reorder the samples (order[i] = source sample of slot i) for the following batches; null restores the original order. */
  shuffle(order: Uint32Array | null): void {
    this.check();
    if (order === null) {
      this.shuffled = false;
      return;
    }
    if (!this.xShuf) {
      this.xShuf = this.alloc(this.data.x.byteLength);
      this.tShuf = this.alloc(this.data.targets.byteLength);
    }
    const f32 = this.core.arena.f32;
    const { n, T } = this;
    const { I, O } = this.d;
    const tSteps = this.data.targetsPerStep ? T : 1;
    permute(f32, this.x >>> 2, this.xShuf >>> 2, order, n, T, I);
    permute(f32, this.t >>> 2, this.tShuf >>> 2, order, n, tSteps, O);
    this.shuffled = true;
  }

  /** Fused forward, loss and BPTT for samples [n0, n0 + B) of the current order; grads written into `grads`. */
  lossGrad(n0: number, B: number, kind: ElmanLossKind, s: number, window: number, params: Float32Array, grads: Float32Array): number {
    this.check();
    const { arena, exports } = this.core;
    const { I, H, O } = this.d;
    arena.f32.set(params, this.p >>> 2);
    const x = this.shuffled ? this.xShuf : this.x;
    const t = this.shuffled ? this.tShuf : this.t;
    exports.elmanLossGrad(
      x + n0 * I * 4, this.n * I, t + n0 * O * 4, this.n * O, B, this.T, I, H, O,
      ACT[this.d.act], OUT[this.d.outAct], LOSS[kind], this.d.seq ? 1 : 0, s, window, this.p, this.g, this.work, this.out,
    );
    grads.set(arena.f32.subarray(this.g >>> 2, (this.g >>> 2) + this.P));
    return arena.f64[this.out >>> 3]!;
  }

  /** Outputs of every sample in the original order, f32[Tout][n][O]. */
  forward(params: Float32Array): Float32Array {
    this.check();
    const { arena, exports } = this.core;
    const { I, H, O } = this.d;
    const steps = this.d.seq ? this.T : 1;
    const y = new Float32Array(steps * this.n * O);
    const yb = arena.alloc(steps * this.maxBatch * O * 4);
    try {
      arena.f32.set(params, this.p >>> 2);
      for (let n0 = 0; n0 < this.n; n0 += this.maxBatch) {
        const B = Math.min(this.maxBatch, this.n - n0);
        exports.elmanForward(this.x + n0 * I * 4, this.n * I, B, this.T, I, H, O, ACT[this.d.act], OUT[this.d.outAct], this.d.seq ? 1 : 0, this.p, this.work, yb);
        const f32 = arena.f32;
        for (let k = 0; k < steps; k++) y.set(f32.subarray((yb >>> 2) + k * B * O, (yb >>> 2) + (k + 1) * B * O), (k * this.n + n0) * O);
      }
    } finally {
      arena.release(yb);
    }
    return y;
  }

  /** Release the WebAssembly memory held for this data set. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.blocks) this.core.arena.release(b);
    this.blocks.length = 0;
  }

  private alloc(bytes: number): number {
    const b = this.core.arena.alloc(bytes);
    this.blocks.push(b);
    return b;
  }

  private check(): void {
    if (this.disposed) throw new DisposedError('bound data');
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
