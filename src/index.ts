// elman: recurrent networks trained by backpropagation through time, loops in WebAssembly.
export { init, initSync, type InitOptions } from './backends/wasm/embedded.js';
export { coreFeatures, isInitialized, type CoreFeatures, type WasmSource } from './backends/wasm/core.js';
export { BACKENDS, ACTIVATIONS, OUTPUT_ACTIVATIONS, type BackendName, type Activation, type OutputActivation } from './types.js';
export type { Binding, BindOptions, PlacedData, Trainable } from './models/model.js';
export { RandomState, type RandomStateSnapshot } from './random.js';
export { countOnes, countOnesFrom, type CountOnesOptions } from './data/count-ones.js';
export { checkInputs, checkSequences, timeMajor, type Inputs, type Sequences } from './data/sequences.js';
export { LinearRNN, type LinearRNNOptions, type ThreadOptions, type LinearWeights, type Matrix } from './models/linear.js';
// Losses, declared once with their properties (issue 18).
export { LOSSES, ELMAN_LOSSES, LOSS_SPECS, type LossName, type LossSpec, type ElmanLossName, type LinearLossName } from './losses.js';
export { sgd, type SgdOptions } from './optimizers/sgd.js';
export { momentum, type MomentumOptions } from './optimizers/momentum.js';
export { rmsprop, type RmspropOptions } from './optimizers/rmsprop.js';
export { rprop, type RpropOptions } from './optimizers/rprop.js';
export { adam, type AdamOptions } from './optimizers/adam.js';
export { adagrad, type AdagradOptions } from './optimizers/adagrad.js';
export { createOptimizer, OPTIMIZERS, OPTIMIZER_SPECS, type OptimizerName } from './optimizers/index.js';
export type { CoreRule, HyperSpec, Optimizer, OptimizerSpec, OptimizerState, SlotOptimizer } from './optimizers/optimizer.js';
export { train, trainSync, type EpochInfo, type History, type TrainOptions } from './training/train.js';
export { gradCheck, type Checkable, type GradCheckResult } from './training/grad-check.js';
export { scan, type Elements, type FedBack, type ScanOptions, type ScanResult } from './scan.js';
export type { DivergedValue } from './errors.js';
export { AbortError, BusyError, ConfigError, DataError, DisposedError, DivergenceError, ElmanError, InitError, NumericError, ShapeError } from './errors.js';
export { lossSurface, lossSurfaceThreaded, type Axis, type Surface, type SurfaceOptions, type ThreadedSurfaceOptions } from './analysis/surface.js';
export { gradientFlow } from './analysis/gradient-flow.js';
export { ElmanRNN, ELMAN_WEIGHT_NAMES, type ElmanRNNOptions, type ElmanWeights, type ElmanBindOptions, type ElmanBound, type ElmanJSON } from './models/elman.js';
export type { BatchBinding, BatchWork } from './models/batches.js';
export { RNN, CELLS, GATE_ACTIVATIONS, type RNNOptions, type LayerOptions, type LayerDefaults, type LayerSpec, type LayerWeights, type RNNWeights, type RNNWeightsInput, type RNNJSON, type RNNInputs, type CellKind, type GateActivation } from './models/rnn.js';
// Stateful streams and initial states (issue 19): what predict, setState and state take and give.
export type { PredictOptions } from './models/recurrent.js';
export type { LayerState, LayerStateInput } from './models/state.js';
export type { StateFlow, StateRows } from './stack-spec.js';
export { glorotUniform, orthogonal, INITIALIZERS, type Initializer } from './models/init.js';
export { binaryAddition, type BinaryAdditionOptions } from './data/binary-addition.js';
export { sineWave, type SineWaveOptions } from './data/sine-wave.js';
export { parity, type ParityOptions } from './data/parity.js';
export { sliceSamples } from './data/split.js';
export { TASKS, accuracy, type Task, type TaskName, type Scoring } from './data/tasks.js';
export { windows, windowCount, splitByTime, type Series, type WindowOptions } from './data/windows.js';
export { Scaler, type ScalerJSON } from './data/scaler.js';
export { noisySignal, type NoisySignalOptions } from './data/noisy-signal.js';
export { fromTfjs, toTfjs, type Exportable, type FromTfjsOptions, type InteropModel, type ToTfjsOptions } from './interop/tfjs.js';
export { loadTfjs, saveTfjs, tfjsFiles, type LoadTfjsOptions, type TfjsSource } from './interop/tfjs-io.js';
export type { TfjsArtifacts, TfjsModelJson, TfjsWeightSpec } from './interop/tfjs-format.js';
export { Predictor, type ModelSource, type NestedSequences } from './interop/predictor.js';
// Tokens: an embedding of integer ids, class-id targets (sparseCce), a vocabulary, sampling (issue 19).
export { Vocabulary, tokens, tokenSequences, type VocabularyJSON } from './data/tokens.js';
export { sample, type Samplable, type SampleOptions } from './models/sample.js';
export type { EmbeddingSpec } from './stack-spec.js';
// Issue 19: users' arrays in and out (nested or typed with a shape), evaluate with metrics.
export { type ArrayData, type DataInput, type NestedInputs, type NestedTargets, type Shaped, type ShapedInput } from './data/arrays.js';
export { evaluate, METRICS, type EvaluateOptions, type Evaluation, type MetricName, type MetricSpec } from './training/evaluate.js';
