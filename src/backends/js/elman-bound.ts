import { outputsInBatches } from '../batched.js';
import { DisposedError } from '../../errors.js';
import type { Sequences } from '../../data/sequences.js';
import type { ElmanDims, LossKind } from '../../types.js';
import { elmanForward, elmanLossGrad, elmanScratch, type ElmanScratch } from './elman.js';

/** An Elman network's data for the plain-TypeScript backend: a copy of the arrays, a shuffled copy when asked. */
export class JsElman {
  private x: Float32Array;
  private t: Float32Array;
  private disposed = false;
  readonly n: number;
  readonly T: number;

  private readonly data: Sequences;

  /** Copies the arrays, as the core does, so later changes to the caller's arrays do not reach placed data on either backend. */
  constructor(data: Sequences, readonly d: ElmanDims) {
    this.data = { ...data, x: data.x.slice(), targets: data.targets.slice() };
    data = this.data;
    this.n = data.samples;
    this.T = data.steps;
    this.x = data.x;
    this.t = data.targets;
  }

  /** Reorder the samples (order[i] = source sample of slot i, a checked permutation); null restores the original order. */
  shuffle(order: Uint32Array | null): void {
    this.check();
    if (order === null) {
      this.x = this.data.x;
      this.t = this.data.targets;
      return;
    }
    const { n, T } = this;
    this.x = gather(this.data.x, order, n, T, this.d.I, this.x === this.data.x ? undefined : this.x);
    this.t = gather(this.data.targets, order, n, this.data.targetsPerStep ? T : 1, this.d.O, this.t === this.data.targets ? undefined : this.t);
  }

  /** Scratch for batches of up to `maxBatch` samples (P and the argument name matter only to the core's allocator). */
  workspace(maxBatch: number, _P?: number, _argument?: string): JsElmanWork {
    this.check();
    return new JsElmanWork(this, maxBatch, elmanScratch(maxBatch, this.T, this.d.H, this.d.O));
  }

  /** @internal The current order's arrays, or the original ones. */
  arrays(original: boolean): { x: Float32Array; t: Float32Array } {
    return original ? { x: this.data.x, t: this.data.targets } : { x: this.x, t: this.t };
  }

  /** Drop the arrays' owner; the data cannot be used afterwards. */
  dispose(): void {
    this.disposed = true;
  }

  check(): void {
    if (this.disposed) throw new DisposedError('placed data');
  }
}

/** One binding's scratch on the plain-TypeScript backend. */
export class JsElmanWork {
  private disposed = false;

  constructor(private readonly data: JsElman, readonly maxBatch: number, private readonly scratch: ElmanScratch) {}

  /** Fused forward, loss and BPTT for samples [n0, n0 + B) of the current order. */
  lossGrad(n0: number, B: number, kind: LossKind, s: number, window: number, params: Float32Array, grads: Float32Array): number {
    this.check();
    const { I, O } = this.data.d;
    const { x, t } = this.data.arrays(false);
    const view = { x, x0: n0 * I, xs: this.data.n * I, t, t0: n0 * O, ts: this.data.n * O, B, T: this.data.T };
    return elmanLossGrad(view, this.data.d, kind, s, window, params, grads, this.scratch);
  }

  /** Outputs of every sample in the original order, f32[Tout][n][O]. */
  forward(params: Float32Array): Float32Array {
    this.check();
    const { n, T, d } = this.data;
    const { I, O } = d;
    const { x, t } = this.data.arrays(true);
    const steps = d.seq ? T : 1;
    const yb = new Float64Array(steps * this.maxBatch * O);
    return outputsInBatches(n, this.maxBatch, steps, O, (n0, B) => {
      elmanForward({ x, x0: n0 * I, xs: n * I, t, t0: 0, ts: 0, B, T }, d, params, this.scratch.hs, yb);
      return { out: yb, at: 0 };
    });
  }

  dispose(): void {
    this.disposed = true;
  }

  private check(): void {
    if (this.disposed) throw new DisposedError('binding');
    this.data.check();
  }
}

function gather(src: Float32Array, order: Uint32Array, n: number, steps: number, width: number, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(src.length);
  for (let k = 0; k < steps; k++) {
    const base = k * n * width;
    for (let i = 0; i < n; i++) out.set(src.subarray(base + order[i]! * width, base + (order[i]! + 1) * width), base + i * width);
  }
  return out;
}
