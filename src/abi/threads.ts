// The task block of the threads core's dispatcher (assembly/threads.ts, threadRun/threadReduce): one
// block of 32-bit words per round, read by every thread. Items (samples, grid rows) are cut into
// blocks fixed by the host from the item count alone (TK_BLOCKS, TK_BLOCK); thread p of TK_THREADS takes
// the contiguous run of blocks [⌊p·blocks/threads⌋, ⌊(p+1)·blocks/threads⌋). Word indices, shared by
// assembly/ and src/ as written here.

/** The kernel to run on each block (KERNEL_*). */
export const TK_KERNEL = 0;
/** Threads taking part in the round. */
export const TK_THREADS = 1;
/** Blocks in all. */
export const TK_BLOCKS = 2;
/**
 * Items per block, the last block holding the rest; or −u: the items in whole units of u (the last
 * unit may be short), G units shared near-equally, block j holding units ⌊j·G/blocks⌋ to ⌊(j+1)·G/blocks⌋ − 1.
 */
export const TK_BLOCK = 3;
/** Items in all. */
export const TK_ITEMS = 4;
/** Pointer to thread 0's scratch; thread p's is TK_SCRATCH_STRIDE bytes further on per p. */
export const TK_SCRATCH = 5;
/** Bytes of scratch per thread. */
export const TK_SCRATCH_STRIDE = 6;
/** Pointer to block 0's own results; block j's are TK_OUT_STRIDE bytes further on per j. */
export const TK_OUT = 7;
/** Bytes of results per block. */
export const TK_OUT_STRIDE = 8;
/** Pointer to where threadReduce writes the blocks' results summed in block order. */
export const TK_RESULT = 9;
/** First of the kernel's own words. */
export const TK_ARGS = 10;
/** Words in a task block (the kernel's own words included). */
export const TK_WORDS = 24;

/** Kernel: the counter's loss and gradient (assembly/linear.ts lossGrad) over blocks of samples; block results f64[3]. */
export const KERNEL_LINEAR_LOSS_GRAD = 1;
/** Kernel: the counter's loss surface (assembly/surface.ts) over blocks of grid rows; written straight into the grid, nothing to reduce. */
export const KERNEL_LINEAR_SURFACE = 3;
/** Kernel: a layer stack's forward, loss and backward (assembly/simple.ts, gru.ts, lstm.ts, head.ts) over blocks of a batch's samples; block results f64 loss, then f32 grads[P] at byte 16. */
export const KERNEL_STACK_LOSS_GRAD = 4;

/** Counter words: pointer to x (u8 or f32 [T][n]). */
export const TL_X = 10;
/** Counter words: pointer to the targets f32[n]. */
export const TL_T = 11;
/** Counter words: steps T. */
export const TL_STEPS = 12;
/** Counter words: f32 wx. */
export const TL_WX = 13;
/** Counter words: f32 wRec. */
export const TL_WREC = 14;
/** Counter words: f32 c, dL/dy per unit error. */
export const TL_C = 15;
/** Counter words: 1 when x holds u8 0/1 inputs, else 0. */
export const TL_BYTES = 16;

/** Stack words: parameters P (floats of grads per block). */
export const TG_P = 11;
/** Stack words: where threadReduce writes the summed f32 gradient (the f64 loss goes to TK_RESULT). */
export const TG_GRADS = 12;
/** Stack words: pointer to the batch's x at step 0 (the step stride is in each thread's first layer block). */
export const TG_X = 13;
/** Stack words: pointer to the batch's targets (the step stride is in each thread's head block). */
export const TG_T = 14;

/** Stack descriptor (at the start of each thread's scratch): layers. */
export const SD_LAYERS = 0;
/** Stack descriptor: floats of the layers' parameters, where the head's begin. */
export const SD_HEAD_OFFSET = 1;
/** Stack descriptor: first layer's words (cell code, kernel offset in floats, pointer to its layer block), SD_LAYER_WORDS per layer, then the head block's pointer. */
export const SD_LAYER = 2;
/** Stack descriptor: words per layer (the cell codes are src/abi/cells.ts's). */
export const SD_LAYER_WORDS = 3;

/** Surface words: pointer to x f32[T][n]. */
export const TS_X = 10;
/** Surface words: pointer to the targets f32[n]. */
export const TS_T = 11;
/** Surface words: samples n. */
export const TS_N = 12;
/** Surface words: steps T. */
export const TS_STEPS = 13;
/** Surface words: pointer to the wx axis f32[nx]. */
export const TS_WX = 14;
/** Surface words: points nx on the wx axis. */
export const TS_NX = 15;
/** Surface words: pointer to the wRec axis f32[rows] (the items). */
export const TS_WREC = 16;
/** Surface words: f64 scale (8-byte aligned: two words). */
export const TS_SCALE = 18;
