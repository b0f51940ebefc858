import { ConfigError } from '../errors.js';
import { BACKENDS, type BackendName } from '../types.js';
import type { LossSpec } from '../losses.js';
import type { StateFlow } from '../stack-spec.js';

export { BACKENDS, type BackendName };

/** Validate a backend option, defaulting to the WebAssembly core. */
export function checkBackend(backend: unknown): BackendName {
  if (backend === undefined) return 'wasm';
  if (backend !== 'wasm' && backend !== 'js') throw new ConfigError('backend', backend, `one of ${BACKENDS.join(', ')}`);
  return backend;
}

/**
 * Epochs of full-batch training to run inside the core (src/training/in-core.ts lays them out):
 * `params`, `lastGood` and `slots` (the live slot arrays, f32[P] each) are read and written back; `losses` and
 * `weights` (when given, f32[epochs][P]) receive one entry per completed epoch.
 */
export interface CoreJob {
  rule: number;
  hyper: Float32Array;
  /** The optimizer's live slots, f32[P] each, in the rule's slot order. */
  slots: readonly Float32Array[];
  step: number;
  /** Clip each gradient element to [−clipValue, clipValue] before the update; 0 or absent for none. */
  clipValue?: number;
  params: Float32Array;
  lastGood: Float32Array;
  epochs: number;
  losses: Float64Array;
  weights?: Float32Array | undefined;
  /**
   * Hear of epochs from inside the run: `report(epoch, loss)` after the run's epoch `reportAt` (an
   * index into this run; none when negative or without `report`) and every `reportEvery` after it.
   * Before each call `params` holds the weights after that epoch, and `syncSlots` copies the slots
   * as they are then into `slots`; the params as the handler leaves them go on. True from `report`
   * ends the run after that epoch; so does a throw, which the outcome carries. `slotsTaken` set by
   * the handler: `slots` are newer than the core's, which the run's end then leaves unread.
   */
  report?: ((epoch: number, loss: number) => boolean) | undefined;
  reportAt?: number;
  reportEvery?: number;
  syncSlots?: (() => void) | undefined;
  slotsTaken?: boolean;
}

/** How a core job ended: epochs completed, and STATUS_OK or the check that failed at the next one (src/abi/codes.ts); read it before the next job (a backend may reuse the object). */
export interface CoreOutcome {
  epochs: number;
  status: number;
  /** What `report` threw, which ended the run after its epoch (the epochs count it); undefined when nothing did. */
  thrown?: { error: unknown } | undefined;
}

/**
 * Batches of one closed-form optimizer step each, run with the params in the core (src/training/in-core.ts
 * lays them out): batches [first, first + count) of the current order, ending early once past
 * `deadline` (performance.now() milliseconds). `params`, `lastGood`, `grads` and `slots` are read and
 * written back; `losses` receives each batch's loss (and the failing one's, when its update failed).
 */
export interface BatchJob {
  rule: number;
  hyper: Float32Array;
  /** The optimizer's live slots, f32[P] each, in the rule's slot order. */
  slots: readonly Float32Array[];
  step: number;
  /** Clip each gradient element to [−clipValue, clipValue] before the update; 0 for none. */
  clipValue: number;
  params: Float32Array;
  lastGood: Float32Array;
  grads: Float32Array;
  first: number;
  count: number;
  deadline: number;
  losses: Float64Array;
}

/** How a batch job ended: batches completed, and STATUS_OK or the check that failed at the next one; read it before the next job. */
export interface BatchOutcome {
  batches: number;
  status: number;
}

/** A core workspace's capability: the params, the optimizer's slots and the last good params stay in its memory over a run of batches. */
export interface ResidentWork {
  /** Copy the job's params, slots and hyper-parameters in. */
  enter(job: BatchJob): void;
  /** Forward, loss and BPTT for samples [n0, n0 + B) at the resident params; the gradient stays in the workspace. */
  pass(n0: number, B: number, kind: LossSpec, scale: number, window: number, flow?: StateFlow): number;
  /** The checked update at step number t (assembly/in-core.ts updateChecked): STATUS_OK or the check that failed. */
  update(job: BatchJob, t: number): number;
  /** Copy params, grads and slots back into the job's arrays, and lastGood when an update ran. */
  leave(job: BatchJob, updated: boolean): void;
}

/** What placed data knows of its model: the widths of a step's inputs and targets. */
export interface PlacedWidths {
  readonly I: number;
  readonly O: number;
}
