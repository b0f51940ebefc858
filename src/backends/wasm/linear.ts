import { GROUP, RULE_HYPER_WORDS, RULE_SLOTS, STATUS_BAD_WEIGHTS, STATUS_BITS } from '../../abi/codes.js';
import {
  LJ_BYTES, LJ_C, LJ_CALL_AT, LJ_CALL_EVERY, LJ_CLIP, LJ_EPOCHS, LJ_HYPER, LJ_LAST_GOOD, LJ_LOSSES, LJ_N, LJ_PARAMS, LJ_RULE, LJ_SCALE, LJ_SCRATCH,
  LJ_SIMD, LJ_SLOTS, LJ_STEP, LJ_STEPS, LJ_T, LJ_WEIGHTS, LJ_WORDS, LJ_X,
} from '../../abi/linear.js';
import { DataError, DisposedError } from '../../errors.js';
import type { Sequences } from '../../data/sequences.js';
import type { CoreJob, CoreOutcome } from '../backend.js';
import { core, type Core } from './core.js';

const STAGE_BYTES = 64 << 10; // f32 inputs pass through this much core memory on their way to bytes
export const BYTES_FROM = 64 << 10; // 0/1 inputs of more f32 bytes than this are kept as u8 (the tutorial's 800 B ran faster as f32)
const JOB_BYTES = LJ_WORDS * 4;

/** The counter's data in WebAssembly memory: x, t, scratch and results allocated once, reused every epoch. */
export class WasmLinear {
  private readonly core: Core;
  private readonly x: number;
  private readonly t: number;
  private readonly scratch: number;
  private readonly out: number;
  private job = 0; // in-core training: the job block (src/abi/linear.ts), then losses f64[jobEpochs], weights f32[jobEpochs][2]
  private jobEpochs = 0;
  private readonly outcome: CoreOutcome = { epochs: 0, status: 0 }; // one object, refilled by every train call
  private written: { c: number; scale: number; rule: number; hyper: Float32Array; track: boolean } | undefined; // the job block's static words, as last written
  private disposed = false;
  readonly n: number;
  readonly T: number;
  /** Whether the inputs are held as u8 (0/1 data): a quarter of the memory and of the bytes each epoch reads. */
  readonly bytes: boolean;
  /** u8 inputs for the SIMD kernel are laid out group-major (assembly/linear.ts): each group of 16 samples reads contiguous memory. */
  private readonly grouped: boolean;

  /**
   * Copy the data in once; `bytes` forces (true) or forbids (false) u8 inputs, by default chosen for
   * large 0/1 data. The copy checks every value in core memory (DataError naming `name`, nothing
   * kept): targets first, then 0/1 inputs as they are packed, other inputs after the copy, so the
   * caller need not scan them first (checkSequences with `values: false`) and no value is read twice
   * on the JavaScript side.
   */
  constructor(data: Sequences, readonly simd = true, bytes?: boolean, name = 'data') {
    this.core = core();
    const { arena, exports } = this.core;
    this.n = data.samples;
    this.T = data.steps;
    const values = this.n * this.T;
    const x = data.x.subarray(0, values);
    const targets = data.targets.subarray(0, this.n);
    // u8 loads read 8 bytes at a time: 8 bytes of slack keep the last group inside the block. Group-major: the last group padded to 16.
    const grouped = simd;
    // Scratch: the states of a group and of a 4-sample tail beside it (f32[T+1][16 + 4]), or of a pair of groups for group-major bytes (assembly/linear.ts groupPairs).
    const packed = bytes ?? values * 4 > BYTES_FROM;
    const blocks = arena.transaction(() => {
      const [t, scratch, out] = arena.allocAll([this.n * 4, (this.T + 1) * 4 * (packed && grouped ? 2 * GROUP : GROUP + 4), 3 * 8], 'data');
      arena.f32.set(targets, t! >>> 2);
      const badT = exports.firstNonFinite(t!, this.n);
      if (badT >= 0) throw new DataError(`${name}.targets`, targets[badT], badT, 'a finite number');
      let xAt: number | undefined = packed ? arena.alloc((grouped ? Math.ceil(this.n / GROUP) * GROUP * this.T : values) + 8, 'data') : undefined;
      if (xAt !== undefined && !this.pack(x, xAt, grouped)) {
        arena.release(xAt);
        xAt = undefined;
      }
      if (xAt === undefined) {
        xAt = arena.alloc(values * 4, 'data');
        arena.f32.set(x, xAt >>> 2);
        const bad = exports.firstNonFinite(xAt, values);
        if (bad >= 0) throw new DataError(`${name}.x`, x[bad], bad, 'a finite number');
        return [xAt, t!, scratch!, out!, 0];
      }
      return [xAt, t!, scratch!, out!, 1];
    });
    [this.x, this.t, this.scratch, this.out] = blocks as [number, number, number, number];
    this.bytes = blocks[4] === 1;
    this.grouped = this.bytes && grouped;
  }

