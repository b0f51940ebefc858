// The package entry under the "workerd" export condition: workerd forbids compiling bytes, so the
// core comes in as a module import and becomes init()'s default.
import wasm from '../build/elman.wasm';
import { setDefaultModule } from './backends/wasm/core.js';

setDefaultModule(wasm);

export * from './index.js';
// These shadow the default entry's init and initSync, which embed the core's bytes: workerd cannot
// compile bytes, and bundlers then leave them out of the worker.
export { init, initSync } from './backends/wasm/core.js';
