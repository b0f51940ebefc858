// Domain types that models, backends, data and the CLI share. They live here, below all of
// them, so that no layer has to import a backend or a model to name an activation or a loss.

/**
 * Where a model's loops run: the WebAssembly core (default) or the plain-TypeScript reference.
 * @category Models
 */
export type BackendName = 'wasm' | 'js';

/** Every backend name, in order of preference. */
export const BACKENDS: readonly BackendName[] = ['wasm', 'js'];

/**
 * Hidden activations of the recurrent layers.
 * @category Models
 */
export type Activation = 'linear' | 'tanh' | 'relu' | 'sigmoid';

/**
 * Every hidden activation.
 * @category Models
 */
export const ACTIVATIONS: readonly Activation[] = ['linear', 'tanh', 'relu', 'sigmoid'];

/**
 * Activations of a recurrent layer and of its gates; hardSigmoid is TF.js's clip(0.2·x + 0.5, 0, 1).
 * @category Models
 */
export type GateActivation = 'linear' | 'tanh' | 'relu' | 'sigmoid' | 'hardSigmoid';

/**
 * Every layer and gate activation.
 * @category Models
 */
export const GATE_ACTIVATIONS: readonly GateActivation[] = ['linear', 'tanh', 'relu', 'sigmoid', 'hardSigmoid'];

/**
 * Output activations of the dense output layer.
 * @category Models
 */
export type OutputActivation = 'linear' | 'sigmoid' | 'softmax';

/**
 * Every output activation.
 * @category Models
 */
export const OUTPUT_ACTIVATIONS: readonly OutputActivation[] = ['linear', 'sigmoid', 'softmax'];
