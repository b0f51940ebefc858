import { ConfigError } from '../errors.js';

/** Where a model's loops run: the WebAssembly core (default) or the plain-TypeScript reference. */
export type BackendName = 'wasm' | 'js';

/** Every backend name, in order of preference. */
export const BACKENDS: readonly BackendName[] = ['wasm', 'js'];

/** Validate a backend option, defaulting to the WebAssembly core. */
export function checkBackend(backend: unknown): BackendName {
  if (backend === undefined) return 'wasm';
  if (backend !== 'wasm' && backend !== 'js') throw new ConfigError('backend', backend, `one of ${BACKENDS.join(', ')}`);
  return backend;
}

/** A data set bound to a model's backend: buffers allocated once and reused every epoch. */
export interface Bound {
  /** The loss at the model's current parameters; writes ∂L/∂params into the model's `grads`. */
  lossAndGrad(): number;
  /** Free the backend buffers; the binding cannot be used afterwards. */
  dispose(): void;
  /** WebAssembly backend only: run many epochs of a closed-form optimizer inside the core (src/training/in-core.ts). */
  trainInCore?(job: CoreJob): CoreOutcome;
}

/**
 * Epochs of full-batch training to run inside the core, as src/training/in-core.ts lays them out:
 * `params`, `lastGood` and `slots` (f32[P] per slot) are read and written back; `losses` and
 * `weights` (when given, f32[epochs][P]) receive one entry per completed epoch.
 */
export interface CoreJob {
  rule: number;
  hyper: Float32Array;
  slots: Float32Array;
  step: number;
  params: Float32Array;
  lastGood: Float32Array;
  epochs: number;
  losses: Float64Array;
  weights?: Float32Array;
}

/** How a core job ended: epochs completed, and 0 or the check that failed at the next one (1 loss, 2 gradient, 3 weights). */
export interface CoreOutcome {
  epochs: number;
  status: 0 | 1 | 2 | 3;
}
