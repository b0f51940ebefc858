// The job block of `linearTrain` (assembly/in-core.ts): epochs of the counter trained inside the
// core. Word indices (4 bytes each) into the block, shared by assembly/ and src/ as written here.

/** f32[2]: the weights [wx, wRec], read and written back. */
export const LJ_PARAMS = 0;
/** f32[2]: the weights of the last epoch whose loss was finite. */
export const LJ_LAST_GOOD = 2;
/** f32[2]: the gradient of the epoch being run. */
export const LJ_GRADS = 4;
/** f64[3] (8-byte aligned): what the fused kernel writes, [Σe², ∂/∂wx, ∂/∂wRec]. */
export const LJ_KERNEL_OUT = 6;
/** f32[RULE_HYPER_WORDS]: the optimizer's float32 hyper-parameters. */
export const LJ_HYPER = 12;
/** f32[RULE_SLOTS][2]: the optimizer's slots, one f32[2] each. */
export const LJ_SLOTS = 20;
/** i32 words from here: the inputs' offset, samples, steps, step count. */
export const LJ_X = 24;
/** Offset of the targets f32[n]. */
export const LJ_T = 25;
/** Samples n. */
export const LJ_N = 26;
/** Steps T. */
export const LJ_STEPS = 27;
/** Offset of the kernel's scratch. */
export const LJ_SCRATCH = 28;
/** 1 when the inputs are u8 (0/1 data), else 0; u8 inputs of the f32x4 kernel are group-major (assembly/linear.ts). */
export const LJ_BYTES = 29;
/** 1 for the f32x4 kernel, 0 for the scalar one. */
export const LJ_SIMD = 30;
/** The optimizer rule (RULE_*). */
export const LJ_RULE = 31;
/** Updates taken before this run (the optimizer's step count). */
export const LJ_STEP = 32;
/** Epochs to run at most. */
export const LJ_EPOCHS = 33;
/** Offset of f64[epochs]: the loss of each epoch. */
export const LJ_LOSSES = 34;
/** Offset of f32[epochs][2]: the weights after each epoch, or 0 for none. */
export const LJ_WEIGHTS = 35;
/** f32: dL/dy per unit error (2 for sse, 2/n for mse). */
export const LJ_C = 36;
/** f64 (8-byte aligned): the loss scale (1 for sse, 1/n for mse). */
export const LJ_SCALE = 38;
/** f32: clip each gradient element to [−v, v] (train's clipValue), or 0 for no clipping. */
export const LJ_CLIP = 40;
/** Call the host's `epochEnd` after the epoch of this index (counted from the run's first), or −1 for never. */
export const LJ_CALL_AT = 41;
/** After a call, the next one comes this many epochs later (onEpoch's logEvery). */
export const LJ_CALL_EVERY = 42;
/** Words in the block (even: the losses after it are f64). */
export const LJ_WORDS = 44;
