// The WebAssembly core's exports: pure kernels over byte offsets into the exported memory.
export { linearStates, linearLossGrad, linearLossGradScalar } from './linear';

/** First byte the host may use: everything below holds the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
export { elmanWorkFloats, elmanForward, elmanLossGrad } from './elman';
