// Peak memory of one implementation at the large size, in a fresh process (run by bench/run.js with
// --expose-gc): what training adds to RSS once the inputs exist, measured up to the peak (maxRSS).
import { countOnes, init, LinearRNN, RandomState, rmsprop, trainSync } from '../dist/index.js';
import { loadCore } from '../dist/backends/wasm/core.js';
import { tfTrainer, useBackend } from './tfjs.js';

const impl = process.argv[2] ?? 'simd';
await init();
const core = await loadCore(); // init() resolves to nothing since the embedded-core entry
if (impl === 'tfwasm') await useBackend('wasm');
const data = countOnes({ samples: 100_000, length: 100, rng: new RandomState(1) });
const inputBytes = data.x.byteLength + data.targets.byteLength;
globalThis.gc?.(); // drop the generator's garbage, so only training counts
const rss0 = process.memoryUsage().rss;
const epochs = 3;
let wasmBytes = 0;
if (impl === 'tfwasm') {
  const tr = tfTrainer(data, { wx: 0.09, wRec: 0.01 }, { lr: 1e-3, loss: 'sse' });
  tr.epochs(epochs);
  tr.dispose();
} else {
  const model = new LinearRNN({ wx: 0.09, wRec: 0.01, simd: true });
  trainSync(model, data, { optimizer: rmsprop({ lr: 1e-3 }), epochs, trackWeights: false });
  wasmBytes = core.exports.memory.buffer.byteLength;
  model.dispose();
}
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ impl, inputBytes, trainingBytes: Math.max(0, peak - rss0), wasmBytes, epochs }));
