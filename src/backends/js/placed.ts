// A recurrent model's data placed once on the plain-TypeScript backend (model.place): a copy of
// the arrays, a shuffled copy when asked. Workspaces of a layer stack (./stack-bound.ts) read it.
import { DisposedError } from '../../errors.js';
import { targetSteps, type Sequences } from '../../data/sequences.js';
import type { PlacedWidths } from '../backend.js';

/** A data set on the plain-TypeScript backend: a copy of the arrays, a shuffled copy when asked. */
export class JsPlaced {
  private x: Float32Array;
  private t: Float32Array;
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
  }

  /** Reorder the samples (order[i] = source sample of slot i, a checked permutation); null restores the original order. */
  shuffle(order: Uint32Array | null): void {
    this.check();
    if (order === null) {
      this.x = this.data.x;
      this.t = this.data.targets;
      return;
    }
    const { n, T } = this;
    this.x = gather(this.data.x, order, n, T, this.d.I, this.x === this.data.x ? undefined : this.x);
    this.t = gather(this.data.targets, order, n, targetSteps(this.data), this.d.O, this.t === this.data.targets ? undefined : this.t);
  }

  /** @internal The current order's arrays, or the original ones. */
  arrays(original: boolean): { x: Float32Array; t: Float32Array } {
    return original ? { x: this.data.x, t: this.data.targets } : { x: this.x, t: this.t };
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