  /** Copy 0/1 inputs into bytes at `to` (time-major, or group-major), through a 64 KiB staging block; false when another value is among them. */
  private pack(x: Float32Array, to: number, grouped: boolean): boolean {
    const { arena, exports } = this.core;
    const chunk = STAGE_BYTES >>> 2;
    let stage: number;
    try {
      [stage] = arena.allocAll([STAGE_BYTES], 'data') as [number];
    } catch {
      return false; // no room to stage: keep the inputs as f32 (the caller releases its blocks)
    }
    try {
      if (!grouped) {
        for (let o = 0; o < x.length; o += chunk) {
          const part = x.subarray(o, o + chunk);
          arena.f32.set(part, stage >>> 2);
          if (!exports.linearPackBytes(stage, to + o, part.length)) return false;
        }
        return true;
      }
      // Step by step, each step's samples in chunks of whole groups (chunk is a multiple of 16).
      const { n, T } = this;
      for (let k = 0; k < T; k++) {
        for (let o = 0; o < n; o += chunk) {
          const part = x.subarray(k * n + o, k * n + Math.min(o + chunk, n));
          arena.f32.set(part, stage >>> 2);
          if (!exports.linearPackGroups(stage, to, T, k, o, part.length)) return false;
        }
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
    // SIMD bytes are always group-major; time-major bytes are the scalar kernel's (and the threads core's, inside its blocks).
    const kernel = this.grouped ? e.linearLossGradGroups : this.bytes ? e.linearLossGradBytesScalar : this.simd ? e.linearLossGrad : e.linearLossGradScalar;
    kernel(this.x, this.t, this.n, this.T, wx, wRec, c, this.scratch, this.out);
    const f64 = this.core.arena.f64;
    const o = this.out >>> 3;
    out[0] = f64[o]!;
    out[1] = f64[o + 1]!;
    out[2] = f64[o + 2]!;
  }

  /** The optimizer's slots as the job block at word `w` holds them, into `slots` (f32[2] each). */
  private slotsOut(slots: readonly Float32Array[], w: number): void {
    const f32 = this.core.arena.f32;
    for (let i = 0, o = w + LJ_SLOTS; i < slots.length; i++, o += 2) {
      const slot = slots[i]!;
      slot[0] = f32[o]!;
      slot[1] = f32[o + 1]!;
    }
  }

  /** Every state, time-major f32[T+1][n], copied out of WebAssembly memory. */
  states(wx: number, wRec: number): Float32Array {
    this.check();
    const { arena, exports } = this.core;
    const bytes = (this.T + 1) * this.n * 4;
    const [s] = arena.allocAll([bytes], 'data') as [number];
    try {
      (this.grouped ? exports.linearStatesGroups : this.bytes ? exports.linearStatesBytes : exports.linearStates)(this.x, this.n, this.T, wx, wRec, s);
      return arena.f32.slice(s >>> 2, (s + bytes) >>> 2);
    } finally {
      arena.release(s);
    }
  }

  /**
   * Run up to `job.epochs` epochs inside the core (assembly/in-core.ts); copies state in and results out once.
   * The job block stays in core memory between calls: words that do not change from one call to the
   * next (pointers, sizes, c, scale, the rule and its hyper-parameters) are written only when they do,
   * so a short run pays for little more than its epochs. An `onEpoch` is heard from inside the run
   * (job.report, through the core's epochEnd import), not by a run per epoch.
   */
  train(c: number, scale: number, job: CoreJob): CoreOutcome {
    this.check();
    const { arena, exports } = this.core;
    if (job.params.length !== 2) throw new RangeError('core job does not fit the counter');
    if (job.epochs > this.jobEpochs) {
      // Allocate first, release after: a failed allocation leaves the old block in place.
      const [b] = arena.allocAll([JOB_BYTES + job.epochs * 16], 'epochs');
      if (this.job) arena.release(this.job);
      this.job = b!;
      this.jobEpochs = job.epochs;
      this.written = undefined;
    }
    const b = this.job;
    const w = b >>> 2;
    const losses = b + JOB_BYTES;
    const weights = losses + this.jobEpochs * 8;
    let f32 = arena.f32; // one look at memory.buffer up to the run: nothing here grows memory
    const i32 = arena.i32;
    let f64 = arena.f64;
    const track = job.weights !== undefined;
    const last = this.written;
    if (!last || last.c !== c || last.scale !== scale || last.rule !== job.rule || last.hyper !== job.hyper || last.track !== track) {
      if (job.slots.length > RULE_SLOTS || job.hyper.length > RULE_HYPER_WORDS) throw new RangeError('core job does not fit the counter'); // both fixed by the rule
      for (let i = 0; i < job.hyper.length; i++) f32[w + LJ_HYPER + i] = job.hyper[i]!;
      i32[w + LJ_X] = this.x;
      i32[w + LJ_T] = this.t;
      i32[w + LJ_N] = this.n;
      i32[w + LJ_STEPS] = this.T;
      i32[w + LJ_SCRATCH] = this.scratch;
      i32[w + LJ_BYTES] = this.bytes ? 1 : 0;
      i32[w + LJ_SIMD] = this.simd ? 1 : 0;
      i32[w + LJ_RULE] = job.rule;
      i32[w + LJ_LOSSES] = losses;
      i32[w + LJ_WEIGHTS] = track ? weights : 0;
      f32[w + LJ_C] = c;
      f64[(b >>> 3) + (LJ_SCALE >>> 1)] = scale;
      // The hyper-parameters are compared by identity: an optimizer's core rule keeps one array for its life.
      this.written = { c, scale, rule: job.rule, hyper: job.hyper, track };
    }
    const { params, slots } = job;
    const p0 = params[0]!, p1 = params[1]!;
    f32[w + LJ_PARAMS] = p0;
    f32[w + LJ_PARAMS + 1] = p1;
    for (let i = 0, o = w + LJ_SLOTS; i < slots.length; i++, o += 2) {
      const slot = slots[i]!;
      f32[o] = slot[0]!;
      f32[o + 1] = slot[1]!;
    }
    i32[w + LJ_STEP] = job.step;
    f32[w + LJ_CLIP] = job.clipValue ?? 0;
    i32[w + LJ_EPOCHS] = job.epochs;
    const { report } = job;
    i32[w + LJ_CALL_AT] = report && job.reportAt !== undefined && job.reportAt >= 0 ? job.reportAt : -1;
    i32[w + LJ_CALL_EVERY] = Math.max(1, job.reportEvery ?? 1);
    const outcome = this.outcome;
    outcome.thrown = undefined;
    let r: number;
    if (!report) r = exports.linearTrain(b);
    else {
      const outer = this.core.epochEnd; // a run started inside a handler restores the one around it
      this.core.epochEnd = (_job, e, loss) => this.reported(job, b, e, loss);
      job.syncSlots = () => this.slotsOut(job.slots, w);
      try {
        r = exports.linearTrain(b);
      } finally {
        this.core.epochEnd = outer;
        job.syncSlots = undefined;
      }
      // A handler may have disposed of this data (its blocks are free now) or grown memory.
      this.check();
      f32 = arena.f32;
      f64 = arena.f64;
    }
    const epochs = r >>> STATUS_BITS;
    const status = r & ((1 << STATUS_BITS) - 1);
    params[0] = f32[w + LJ_PARAMS]!;
    params[1] = f32[w + LJ_PARAMS + 1]!;
    // The core writes lastGood at each epoch that passed its checks (not read on entry): after the
    // first such epoch, the weights it started from.
    const recorded = epochs + (status === STATUS_BAD_WEIGHTS ? 1 : 0);
    if (recorded === 1) {
      job.lastGood[0] = p0;
      job.lastGood[1] = p1;
    } else if (recorded > 1) {
      job.lastGood[0] = f32[w + LJ_LAST_GOOD]!;
      job.lastGood[1] = f32[w + LJ_LAST_GOOD + 1]!;
    }
    if (!job.slotsTaken) this.slotsOut(slots, w);
    const l = losses >>> 3;
    if (recorded === 1) job.losses[0] = f64[l]!;
    else if (recorded > 1) job.losses.set(f64.subarray(l, l + recorded));
    if (track && epochs > 0) {
      const o = weights >>> 2;
      if (epochs === 1) {
        job.weights![0] = f32[o]!;
        job.weights![1] = f32[o + 1]!;
      } else job.weights!.set(f32.subarray(o, o + 2 * epochs));
    }
    outcome.epochs = epochs;
    outcome.status = status;
    return outcome;
  }

  /**
   * Epoch `e` of the run at job block `b` reported to job.report with its loss: the weights after it
   * out to the job's params (the slots when the optimizer asks: syncSlots), then the handler, then its
   * weights back in if it changed them. 1 stops the run: the handler said so, threw (kept in the
   * outcome), or disposed of this data.
   */
  private reported(job: CoreJob, b: number, e: number, loss: number): number {
    const { arena } = this.core;
    const w = b >>> 2;
    const { params } = job;
    const f32 = arena.f32;
    const p0 = (params[0] = f32[w + LJ_PARAMS]!);
    const p1 = (params[1] = f32[w + LJ_PARAMS + 1]!);
    let stop: boolean;
    try {
      stop = job.report!(e, loss);
    } catch (error) {
      this.outcome.thrown = { error };
      return 1;
    }
    if (this.disposed) return 1;
    if (params[0] !== p0 || params[1] !== p1) {
      const now = arena.f32; // the handler may have grown memory
      now[w + LJ_PARAMS] = params[0]!;
      now[w + LJ_PARAMS + 1] = params[1]!;
      // The weights recorded after this epoch are those the next starts from: the handler's.
      const tracked = arena.i32[w + LJ_WEIGHTS]! >>> 2;
      if (tracked) {
        now[tracked + 2 * e] = params[0]!;
        now[tracked + 2 * e + 1] = params[1]!;
      }
    }
    return stop ? 1 : 0;
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
