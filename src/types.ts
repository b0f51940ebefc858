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
 * Output activations of the dense output layer.
 * @category Models
 */
export type OutputActivation = 'linear' | 'sigmoid' | 'softmax';

/**
 * Every output activation.
 * @category Models
 */
export const OUTPUT_ACTIVATIONS: readonly OutputActivation[] = ['linear', 'sigmoid', 'softmax'];

/** How a loss is computed by the kernels: squared error (sse, mse), binary or softmax cross-entropy. */
export type LossKind = 'squared' | 'bce' | 'cce';

/** Sizes and functions of one Elman network; `seq` = an output at every step. */
export interface ElmanDims {
  readonly I: number;
  readonly H: number;
  readonly O: number;
  readonly act: Activation;
  readonly outAct: OutputActivation;
  readonly seq: boolean;
}

/**
 * Losses of the counter (LinearRNN): `sse` sums (t − y)² over samples (the tutorial's), `mse` averages it.
 * @category Training
 */
export type LinearLossName = 'sse' | 'mse';

/**
 * Losses of ElmanRNN: `sse` Σ(y − t)², `mse` its mean over samples × output steps × outputs,
 * `bce` binary cross-entropy (sigmoid output, fused), `cce` softmax cross-entropy (softmax output, fused),
 * both averaged over samples × output steps (bce also over outputs), as Keras averages them.
 * @category Training
 */
export type ElmanLossName = LinearLossName | 'bce' | 'cce';
