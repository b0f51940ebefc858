import { DisposedError } from '../../errors.js';
import type { Sequences } from '../../data/sequences.js';
import { elmanForward, elmanLossGrad, elmanScratch, type ElmanDims, type ElmanLossKind, type ElmanScratch } from './elman.js';

/** An Elman network's data for the plain-TypeScript backend: scratch for batches of up to `maxBatch`, allocated once. */
export class JsElman {
  private readonly scratch: ElmanScratch;
  private x: Float32Array;
  private t: Float32Array;
  private disposed = false;
  readonly n: number;
  readonly T: number;

  constructor(private readonly data: Sequences, private readonly d: ElmanDims, readonly maxBatch: number) {
    this.n = data.samples;
    this.T = data.steps;
    this.x = data.x;
    this.t = data.targets;
    this.scratch = elmanScratch(maxBatch, this.T, d.H, d.O);
  }

  /** Reorder the samples (order[i] = source sample of slot i); null restores the original order. */
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

  /** Fused forward, loss and BPTT for samples [n0, n0 + B) of the current order. */
  lossGrad(n0: number, B: number, kind: ElmanLossKind, s: number, window: number, params: Float32Array, grads: Float32Array): number {
    this.check();
    const { I, O } = this.d;
    const view = { x: this.x, x0: n0 * I, xs: this.n * I, t: this.t, t0: n0 * O, ts: this.n * O, B, T: this.T };
    return elmanLossGrad(view, this.d, kind, s, window, params, grads, this.scratch);
  }

  /** Outputs of every sample in the original order, f32[Tout][n][O]. */
  forward(params: Float32Array): Float32Array {
    this.check();
    const { I, O } = this.d;
    const steps = this.d.seq ? this.T : 1;
    const y = new Float32Array(steps * this.n * O);
    const yb = new Float64Array(steps * this.maxBatch * O);
    for (let n0 = 0; n0 < this.n; n0 += this.maxBatch) {
      const B = Math.min(this.maxBatch, this.n - n0);
      const view = { x: this.data.x, x0: n0 * I, xs: this.n * I, t: this.data.targets, t0: 0, ts: 0, B, T: this.T };
      elmanForward(view, this.d, params, this.scratch.hs, yb);
      for (let k = 0; k < steps; k++) y.set(yb.subarray(k * B * O, (k + 1) * B * O), (k * this.n + n0) * O);
    }
    return y;
  }

  /** Drop the scratch arrays' owner; the binding cannot be used afterwards. */
  dispose(): void {
    this.disposed = true;
  }

  private check(): void {
    if (this.disposed) throw new DisposedError('bound data');
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
