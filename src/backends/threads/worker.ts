// A worker of a threaded placement: instantiates the threads core over the placement's shared
// memory, then, each time the generation word changes, runs its fixed run of blocks and counts
// itself done (a failure is flagged in the memory: the waiting thread cannot hear an 'error' event).
import { parentPort, workerData } from 'node:worker_threads';
import { blockRange, CMD, DONE, FAILED, GEN, STOP, type PoolLayout } from './layout.js';
import type { ThreadsCore } from './pool.js';

const { module, memory, layout: l, index } = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; layout: PoolLayout; index: number };
const core = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as ThreadsCore;
const ctrl = new Int32Array(memory.buffer, l.ctrl, 4);
const params = new Float32Array(memory.buffer, l.ctrl + 16, 3);
const [b0, b1] = blockRange(l, index);
const scratch = l.scratch + index * 64 * (l.T + 1);
let seen = Atomics.load(ctrl, GEN);
parentPort!.postMessage('ready');
for (;;) {
  Atomics.wait(ctrl, GEN, seen);
  seen = Atomics.load(ctrl, GEN);
  if (Atomics.load(ctrl, CMD) === STOP) break;
  try {
    core.linearLossGradBlocks(l.x, l.t, l.n, l.T, params[0]!, params[1]!, params[2]!, l.bytes ? 1 : 0, l.block, b0, b1, scratch, l.out);
  } catch {
    Atomics.store(ctrl, FAILED, 1);
  }
  Atomics.add(ctrl, DONE, 1);
  Atomics.notify(ctrl, DONE);
}
