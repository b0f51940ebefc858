// One binding of a layer stack in the core: params, grads and the stack's states and scratch for
// batches of up to maxBatch samples, over data placed once (./placed.ts).

import { outputsInBatches } from '../batched.js';
import { DisposedError } from '../../errors.js';
import type { StackDims, StateFlow, StateRows } from '../../stack-spec.js';
import type { LossSpec } from '../../losses.js';
import type { Core } from './core.js';
import { core } from './core.js';
import type { WasmPlaced } from './placed.js';
import { UNWEIGHTED, WasmStack } from './stack.js';

/** A stack's workspace over placed data: all or nothing allocated. */
export class WasmStackWork {
  protected readonly core: Core;
  protected readonly p: number;
  protected readonly g: number;
  protected readonly stack: WasmStack;
  private disposed = false;

  /** `c`: the core whose memory holds the data (a thread pool's, for threaded placements). */
  constructor(protected readonly data: WasmPlaced, protected readonly d: StackDims, readonly maxBatch: number, protected readonly P: number, argument: string, c: Core = core()) {
    this.core = c;
    [this.p, this.g] = this.core.arena.allocAll([P * 4, P * 4], argument) as [number, number];
    try {
      this.stack = new WasmStack(d, maxBatch, data.T, argument, c);
    } catch (error) {
      for (const b of [this.p, this.g]) this.core.arena.release(b);
      throw error;
    }
  }

  /** Forward, loss and BPTT for samples [n0, n0 + B) of the current order; grads written into `grads`. */
  lossGrad(n0: number, B: number, kind: LossSpec, s: number, window: number, params: Float32Array, grads: Float32Array, flow?: StateFlow): number {
    this.check();
    const { arena } = this.core;
    // Targets are as wide as the placed data's rows: O values, or one class id for a sparse loss.
    const { I } = this.d, O = this.data.d.O;
    const { n, T } = this.data;
    const { x, t, m, sw } = this.data.source();
    arena.f32.set(params, this.p >>> 2);
    const v = m || sw ? { mask: m && m + n0 * 4, ms: n, sw: sw && sw + n0 * 4 } : UNWEIGHTED;
    const L = this.stack.lossGrad(x + n0 * I * 4, n * I, t + n0 * O * 4, n * O, B, T, kind, s, window, this.p, this.g, flow, v);
    grads.set(arena.f32.subarray(this.g >>> 2, (this.g >>> 2) + this.P));
    return L;
  }

  /** Outputs of every sample in the original order, f32[Tout][n][O]; with a flow, the samples are one batch. */
  forward(params: Float32Array, flow?: StateFlow): Float32Array {
    this.check();
    const { arena } = this.core;
    const { n, T } = this.data;
    const { I, O } = this.d;
    const steps = this.d.seq ? T : 1;
    const [yb] = arena.allocAll([steps * this.maxBatch * O * 4], 'data') as [number];
    try {
      arena.f32.set(params, this.p >>> 2);
      return outputsInBatches(n, this.maxBatch, steps, O, (n0, B) => {
        const m = this.data.originalMask;
        this.stack.predict(this.data.originalX + n0 * I * 4, n * I, B, T, this.p, yb, flow, m ? { mask: m + n0 * 4, ms: n, sw: 0 } : UNWEIGHTED);
        return { out: arena.f32, at: yb >>> 2 };
      });
    } finally {
      arena.release(yb);
    }
  }

  /** Release this workspace's memory (not the data's). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stack.dispose();
    for (const b of [this.p, this.g]) this.core.arena.release(b);
  }

  protected check(): void {
    if (this.disposed) throw new DisposedError('binding');
    this.data.check();
  }
}

/**
 * Step-by-step inference for `streams` independent streams: inputs, params and outputs in the core,
 * the states carried by the stack between calls. `step` allocates nothing.
 */
export class WasmStepper {
  private readonly core: Core;
  private readonly x: number;
  private readonly p: number;
  private readonly y: number;
  private readonly stack: WasmStack;
  /** The outputs of the last step, f32[streams][O]; overwritten by the next. */
  readonly out: Float32Array;
  private disposed = false;

  constructor(private readonly d: StackDims, readonly streams: number, P: number) {
    this.core = core();
    [this.x, this.p, this.y] = this.core.arena.allocAll([streams * d.I * 4, P * 4, streams * d.O * 4], 'streams') as [number, number, number];
    try {
      this.stack = new WasmStack(d, streams, 1, 'streams');
    } catch (error) {
      for (const b of [this.x, this.p, this.y]) this.core.arena.release(b);
      throw error;
    }
    this.stack.bindStep(this.x, this.p, this.y);
    this.out = new Float32Array(streams * d.O);
  }

  /** Advance every stream by x [streams][I] (read from `x` at `x0`) at params; the outputs land in `out`. */
  step(x: ArrayLike<number>, x0: number, params: Float32Array): Float32Array {
    if (this.disposed) throw new DisposedError('stepper');
    const f32 = this.core.arena.f32;
    const n = this.streams * this.d.I, at = this.x >>> 2;
    for (let i = 0; i < n; i++) f32[at + i] = x[x0 + i]!;
    f32.set(params, this.p >>> 2);
    this.stack.step();
    const y = this.core.arena.f32, yo = this.y >>> 2;
    for (let i = 0; i < this.out.length; i++) this.out[i] = y[yo + i]!;
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
    if (this.disposed) return;
    this.disposed = true;
    this.stack.dispose();
    for (const b of [this.x, this.p, this.y]) this.core.arena.release(b);
  }
}
