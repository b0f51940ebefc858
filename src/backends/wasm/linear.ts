import { DisposedError } from '../../errors.js';
import type { Sequences } from '../../data/sequences.js';
import type { CoreJob, CoreOutcome } from '../backend.js';
import { core, type Core } from './core.js';

const GROUP = 16; // samples per SIMD group in assembly/linear.ts
const JOB_BYTES = 128; // the fixed part of an in-core job block, before its losses and weights
const STAGE_BYTES = 64 << 10; // f32 inputs pass through this much core memory on their way to bytes
const BYTES_FROM = 64 << 10; // 0/1 inputs of more f32 bytes than this are kept as u8 (the tutorial's 800 B ran faster as f32)

/** The counter's data in WebAssembly memory: x, t, scratch and results allocated once, reused every epoch. */
export class WasmLinear {
  private readonly core: Core;
  private readonly x: number;
  private readonly t: number;
  private readonly scratch: number;
  private readonly out: number;
  private job = 0; // in-core training: p, lastGood, grads, out f64[3], hyper f32[8], slots f32[4], losses, weights
  private jobEpochs = 0;
  private disposed = false;
  readonly n: number;
  readonly T: number;
  /** Whether the inputs are held as u8 (0/1 data): a quarter of the memory and of the bytes each epoch reads. */
  readonly bytes: boolean;

  /** Copy the data in once; `bytes` forces (true) or forbids (false) u8 inputs, by default chosen for large 0/1 data. */
  constructor(data: Sequences, readonly simd = true, bytes?: boolean) {
    this.core = core();
    const { arena } = this.core;
    this.n = data.samples;
    this.T = data.steps;
    const values = this.n * this.T;
    const x = data.x.subarray(0, values);
    // u8 loads read 8 bytes at a time: 8 bytes of slack keep the last group inside the block.
    const sizes = [values + 8, this.n * 4, (this.T + 1) * GROUP * 4, 3 * 8];
    let blocks = bytes ?? values * 4 > BYTES_FROM ? arena.allocAll(sizes, 'data') : undefined;
    if (blocks && !this.pack(x, blocks[0]!)) {
      for (const b of blocks) arena.release(b);
      blocks = undefined;
    }
    this.bytes = blocks !== undefined;
    if (!blocks) {
      sizes[0] = values * 4;
      blocks = arena.allocAll(sizes, 'data');
      arena.f32.set(x, blocks[0]! >>> 2);
    }
    [this.x, this.t, this.scratch, this.out] = blocks as [number, number, number, number];
    arena.f32.set(data.targets.subarray(0, this.n), this.t >>> 2);
  }

  /** Copy 0/1 inputs into bytes at `to`, through a 64 KiB staging block; false at the first other value. */
  private pack(x: Float32Array, to: number): boolean {
    const { arena, exports } = this.core;
    const chunk = STAGE_BYTES >>> 2;
    const [stage] = arena.allocAll([STAGE_BYTES], 'data') as [number];
    try {
      for (let o = 0; o < x.length; o += chunk) {
        const part = x.subarray(o, o + chunk);
        arena.f32.set(part, stage >>> 2);
        if (!exports.linearPackBytes(stage, to + o, part.length)) return false;
      }
      return true;
    } finally {
      arena.release(stage);
    }
  }

  /** Fused epoch: writes [Σ e², ∂L/∂wx, ∂L/∂wRec] into `out`. */
  lossGrad(wx: number, wRec: number, c: number, out: Float64Array): void {
    this.check();
    const e = this.core.exports;
    const kernel = this.bytes ? (this.simd ? e.linearLossGradBytes : e.linearLossGradBytesScalar) : this.simd ? e.linearLossGrad : e.linearLossGradScalar;
    kernel(this.x, this.t, this.n, this.T, wx, wRec, c, this.scratch, this.out);
    const f64 = this.core.arena.f64;
    const o = this.out >>> 3;
    out[0] = f64[o]!;
    out[1] = f64[o + 1]!;
    out[2] = f64[o + 2]!;
  }

  /** Every state, time-major f32[T+1][n], copied out of WebAssembly memory. */
  states(wx: number, wRec: number): Float32Array {
    this.check();
    const { arena, exports } = this.core;
    const bytes = (this.T + 1) * this.n * 4;
    const [s] = arena.allocAll([bytes], 'data') as [number];
    try {
      (this.bytes ? exports.linearStatesBytes : exports.linearStates)(this.x, this.n, this.T, wx, wRec, s);
      return arena.f32.slice(s >>> 2, (s + bytes) >>> 2);
    } finally {
      arena.release(s);
    }
  }

  /** Run up to `job.epochs` epochs inside the core (assembly/in-core.ts); copies state in and results out once. */
  train(c: number, scale: number, job: CoreJob): CoreOutcome {
    this.check();
    const { arena, exports } = this.core;
    if (job.params.length !== 2 || job.slots.length > 4 || job.hyper.length > 8) throw new RangeError('core job does not fit the counter');
    if (job.epochs > this.jobEpochs) {
      if (this.job) arena.release(this.job);
      this.job = 0;
      this.job = arena.alloc(JOB_BYTES + job.epochs * 16);
      this.jobEpochs = job.epochs;
    }
    const b = this.job;
    const hyper = b + 64;
    const slots = b + 96;
    const losses = b + JOB_BYTES;
    const weights = losses + this.jobEpochs * 8;
    let f32 = arena.f32;
    f32.set(job.params, b >>> 2);
    f32.set(job.lastGood, (b + 8) >>> 2);
    f32.set(job.hyper, hyper >>> 2);
    f32.set(job.slots, slots >>> 2);
    const r = exports.linearTrain(
      this.x, this.t, this.n, this.T, c, scale, this.simd ? 1 : 0, this.bytes ? 1 : 0, this.scratch,
      job.rule, hyper, slots, job.step, b, job.epochs, losses, job.weights ? weights : 0,
    );
    const epochs = r >>> 2;
    const status = (r & 3) as CoreOutcome['status'];
    f32 = arena.f32;
    job.params.set(f32.subarray(b >>> 2, (b >>> 2) + 2));
    job.lastGood.set(f32.subarray((b + 8) >>> 2, ((b + 8) >>> 2) + 2));
    job.slots.set(f32.subarray(slots >>> 2, (slots >>> 2) + job.slots.length));
    const recorded = epochs + (status === 3 ? 1 : 0);
    job.losses.set(arena.f64.subarray(losses >>> 3, (losses >>> 3) + recorded));
    job.weights?.set(f32.subarray(weights >>> 2, (weights >>> 2) + 2 * epochs));
    return { epochs, status };
  }

  /** Release the WebAssembly memory held for this data set. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const { arena } = this.core;
    for (const b of [this.x, this.t, this.scratch, this.out]) arena.release(b);
    if (this.job) arena.release(this.job);
  }

  private check(): void {
    if (this.disposed) throw new DisposedError('bound data');
  }
}
