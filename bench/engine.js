// One engine's figures for `npm run bench` (bench/issue23.js runs this file under Node 20, 22 and 24,
// each in its own process): which core init() loaded (relaxed SIMD or not), the counter's kernel at
// wx = wRec = 1 (every step done) on 1,024 × 100 and the Elman network's epoch at hidden 32, in CPU
// time of the running thread. Prints one line of JSON.   node bench/engine.js
import { countOnes, ElmanRNN, init, LinearRNN, RandomState, rmsprop, trainSync } from '../dist/index.js';
import { loadCore } from '../dist/backends/wasm/core.js';
import { ELMAN, elmanData } from './elman.js';
import { SAMPLE_FLOOR_MS, threadCpuMs } from './rounds.js';

await init();
const relaxed = ((await loadCore()).exports.features() & 1) === 1;

/** Median CPU ms per call of `fn` over `samples` samples of `calls` calls, after a warm-up. */
function cpuPerCall(fn, calls, samples = 7) {
  for (let i = 0; i < calls; i++) fn();
  // With a tick-based thread clock, as many calls as fill SAMPLE_FLOOR_MS.
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) fn();
  calls = Math.max(calls, Math.ceil((SAMPLE_FLOOR_MS * calls) / Math.max(performance.now() - t0, 1e-3)));
  const t = [];
  for (let s = 0; s < samples; s++) {
    const c0 = threadCpuMs();
    for (let i = 0; i < calls; i++) fn();
    t.push((threadCpuMs() - c0) / calls);
  }
  return t.sort((a, b) => a - b)[samples >> 1];
}

const counter = (() => {
  const data = countOnes({ samples: 1024, length: 100, rng: new RandomState(1) });
  const model = new LinearRNN({ wx: 1, wRec: 1 });
  const binding = model.bind(model.place(data), { loss: 'sse' });
  const ms = cpuPerCall(() => binding.lossAndGrad(0), 500);
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
  }, 20);
  model.dispose();
  return ms;
})();

console.log(JSON.stringify({ node: process.version, relaxed, counterMs: counter, counterWork: 1024 * 100, elman32Ms: elman }));
