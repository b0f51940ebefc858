// The package entry under the "workerd" export condition: workerd forbids compiling bytes, so the
// core comes in as a module import and becomes init()'s default.
import wasm from '../build/elman.wasm';
import { setDefaultModule } from './backends/wasm/core.js';

setDefaultModule(wasm);

export * from './index.js';
