// One engine's figures for `npm run bench` (bench/issue23.js runs this file under Node 20, 22 and 24,
// each in its own process): which core init() loaded (relaxed SIMD or not), the counter's kernel at
// wx = wRec = 1 (every step done) on 1,024 × 100 and the Elman network's epoch at hidden 32, in CPU
// time of the running thread. Prints one line of JSON.   node bench/engine.js
import { countOnes, ElmanRNN, init, LinearRNN, RandomState, rmsprop, trainSync } from '../dist/index.js';
import { loadCore } from '../dist/backends/wasm/core.js';
import { ELMAN, elmanData } from './elman.js';
import { cpuPerCall } from './rounds.js';

await init();
const relaxed = ((await loadCore()).exports.features() & 1) === 1;

const counter = (() => {
  const data = countOnes({ samples: 1024, length: 100, rng: new RandomState(1) });
  const model = new LinearRNN({ wx: 1, wRec: 1 });
  const binding = model.bind(model.place(data), { loss: 'sse' });
  const ms = cpuPerCall(() => binding.lossAndGrad(0), { calls: 500 });
  model.dispose();
  return ms;
})();

const elman = (() => {
  const data = elmanData();
  const model = new ElmanRNN({ inputSize: ELMAN.input, hiddenSize: 32, outputSize: 1, seed: 1 });
  const start = model.params.slice();
  const placed = model.place(data);
  const optimizer = rmsprop({ lr: ELMAN.lr });
  const ms = cpuPerCall(() => {
    model.params.set(start);
    optimizer.reset();
    trainSync(model, placed, { optimizer, epochs: 1, loss: 'mse', batchSize: ELMAN.batch });
  }, { calls: 20 });
  model.dispose();
  return ms;
})();

console.log(JSON.stringify({ node: process.version, relaxed, counterMs: counter, counterWork: 1024 * 100, elman32Ms: elman }));
