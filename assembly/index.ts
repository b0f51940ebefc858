// The WebAssembly core's exports: pure kernels over byte offsets into the exported memory.
export { linearStates, linearLossGrad, linearLossGradScalar, linearStatesBytes, linearLossGradBytesScalar, linearPackBytes, firstNonFinite } from './linear';
export { linearStatesGroups, linearLossGradGroups, linearPackGroups } from './linear';

/** First byte the host may use: everything below holds the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
/** What this build of the core can do, as bits: 1 = relaxed SIMD (the fused multiply-adds of ./matmul). */
export function features(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
export { optimizerStep, powi } from './optimizers';
export { linearTrain, updateChecked } from './in-core';
export { linearSurface } from './surface';
export { headWorkFloats, headForward, headLossGrad } from './head';
export { cellForward, cellStep, cellBackward } from './cells';
// The copies between layers of RepeatVector and Bidirectional.
export { biMerge, biSplit, addReversed, sumSteps } from './wiring';
export { embeddingForward, embeddingBackward } from './embedding';
