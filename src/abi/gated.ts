// Word indices of the parameter blocks that the recurrent layer kernels (assembly/simple.ts, gru.ts,
// lstm.ts) and the output head (assembly/head.ts) read: one block of 32-bit words per call, pointers
// as byte offsets into the core's memory. Plain constants only, so AssemblyScript compiles this file too.

/** Layer block: steps T in this call (1 for a step). */
export const L_T = 0;
/** Layer block: samples B in the batch (rows). */
export const L_B = 1;
/** Layer block: input width I. */
export const L_I = 2;
/** Layer block: units H. */
export const L_H = 3;
/** Layer block: activation code (src/abi/codes.ts) of the candidate / state. */
export const L_ACT = 4;
/** Layer block: recurrent activation code of the gates (GRU, LSTM). */
export const L_REC_ACT = 5;
/** Layer block: GRU only, 1 = Keras's reset_after (reset gate applied after the recurrent product, bias [2][3H]). */
export const L_RESET_AFTER = 6;
/** Layer block: truncated BPTT window (0 = full); the time carry is cut at steps k with (k − 1) mod window = 0. */
export const L_WINDOW = 7;
/** Layer block: pointer to x, step k's B rows of I floats at x + k·xs floats. */
export const L_X = 8;
/** Layer block: step stride of x in floats. */
export const L_XS = 9;
/** Layer block: pointer to hs f32[T+1][B][H], hs[0] the initial state (the state itself for a step). */
export const L_HS = 10;
/** Layer block: LSTM only, pointer to cs f32[T+1][B][H], the cell states, cs[0] the initial one. */
export const L_CS = 11;
/** Layer block: pointer to the layer's weights [kernel | recurrentKernel | bias] (Keras order). */
export const L_P = 12;
/** Layer block: pointer to the layer's gradients, same layout; backward adds into them. */
export const L_G = 13;
/** Layer block: pointer to the layer's scratch (its cell spec's work(B, T, I, H) floats, src/cells/), kept from forward to backward. */
export const L_WORK = 14;
/** Layer block: pointer to dh f32[T][B][H], dL/dh[k] from above; backward may overwrite it (the wasm kernels add the time carry in place). */
export const L_DH = 15;
/** Layer block: pointer to dx f32[T][B][I] written by backward for the layer below, or 0 to skip. */
export const L_DX = 16;
/** Layer block: the first step (0-based) whose dh rows were written from above; rows before it are zero and not stored (a many-to-one head writes only the last). */
export const L_DH_FROM = 17;
/** Layer block: pointer to the step mask f32 (1 = the step counts, 0 = the state holds), step k's B values at mask + k·ms floats; 0 = no mask. */
export const L_MASK = 18;
/** Layer block: step stride of the mask in floats. */
export const L_MS = 19;
/** Layer block: pointer to the mask's scratch f32[2][B][H] (the gradients routed around masked steps); read only with a mask. */
export const L_MWORK = 20;
/** Words in a layer block. */
export const L_WORDS = 21;

/** Head block: steps T of the layer below. */
export const HD_T = 0;
/** Head block: samples B. */
export const HD_B = 1;
/** Head block: width H of the layer below. */
export const HD_H = 2;
/** Head block: outputs O. */
export const HD_O = 3;
/** Head block: output activation code. */
export const HD_OUT_ACT = 4;
/** Head block: loss code. */
export const HD_LOSS = 5;
/** Head block: 1 = an output at every step, 0 = at step T only. */
export const HD_SEQ = 6;
/** Head block: f32 scale of the loss (1 or 1/count). */
export const HD_SCALE = 7;
/** Head block: pointer to the states h[1] of the layer below: f32[T][B][H]. */
export const HD_HS = 8;
/** Head block: pointer to the weights [outputKernel H×O | outputBias O]. */
export const HD_P = 9;
/** Head block: pointer to their gradients (overwritten by the loss kernel). */
export const HD_G = 10;
/** Head block: pointer to the targets, step k's B rows of O at t + k·ts floats (or one step when not seq). */
export const HD_TGT = 11;
/** Head block: step stride of the targets in floats. */
export const HD_TS = 12;
/** Head block: pointer to the outputs y f32[Tout][B][O] (forward) or scratch dz of that size (loss). */
export const HD_Y = 13;
/** Head block: pointer to dh f32[T][B][H] written by the loss kernel for the top layer at its output steps only (the layer's L_DH_FROM on). */
export const HD_DH = 14;
/** Head block: pointer to one f64 receiving the loss. */
export const HD_OUT = 15;
/** Head block: pointer to scratch of headWorkFloats(H, O) floats (Woᵀ). */
export const HD_WORK = 16;
/** Head block: pointer to the step mask f32 (0 = no loss at that step), step k's B values at mask + k·ms floats; 0 = no mask. */
export const HD_MASK = 17;
/** Head block: step stride of the mask in floats. */
export const HD_MS = 18;
/** Head block: pointer to the samples' weights f32[B]; 0 = every weight 1. */
export const HD_SW = 19;
/** Head block: the rows HD_SCALE averages over (B × output steps) for a mean loss, 0 for a summed one: with a mask the mean is taken over the unmasked rows instead. */
export const HD_NORM = 20;
/** Words in a head block. */
export const HD_WORDS = 21;
