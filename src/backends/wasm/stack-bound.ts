// One binding of a layer stack in the core: params, grads and the stack's states and scratch for
// batches of up to maxBatch samples, over data placed once (./placed.ts).

import { outputsInBatches } from '../batched.js';
import { RULE_HYPER_WORDS, RULE_SLOTS } from '../../abi/codes.js';
import type { ResidentWork } from '../backend.js';
import { DisposedError } from '../../errors.js';
import type { StackDims, StateFlow, StateRows } from '../../stack-spec.js';
import { outputSteps } from '../../stack-wiring.js';
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
    arena.f32.set(params, this.p >>> 2);
    const L = this.pass(n0, B, kind, s, window, flow);
    grads.set(arena.f32.subarray(this.g >>> 2, (this.g >>> 2) + this.P));
    return L;
  }

  /** lossGrad at the params already in the workspace, the gradient left there (checked by the caller). */
  protected pass(n0: number, B: number, kind: LossSpec, s: number, window: number, flow?: StateFlow): number {
    // Targets are as wide as the placed data's rows: O values, or one class id for a sparse loss.
    const { I } = this.d, O = this.data.d.O;
    const { n, T } = this.data;
    const { x, t, m, sw } = this.data.source();
    const v = m || sw ? { mask: m && m + n0 * 4, ms: n, sw: sw && sw + n0 * 4 } : UNWEIGHTED;
    return this.stack.lossGrad(x + n0 * I * 4, n * I, t + n0 * O * 4, n * O, B, T, kind, s, window, this.p, this.g, flow, v);
  }

  /**
   * The resident capability (src/models/batches.ts): over a run of batches the params, the
   * optimizer's slots and the last good params stay in core memory, each batch one `pass` and one
   * checked update there; `leave` copies them back. Buffers are made on first use and kept.
   */
  readonly resident: ResidentWork = {
    enter: (job) => {
      this.check();
      const { arena } = this.core;
      if (job.slots.length > RULE_SLOTS || job.hyper.length > RULE_HYPER_WORDS) throw new RangeError('core job does not fit the workspace'); // both fixed by the rule
      if (this.kept === undefined) {
        const [lg, st, hy] = arena.allocAll([this.P * 4, RULE_SLOTS * this.P * 4, RULE_HYPER_WORDS * 4], 'batch job') as [number, number, number];
        this.kept = { lg, st, hy };
      }
      const f32 = arena.f32, { st, hy } = this.kept;
      f32.set(job.params, this.p >>> 2);
      job.slots.forEach((slot, i) => f32.set(slot, (st >>> 2) + i * this.P));
      f32.set(job.hyper, hy >>> 2);
    },
    pass: (n0, B, kind, s, window, flow) => {
      this.check();
      return this.pass(n0, B, kind, s, window, flow);
    },
    update: (job, t) => {
      const { lg, st, hy } = this.kept!;
      return this.core.exports.updateChecked(this.p, this.g, lg, this.P, job.rule, hy, st, t, job.clipValue);
    },
    leave: (job, updated) => {
      const f32 = this.core.arena.f32, { lg, st } = this.kept!, P = this.P;
      const at = (o: number) => f32.subarray(o >>> 2, (o >>> 2) + P);
      job.params.set(at(this.p));
      job.grads.set(at(this.g));
      if (updated) job.lastGood.set(at(lg));
      job.slots.forEach((slot, i) => slot.set(at(st + i * P * 4)));
    },
  };

  private kept: { lg: number; st: number; hy: number } | undefined;

  /** Outputs of every sample in the original order, f32[Tout][n][O]; with a flow, the samples are one batch. */
  forward(params: Float32Array, flow?: StateFlow): Float32Array {
    this.check();
    const { arena } = this.core;
    const { n, T } = this.data;
    const { I, O } = this.d;
    const steps = outputSteps(this.d, T);
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
    if (this.kept) for (const b of [this.kept.lg, this.kept.st, this.kept.hy]) this.core.arena.release(b);
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
