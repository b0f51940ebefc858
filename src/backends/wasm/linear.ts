import { DisposedError } from '../../errors.js';
import type { Sequences } from '../../data/sequences.js';
import { core, type Core } from './core.js';

const GROUP = 16; // samples per SIMD group in assembly/linear.ts

/** The counter's data in WebAssembly memory: x, t, scratch and results allocated once, reused every epoch. */
export class WasmLinear {
  private readonly core: Core;
  private readonly x: number;
  private readonly t: number;
  private readonly scratch: number;
  private readonly out: number;
  private disposed = false;
  readonly n: number;
  readonly T: number;

  constructor(data: Sequences, readonly simd = true) {
    this.core = core();
    const { arena } = this.core;
    this.n = data.samples;
    this.T = data.steps;
    [this.x, this.t, this.scratch, this.out] = arena.allocAll([data.x.byteLength, this.n * 4, (this.T + 1) * GROUP * 4, 3 * 8], 'data') as [number, number, number, number];
    const f32 = arena.f32;
    f32.set(data.x, this.x >>> 2);
    f32.set(data.targets.subarray(0, this.n), this.t >>> 2);
  }

  /** Fused epoch: writes [Σ e², ∂L/∂wx, ∂L/∂wRec] into `out`. */
  lossGrad(wx: number, wRec: number, c: number, out: Float64Array): void {
    this.check();
    const e = this.core.exports;
    (this.simd ? e.linearLossGrad : e.linearLossGradScalar)(this.x, this.t, this.n, this.T, wx, wRec, c, this.scratch, this.out);
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
      exports.linearStates(this.x, this.n, this.T, wx, wRec, s);
      return arena.f32.slice(s >>> 2, (s + bytes) >>> 2);
    } finally {
      arena.release(s);
    }
  }

  /** Release the WebAssembly memory held for this data set. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const { arena } = this.core;
    for (const b of [this.x, this.t, this.scratch, this.out]) arena.release(b);
  }

  private check(): void {
    if (this.disposed) throw new DisposedError('bound data');
  }
}
