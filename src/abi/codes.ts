// Codes and constants shared by the WebAssembly core (assembly/) and the TypeScript side (src/).
// Written once here and compiled into both: asc reads this file as AssemblyScript (each constant
// an i32), tsc as TypeScript. Only `export const NAME = <integer literal>;` lines belong here.

/** Samples per SIMD group of the counter's kernels: four f32x4 registers, one 64-byte line per step. */
export const GROUP = 16;

/** How a run of epochs inside the core ended: all done, or the check that failed at the next epoch. */
export const STATUS_OK = 0;
/** The loss was not finite in float32. */
export const STATUS_BAD_LOSS = 1;
/** A gradient was not finite in float32. */
export const STATUS_BAD_GRADIENT = 2;
/** An update made a weight non-finite. */
export const STATUS_BAD_WEIGHTS = 3;
/** Bits of the status in a packed result `epochs << STATUS_BITS | status`. */
export const STATUS_BITS = 2;

/** Hidden activations: identity. */
export const ACT_LINEAR = 0;
/** Hidden activations: tanh. */
export const ACT_TANH = 1;
/** Hidden activations: max(v, 0). */
export const ACT_RELU = 2;
/** Hidden activations: the logistic function. */
export const ACT_SIGMOID = 3;
/** Hidden activations: TF.js's hardSigmoid, clip(0.2·v + 0.5, 0, 1) (GRU/LSTM gates; assembly/gates.ts). */
export const ACT_HARD_SIGMOID = 4;

/** Output activations: identity. */
export const OUT_LINEAR = 0;
/** Output activations: the logistic function, per output. */
export const OUT_SIGMOID = 1;
/** Output activations: softmax over the outputs of a row. */
export const OUT_SOFTMAX = 2;

/** Losses: squared error through the output activation (sse and mse differ only in scale). */
export const LOSS_SQUARED = 0;
/** Losses: binary cross-entropy fused with a sigmoid output, from the logits. */
export const LOSS_BCE = 1;
/** Losses: categorical cross-entropy fused with a softmax output, from the logits. */
export const LOSS_CCE = 2;
/** Losses: Huber (δ = 1) through the output activation: ½e² where |e| ≤ 1, else |e| − ½. */
export const LOSS_HUBER = 3;
/** Losses: categorical cross-entropy fused with a softmax output, targets one class id per row (float32 holding an integer). */
export const LOSS_SPARSE_CCE = 4;

/** Optimizer rules with a float32 twin in assembly/optimizers.ts: p ← p − lr·g. */
export const RULE_SGD = 0;
/** Momentum (classic or Nesterov); slots: velocity. */
export const RULE_MOMENTUM = 1;
/** RMSProp with optional momentum; slots: meanSquare, velocity. */
export const RULE_RMSPROP = 2;
/** Rprop (iRprop− without weight backtracking); slots: step, previousSign. */
export const RULE_RPROP = 3;
/** Adam; slots: m, v. */
export const RULE_ADAM = 4;
/** Adagrad; slots: accumulator. */
export const RULE_ADAGRAD = 5;
/** Most float32 hyper-parameters a rule reads. */
export const RULE_HYPER_WORDS = 8;
/** Most slots (f32[P] each) a rule keeps. */
export const RULE_SLOTS = 2;
