import { ConfigError } from '../errors.js';
import { BACKENDS, type BackendName } from '../types.js';

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
}

/** How a core job ended: epochs completed, and STATUS_OK or the check that failed at the next one (src/abi/codes.ts); read it before the next job (a backend may reuse the object). */
export interface CoreOutcome {
  epochs: number;
  status: number;
}

/** What placed data knows of its model: the widths of a step's inputs and targets. */
export interface PlacedWidths {
  readonly I: number;
  readonly O: number;
}
