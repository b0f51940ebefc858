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
}
