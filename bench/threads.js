// Threads against one thread for the batch models, on the Elman rows' data and training (input 2,
// 20 steps, 300 samples in batches of 100, mse, RMSProp lr 1e-3, one epoch per call): an ordinary
// placement, placeThreaded with threads 1 (the blocks, one thread) and 2. Wall time, and CPU summed
// over every thread. Needs a free core to show anything: on a busy 2-core machine the two threads
// take turns on one.
//   node bench/threads.js [--models elman:128,gru:128,lstm:32]
import { fileURLToPath } from 'node:url';
import { ElmanRNN, init, RNN, rmsprop, trainSync } from '../dist/index.js';
import { ELMAN, elmanData } from './elman.js';
import { interleaved } from './rounds.js';

/** Rows training `make()`'s model one epoch per call on `data`: an ordinary placement for 0 threads, else placeThreaded. */
export async function threadRows(make, data, threadCounts) {
  const rows = [];
  for (const threads of threadCounts) {
    const model = make();
    const start = model.params.slice();
    const placed = threads === 0 ? model.place(data) : await model.placeThreaded(data, { threads });
    const optimizer = rmsprop({ lr: ELMAN.lr });
    rows.push({
      name: threads === 0 ? 'place' : `placeThreaded threads: ${threads}`,
      allThreads: true,
      run: () => {
        model.params.set(start);
        optimizer.reset();
        trainSync(model, placed, { optimizer, epochs: 1, loss: 'mse', batchSize: ELMAN.batch });
      },
      dispose: () => model.dispose(),
    });
  }
  return rows;
}

/** A model of the bench's data: 'elman' or an RNN cell, `units` wide. */
export const makeModel = (cell, units) => () => (cell === 'elman' ? new ElmanRNN({ inputSize: 2, hiddenSize: units, outputSize: 1, seed: 1 }) : new RNN({ inputSize: 2, layers: [{ cell, units }], outputSize: 1, seed: 1 }));

/**
 * What bounds 2 threads on one batch of 100 (issue 23 item 6), from CPU times taken one at a time on
 * this thread, so a shared machine inflates them alike: the batch as one call (the ordinary placement)
 * against its 8 blocks (7 × 12 samples + 16, the cut every thread count shares, so that the bits do
 * not depend on it), thread 0's four blocks (48 samples) against thread 1's (52), and the serial
 * work of every batch: threadReduce (timed on a 2-thread placement, on the calling thread) and the
 * rest of a batch beyond its call (the checks, clip and RMSProp update in the core, the calls: a
 * one-thread epoch's CPU per batch beyond its call).
 * Returns ms per batch and the speedup those allow.
 */
