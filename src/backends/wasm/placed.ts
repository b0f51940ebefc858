// A recurrent model's data placed in WebAssembly memory once (model.place): the inputs and targets,
// a shuffled copy made on the first shuffle. Workspaces of a layer stack (./stack-bound.ts) read it.
import { DisposedError } from '../../errors.js';
import { weightingOf, type Sequences } from '../../data/sequences.js';
import type { PlacedWidths } from '../backend.js';
import { core, type Core } from './core.js';

/** A data set in WebAssembly memory: x and targets copied in once, a second copy for shuffled epochs. */
export class WasmPlaced {
  protected readonly core: Core;
  private readonly x: number;
  private readonly t: number;
  private xShuf = 0;
  private tShuf = 0;
  /** The step mask f32[T][n] and sample weights f32[n] (0 = none), and their shuffled copies. */
  private readonly m: number = 0;
  private readonly sw: number = 0;
  private mShuf = 0;
  private swShuf = 0;
  private shuffled = false;
  private disposed = false;
  /** Workspaces over this data: released with it. */
  readonly n: number;
  readonly T: number;

  /** `c`: the core whose memory holds the data (a thread pool's, for threaded placements). */
  constructor(private readonly data: Sequences, readonly d: PlacedWidths, c: Core = core()) {
    this.core = c;
    const { arena } = this.core;
    this.n = data.samples;
    this.T = data.steps;
    const { mask, sw } = weightingOf(data);
    const extra = [mask, sw].filter((a) => a !== null);
    const blocks = arena.allocAll([data.x.byteLength, data.targets.byteLength, ...extra.map((a) => a.byteLength)], 'data');
    [this.x, this.t] = blocks as [number, number];
    if (mask) this.m = blocks[2]!;
    if (sw) this.sw = blocks[mask ? 3 : 2]!;
    const f32 = arena.f32;
    f32.set(data.x, this.x >>> 2);
    f32.set(data.targets, this.t >>> 2);
    if (mask) f32.set(mask, this.m >>> 2);
    if (sw) f32.set(sw, this.sw >>> 2);
  }

  /** Reorder the samples (order[i] = source sample of slot i, a checked permutation) for the following batches; null restores the original order. */
  shuffle(order: Uint32Array | null): void {
    this.check();
    if (order === null) {
      this.shuffled = false;
      return;
    }
    if (!this.xShuf) {
      // Both copies or neither: a failed allocation leaves no half-made pair behind.
      [this.xShuf, this.tShuf, this.mShuf, this.swShuf] = this.core.arena.allocAll([this.data.x.byteLength, this.data.targets.byteLength, this.m ? this.n * this.T * 4 : 0, this.sw ? this.n * 4 : 0], 'shuffle') as [number, number, number, number];
    }
    const f32 = this.core.arena.f32;
    const { n, T } = this;
    const { I, O } = this.d;
    const tSteps = this.data.targetsPerStep ? T : 1;
    permute(f32, this.x >>> 2, this.xShuf >>> 2, order, n, T, I);
    permute(f32, this.t >>> 2, this.tShuf >>> 2, order, n, tSteps, O);
    if (this.m) permute(f32, this.m >>> 2, this.mShuf >>> 2, order, n, T, 1);
    if (this.sw) permute(f32, this.sw >>> 2, this.swShuf >>> 2, order, n, 1, 1);
    this.shuffled = true;
  }

  /** @internal The current sample order's inputs, targets, mask and weights (0 when absent). */
  source(): { x: number; t: number; m: number; sw: number } {
    return this.shuffled ? { x: this.xShuf, t: this.tShuf, m: this.m && this.mShuf, sw: this.sw && this.swShuf } : { x: this.x, t: this.t, m: this.m, sw: this.sw };
  }

  /** @internal The original order's mask (0 when none). */
  get originalMask(): number {
    return this.m;
  }

  /** True when the data carry a mask or sample weights. */
  get weighted(): boolean {
    return this.m !== 0 || this.sw !== 0;
  }

  /** @internal The original order's inputs. */
  get originalX(): number {
    return this.x;
  }

  /** Release the data and every workspace made over it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const { arena } = this.core;
    for (const b of [this.x, this.t, this.xShuf, this.tShuf, this.m, this.sw, this.mShuf, this.swShuf]) if (b) arena.release(b);
  }

  check(): void {
    if (this.disposed) throw new DisposedError('placed data');
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
