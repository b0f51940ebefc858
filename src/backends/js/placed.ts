// A recurrent model's data placed once on the plain-TypeScript backend (model.place): a copy of
// the arrays, a shuffled copy when asked. Workspaces of a layer stack (./stack-bound.ts) read it.
import { DisposedError } from '../../errors.js';
import { weightingOf, type Sequences } from '../../data/sequences.js';
import type { PlacedWidths } from '../backend.js';

/** A data set on the plain-TypeScript backend: a copy of the arrays, a shuffled copy when asked. */
export class JsPlaced {
  private x: Float32Array;
  private t: Float32Array;
  /** The step mask [T][n] and sample weights [n] (null when absent), in the current order, and in the original. */
  private m: Float32Array | null;
  private sw: Float32Array | null;
  private readonly m0: Float32Array | null;
  private readonly sw0: Float32Array | null;
  private disposed = false;
  readonly n: number;
  readonly T: number;

  private readonly data: Sequences;

  /** Copies the arrays, as the core does, so later changes to the caller's arrays do not reach placed data on either backend. */
  constructor(data: Sequences, readonly d: PlacedWidths) {
    this.data = { ...data, x: data.x.slice(), targets: data.targets.slice() };
    data = this.data;
    this.n = data.samples;
    this.T = data.steps;
    this.x = data.x;
    this.t = data.targets;
    ({ mask: this.m0, sw: this.sw0 } = weightingOf(data));
    [this.m, this.sw] = [this.m0, this.sw0];
  }

  /** Reorder the samples (order[i] = source sample of slot i, a checked permutation); null restores the original order. */
  shuffle(order: Uint32Array | null): void {
    this.check();
    if (order === null) {
      this.x = this.data.x;
      this.t = this.data.targets;
      [this.m, this.sw] = [this.m0, this.sw0];
      return;
    }
    const { n, T } = this;
    this.x = gather(this.data.x, order, n, T, this.d.I, this.x === this.data.x ? undefined : this.x);
    this.t = gather(this.data.targets, order, n, this.data.targetsPerStep ? T : 1, this.d.O, this.t === this.data.targets ? undefined : this.t);
    if (this.m0) this.m = gather(this.m0, order, n, T, 1, this.m === this.m0 ? undefined : this.m!);
    if (this.sw0) this.sw = gather(this.sw0, order, n, 1, 1, this.sw === this.sw0 ? undefined : this.sw!);
  }

  /** @internal The current order's arrays, or the original ones; m and sw null when absent. */
  arrays(original: boolean): { x: Float32Array; t: Float32Array; m: Float32Array | null; sw: Float32Array | null } {
    return original ? { x: this.data.x, t: this.data.targets, m: this.m0, sw: this.sw0 } : { x: this.x, t: this.t, m: this.m, sw: this.sw };
  }

  /** Drop the arrays' owner; the data cannot be used afterwards. */
  dispose(): void {
    this.disposed = true;
  }

  check(): void {
    if (this.disposed) throw new DisposedError('placed data');
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
