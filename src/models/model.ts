// The one interface between models and the training loop. A model validates and copies a data
// set into its backend once (`place`), binds a placed data set to a loss and a batch schedule
// (`bind`), and the loop drives the binding. What a model or binding can do beyond the minimum
// (mini-batches, truncated BPTT, epochs inside the core) it declares; the loop never asks for a name.

import { Holdings } from './bindings.js';
import type { BatchJob, BatchOutcome, CoreJob, CoreOutcome } from '../backends/backend.js';
import type { Sequences } from '../data/sequences.js';
import { BusyError } from '../errors.js';
import type { LayerStateInput } from './state.js';

/** Models a training call is running on (the loop adds and removes them): their weights are not set from outside meanwhile. */
export const training = new WeakSet<object>();

/** Refuse a change of weights while a training call runs on `model` (it would be overwritten, or mix into an epoch). */
export function checkNotTraining(model: object, what: string): void {
  if (training.has(model)) throw new BusyError('model', `${what}: the model is training`);
}

/** A data set validated and copied into a model's backend once, to be trained on many times. */
export interface PlacedData {
  /** Number of sequences placed. */
  readonly samples: number;
  /** Time steps per sequence. */
  readonly steps: number;
  /** The model it was placed for; only that model can bind it. */
  readonly owner: object;
  /** False once disposed. */
  readonly live: boolean;
  /** Release the backend memory holding the data (the model's `dispose` does it too). */
  dispose(): void;
  /** Same as `dispose`, for `using`. */
  [Symbol.dispose](): void;
}

/** How to bind a placed data set: the loss, the samples per update and the truncated-BPTT window. */
export interface BindOptions<L extends string = string> {
  /** The loss to evaluate (default: the model's `defaultLoss`). */
  loss?: L | undefined;
  /** Samples per update (default: all, one update per epoch). */
  batchSize?: number | undefined;
  /** Truncated BPTT: the gradient flows back through windows of at most this many steps. */
  truncate?: number | undefined;
  /** Each layer's state the batches start from (models that carry a state; see TrainOptions.initialState). */
  initialState?: LayerStateInput[] | undefined;
}

/** A placed data set bound to a loss and a batch schedule: what the training loop drives. */
export interface Binding {
  /** Sequences in the bound data. */
  readonly samples: number;
  /** Time steps per sequence of the bound data. */
  readonly steps: number;
  /** Batches per epoch. */
  readonly batches: number;
  /** Samples in batch i, for i in [0, batches). */
  batchLength(i: number): number;
  /** The loss of batch i at the model's params; writes ∂L/∂params into the model's grads. Unchecked: may be non-finite. */
  lossAndGrad(i?: number): number;
  /** Capability: the threads each `lossAndGrad` runs on (1 when absent). */
  readonly threads?: number;
  /** Capability: reorder the samples for the following batches (a permutation of 0..samples−1), null for the original order. */
  shuffle?(order: Uint32Array | null): void;
  /** @internal Capability: run epochs of a closed-form optimizer inside the core (full batch). */
  trainEpochs?(job: CoreJob): CoreOutcome;
  /** @internal Capability: run batches, each with one closed-form optimizer step, inside the core. */
  trainBatches?(job: BatchJob): BatchOutcome;
  /** Release what the binding allocated (not the placed data). */
  dispose(): void;
}

/** What `train`, `trainSync` and `gradCheck` need of a model. */
export interface Trainable<W = unknown, L extends string = string> {
  /** Flat float32 parameters; optimizers update them in place. */
  readonly params: Float32Array;
  /** ∂L/∂params of the last evaluation, same layout. */
  readonly grads: Float32Array;
  /** The current weights by name (copies). */
  readonly weights: W;
  /** The weights by name of another flat parameter array of the same layout. */
  weightsOf(params: Float32Array): W;
  /** The loss names this model understands, and the one used when none is given. */
  readonly losses: readonly L[];
  /** The loss used when none is given. */
  readonly defaultLoss: L;
  /** Validate and copy a data set into the backend once. */
  place(data: Sequences): PlacedData;
  /** Bind placed data of this model (or a data set, placed for the binding's lifetime) to a loss and batch schedule; options it cannot honour are ConfigErrors. */
  bind(data: PlacedData | Sequences, options?: BindOptions<L>): Binding;
}

/**
 * The placed-data handle every model returns: the backend's copy of the data, tied to its model.
 * `dispose` releases it once; the model's own `dispose` releases every placement it still holds.
 */
export class Placement<B extends { dispose(): void }> implements PlacedData {
  private backendData: B | undefined;

  constructor(
    readonly owner: object,
    backend: B,
    readonly samples: number,
    readonly steps: number,
    private readonly release: (p: Placement<B>) => void,
  ) {
    this.backendData = backend;
  }

  get live(): boolean {
    return this.backendData !== undefined;
  }

  /** The backend's copy; DisposedError after `dispose`. */
  get backend(): B | undefined {
    return this.backendData;
  }

  dispose(): void {
    const b = this.backendData;
    if (!b) return;
    this.backendData = undefined;
    this.attached.disposeAll();
    b.dispose();
    this.release(this);
  }

  /** What is released with this placement: the bindings over it (the same holder a model keeps its placements in). */
  private readonly attached = new Holdings<{ dispose(): void }>('placed data');

  /** @internal Release `d` with this placement (a binding over it); attaching twice holds it once. */
  attach(d: { dispose(): void }): void {
    this.attached.add(d);
  }

  /** @internal `d` was released on its own: the placement no longer holds it. */
  detach(d: { dispose(): void }): void {
    this.attached.forget(d);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** What holds a model's placements (models/bindings.ts Holdings): checked before, told after. */
interface PlacementHolder<B extends { dispose(): void }> {
  check(): void;
  add(p: Placement<B>): unknown;
  forget(p: Placement<B>): void;
}

/**
 * `backend` as a placement of `owner` over `data`'s samples and steps, held by `holdings` (released
 * with the model) and forgotten by them when disposed on its own; DisposedError when the model was.
 */
export function holdPlacement<B extends { dispose(): void }>(holdings: PlacementHolder<B>, owner: object, backend: B, data: { samples: number; steps: number }): Placement<B> {
  holdings.check();
  const placed = new Placement(owner, backend, data.samples, data.steps, (p) => holdings.forget(p));
  holdings.add(placed);
  return placed;
}

/** True for data placed by a model (`model.place(data)`), false for a plain data set. */
export function isPlaced(data: unknown): data is PlacedData {
  return data instanceof Placement;
}
