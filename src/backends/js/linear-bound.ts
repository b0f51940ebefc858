import { DisposedError } from '../../errors.js';
import type { Sequences } from '../../data/sequences.js';
import { linearLossGrad, linearStates } from './linear.js';

/** The counter's data for the plain-TypeScript backend: scratch arrays allocated once. */
export class JsLinear {
  private readonly states64: Float64Array;
  private readonly g: Float64Array;
  private disposed = false;
  readonly n: number;
  readonly T: number;

  private readonly data: Sequences;

  /** Copies the arrays, as the core does, so later changes to the caller's arrays do not reach placed data on either backend. */
  constructor(data: Sequences) {
    this.data = { ...data, x: data.x.slice(), targets: data.targets.slice() };
    this.n = data.samples;
    this.T = data.steps;
    this.states64 = new Float64Array((this.T + 1) * this.n);
    this.g = new Float64Array(this.n);
  }

  /** Fused epoch: writes [Σ e², ∂L/∂wx, ∂L/∂wRec] into `out`. */
  lossGrad(wx: number, wRec: number, c: number, out: Float64Array): void {
    this.check();
    linearLossGrad(this.data.x, this.data.targets, this.n, this.T, wx, wRec, c, this.states64, this.g, out);
  }

  /** Every state, time-major f32[T+1][n]. */
  states(wx: number, wRec: number): Float32Array {
    this.check();
    const s = new Float32Array((this.T + 1) * this.n);
    linearStates(this.data.x, this.n, this.T, wx, wRec, s);
    return s;
  }

  /** Drop the scratch arrays' owner; the binding cannot be used afterwards. */
  dispose(): void {
    this.disposed = true;
  }

  private check(): void {
    if (this.disposed) throw new DisposedError('bound data');
  }
}