export async function threadBound(cell, units, { rounds = 9 } = {}) {
  const { core } = await import('../dist/backends/wasm/core.js');
  const { WasmStack } = await import('../dist/backends/wasm/stack.js');
  const { ThreadedStackWork } = await import('../dist/backends/threads/stack.js');
  const { LOSS_SPECS } = await import('../dist/losses.js');
  const { stackOffsets } = await import('../dist/stack-spec.js');
  const c = core(), T = ELMAN.steps, I = ELMAN.input, B = ELMAN.batch;
  const d = { I, O: 1, outAct: 'linear', seq: false, layers: [{ cell: cell === 'elman' ? 'simple' : cell, units, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false }] };
  const P = stackOffsets(d).size;
  const stack = new WasmStack(d, B, T, 'bench', c);
  const [x, t, p, g] = c.arena.allocAll([T * B * I * 4, B * 4, P * 4, P * 4], 'bench');
  const data = elmanData();
  c.arena.f32.set(data.x.subarray(0, T * B * I), x >>> 2);
  c.arena.f32.fill(0, t >>> 2, (t >>> 2) + B); // targets: freshly allocated memory may hold anything
  const model = makeModel(cell, units)();
  c.arena.f32.set(model.params, p >>> 2);
  const run = (n0, n) => stack.lossGrad(x + n0 * I * 4, B * I, t + n0 * 4, 1, n, T, LOSS_SPECS.mse, 1 / B, 0, p, g);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
  const calls = units >= 128 ? 2 : 10;
  const time = (fn) => { const c0 = cpu(); for (let i = 0; i < calls; i++) fn(); return (cpu() - c0) / calls; };
  const sizes = [12, 12, 12, 12, 12, 12, 12, 16], starts = sizes.map((_, j) => sizes.slice(0, j).reduce((a, v) => a + v, 0));
  const med = (a) => [...a].sort((u, v) => u - v)[a.length >> 1];
  const one = [], both = [], first = [], second = [];
  for (let r = 0; r < rounds; r++) {
    one.push(time(() => run(0, B)));
    const per = sizes.map((n, j) => time(() => run(starts[j], n)));
    both.push(per.reduce((a, v) => a + v, 0));
    first.push(per.slice(0, 4).reduce((a, v) => a + v, 0));
    second.push(per.slice(4).reduce((a, v) => a + v, 0));
  }
  stack.dispose();
  for (const b of [x, t, p, g]) c.arena.release(b);
  // threadReduce, wrapped on the placement's pool (its wall time on the calling thread, which does it
  // alone). `pass` is what every batch runs, through the binding's batches in the core or lossAndGrad.
  const reduce = [], pass = ThreadedStackWork.prototype.pass;
  ThreadedStackWork.prototype.pass = function (...args) {
    if (!this.pool.__timed) {
      const timed = Object.create(this.pool.core), inner = this.pool.core.threadReduce;
      Object.defineProperty(timed, 'threadReduce', { value: (task) => { const t0 = performance.now(); inner(task); reduce.push(performance.now() - t0); } });
      this.pool.core = timed;
      this.pool.__timed = true;
    }
    return pass.apply(this, args);
  };
  try {
    const placed = await model.placeThreaded(data, { threads: 2 });
    const optimizer = rmsprop({ lr: ELMAN.lr });
    for (let r = 0; r < rounds; r++) trainSync(model, placed, { optimizer, epochs: 1, loss: 'mse', batchSize: B });
  } finally {
    ThreadedStackWork.prototype.pass = pass;
  }
  // The serial work of every batch besides the reduce (the checks, clip and update in the core, the
  // calls and copies): a one-thread epoch's CPU per batch beyond its one call.
  const plain = model.place(data), opt1 = rmsprop({ lr: ELMAN.lr }), batches = Math.ceil(data.samples / B);
  const serial = med(Array.from({ length: rounds }, () => time(() => trainSync(model, plain, { optimizer: opt1, epochs: 1, loss: 'mse', batchSize: B })) / batches)) - med(one);
  model.dispose();
  const f = { one: med(one), blocks: med(both), thread0: med(first), thread1: med(second), reduce: med(reduce), serial: Math.max(0, serial), P };
  f.bound = (f.one + f.serial) / (Math.max(f.thread0, f.thread1) + f.serial + f.reduce);
  return f;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { models: { type: 'string', default: 'elman:128,elman:32,gru:128,lstm:32' } } });
  await init();
  const data = elmanData();
  console.log('Threads: input 2, 20 steps, 300 samples in batches of 100, RMSProp; medians of interleaved rounds, ms per epoch (CPU: all threads)');
  for (const spec of values.models.split(',')) {
    const [cell, units] = [spec.split(':')[0], Number(spec.split(':')[1])];
    for (const r of await interleaved(await threadRows(makeModel(cell, units), data, [0, 1, 2]), { rounds: 15 })) {
      console.log(`${spec.padEnd(10)} ${r.name.padEnd(26)} wall ${r.wall.toFixed(2)} ms  cpu ${r.cpu.toFixed(2)} ms`);
      r.dispose();
    }
  }
}
