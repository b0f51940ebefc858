// The parameter block of the Elman kernels (assembly/elman.ts): one pointer instead of nineteen
// positional numbers. Word indices (4 bytes each), shared by assembly/ and src/ as written here.

/** Offset of x: the batch's first sample at step 0, rows of I floats. */
export const EJ_X = 0;
/** Floats between one step's rows and the next's in x (samples × I of the whole data set). */
export const EJ_X_STRIDE = 1;
/** Offset of the targets: the batch's first sample, at step 0 when there is a target per step. */
export const EJ_T = 2;
/** Floats between one step's targets and the next's (samples × O). */
export const EJ_T_STRIDE = 3;
/** Samples in the batch. */
export const EJ_B = 4;
/** Steps. */
export const EJ_STEPS = 5;
/** Inputs per step. */
export const EJ_I = 6;
/** Hidden units. */
export const EJ_H = 7;
/** Outputs. */
export const EJ_O = 8;
/** Hidden activation (ACT_*). */
export const EJ_ACT = 9;
/** Output activation (OUT_*). */
export const EJ_OUT_ACT = 10;
/** Loss (LOSS_*). */
export const EJ_LOSS = 11;
/** 1 for an output at every step, 0 for the last only. */
export const EJ_SEQ = 12;
/** f32: the loss scale (1, or 1 / the count it averages over). */
export const EJ_SCALE = 13;
/** Truncated BPTT window in steps, 0 for none. */
export const EJ_WINDOW = 14;
/** Offset of the parameters f32[P], Keras order [K | R | b | Wo | bo]. */
export const EJ_PARAMS = 15;
/** Offset of the gradients f32[P], overwritten. */
export const EJ_GRADS = 16;
/** Offset of the scratch (elmanWorkFloats floats). */
export const EJ_WORK = 17;
/** Offset of the result: f64 loss (lossGrad) or the outputs f32[Tout][B][O] (forward). */
export const EJ_OUT = 18;
/** Words in the block. */
export const EJ_WORDS = 20;
