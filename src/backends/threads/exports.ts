// The threads core's exports (build/elman.threads.wasm: the core plus the dispatcher of
// assembly/threads.ts), declared once and checked against the module when a pool compiles it (and
// by test/backends/abi-exports.test.ts).
import { CORE_FUNCTIONS, type CoreExports } from '../wasm/exports.js';

/** What one thread's instance of the threads core offers: the core's functions and the dispatcher. */
export interface ThreadsCore extends CoreExports {
  /** Run thread `index`'s blocks of the round described by the task block at `task` (src/abi/threads.ts). */
  threadRun(task: number, index: number): void;
  /** After a round: the blocks' results summed in block order. */
  threadReduce(task: number): void;
}

/** Every function the threads core exports and its parameter count. */
export const THREADS_FUNCTIONS: Readonly<Record<Exclude<keyof ThreadsCore, 'memory'>, number>> = {
  ...CORE_FUNCTIONS,
  threadRun: 2,
  threadReduce: 1,
};
