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
