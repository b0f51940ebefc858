// One binding of a layer stack on the plain-TypeScript backend, over data placed once
// (./placed.ts), and its step-by-step twin.

import { outputsInBatches } from '../batched.js';
import { DisposedError } from '../../errors.js';
import type { StackDims, StateFlow, StateRows } from '../../stack-spec.js';
import type { LossSpec } from '../../losses.js';
import type { JsPlaced } from './placed.js';
import { JsStack } from './stack.js';

/** A stack's scratch for batches of up to maxBatch samples. */
export class JsStackWork {
  private readonly stack: JsStack;
  private readonly g: Float64Array;
  private disposed = false;

  constructor(private readonly data: JsPlaced, private readonly d: StackDims, readonly maxBatch: number, P: number) {
    this.stack = new JsStack(d, maxBatch, data.T);
    this.g = new Float64Array(P);
  }

  /** Forward, loss and BPTT for samples [n0, n0 + B) of the current order; grads written into `grads`. */
  lossGrad(n0: number, B: number, kind: LossSpec, s: number, window: number, params: Float32Array, grads: Float32Array, flow?: StateFlow): number {
    this.check();
    // Targets are as wide as the placed data's rows: O values, or one class id for a sparse loss.
    const { I } = this.d, O = this.data.d.O;
    const { n, T } = this.data;
    const { x, t, m, sw } = this.data.arrays(false);
    const weights = m || sw ? { weights: { m, m0: n0, ms: n, sw, sw0: n0 } } : {};
    const L = this.stack.lossGrad({ x, x0: n0 * I, xs: n * I, t, t0: n0 * O, ts: n * O, B, T, ...weights }, kind, s, window, params, this.g, flow);
    grads.set(this.g);
    return L;
  }

  /** Outputs of every sample in the original order, f32[Tout][n][O]; with a flow, the samples are one batch. */
  forward(params: Float32Array, flow?: StateFlow): Float32Array {
    this.check();
    const { n, T } = this.data;
    const { I, O } = this.d;
    const { x, t, m } = this.data.arrays(true);
    const steps = this.d.seq ? T : 1;
    const yb = new Float64Array(steps * this.maxBatch * O);
    return outputsInBatches(n, this.maxBatch, steps, O, (n0, B) => {
      this.stack.predict({ x, x0: n0 * I, xs: n * I, t, t0: 0, ts: 0, B, T, ...(m && { weights: { m, m0: n0, ms: n, sw: null, sw0: 0 } }) }, params, yb, flow);
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

/** Step-by-step inference for `streams` independent streams; states carried between calls. */
export class JsStepper {
  private readonly stack: JsStack;
  /** The outputs of the last step, f32[streams][O]; overwritten by the next. */
  readonly out: Float32Array;
  private disposed = false;

  constructor(d: StackDims, readonly streams: number) {
    this.stack = new JsStack(d, streams, 1);
    this.out = new Float32Array(streams * d.O);
  }

  /** Advance every stream by x [streams][I] (read from `x` at `x0`); the outputs land in `out`. */
  step(x: ArrayLike<number>, x0: number, params: Float32Array): Float32Array {
    if (this.disposed) throw new DisposedError('stepper');
    this.stack.step(x, x0, params, this.out);
    return this.out;
  }

  /** Zero one stream's state, or every stream's. */
  resetState(stream?: number): void {
    this.stack.resetState(stream);
  }

  /** The carried states into `to`, or (load) from it. */
  state(to: StateRows, load: boolean): void {
    this.stack.stepState(to, load);
  }

  dispose(): void {
    this.disposed = true;
  }
}
