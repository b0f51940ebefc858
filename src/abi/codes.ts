// Codes shared by assembly/ and src/: one integer per activation, output activation and loss.
// Plain constants only, so AssemblyScript compiles this file too.

/** Hidden activation: identity. */
export const ACT_LINEAR = 0;
/** Hidden activation: tanh. */
export const ACT_TANH = 1;
/** Hidden activation: max(x, 0). */
export const ACT_RELU = 2;
/** Hidden activation: 1 / (1 + e^−x). */
export const ACT_SIGMOID = 3;
/** Hidden activation: TF.js's hardSigmoid, clip(0.2·x + 0.5, 0, 1). */
export const ACT_HARD_SIGMOID = 4;

/** Output activation: identity. */
export const OUT_LINEAR = 0;
/** Output activation: logistic sigmoid. */
export const OUT_SIGMOID = 1;
/** Output activation: softmax over the outputs of one row. */
export const OUT_SOFTMAX = 2;

/** Loss: squared error, chained through the output activation. */
export const LOSS_SQUARED = 0;
/** Loss: binary cross-entropy fused with a sigmoid output. */
export const LOSS_BCE = 1;
/** Loss: categorical cross-entropy fused with a softmax output. */
export const LOSS_CCE = 2;
