// A worker of the threads prototype: instantiates the threads core over the pool's shared memory,
// then, each time the generation word changes, runs its fixed range of blocks and counts itself done.
import { parentPort, workerData } from 'node:worker_threads';
import { blockRange, CMD, DONE, GEN, STOP, type PoolLayout } from './layout.js';

const { module, memory, layout: l, index } = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; layout: PoolLayout; index: number };
const core = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as {
  counterBlocks(x: number, t: number, n: number, T: number, block: number, b0: number, b1: number, wx: number, wRec: number, c: number, scratch: number, out: number): void;
};
const ctrl = new Int32Array(memory.buffer, l.ctrl, 4);
const params = new Float32Array(memory.buffer, l.ctrl + 16, 3);
const [b0, b1] = blockRange(l, index);
let seen = Atomics.load(ctrl, GEN);
parentPort!.postMessage('ready');
for (;;) {
  Atomics.wait(ctrl, GEN, seen);
  seen = Atomics.load(ctrl, GEN);
  if (Atomics.load(ctrl, CMD) === STOP) break;
  core.counterBlocks(l.x, l.t, l.n, l.T, l.block, b0, b1, params[0]!, params[1]!, params[2]!, l.scratch + index * 16 * (l.T + 1), l.out);
  Atomics.add(ctrl, DONE, 1);
  Atomics.notify(ctrl, DONE);
}
