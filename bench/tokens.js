// Tokens at min-char-rnn's sizes (vocab 61, hidden 100, 25-step chunks, batch 1): one training call
// (forward, loss, BPTT) of a simple-cell char model three ways, interleaved, CPU time beside wall:
// one-hot inputs and targets with cce (what a user wrote before issue 19), one-hot inputs with
// class-id targets (sparseCce: same model, no one-hot targets), and an embedding (dim 16) with
// sparseCce (a text model that never builds one-hot rows). Also the bytes each form of the data
// takes for 100 KB of text. Not a row of `npm run bench` yet.   node --expose-gc bench/tokens.js
import { init, RandomState, RNN } from '../dist/index.js';
import { interleaved } from './rounds.js';

await init();
const V = 61, H = 100, T = 25, chunks = 64;
const rng = new RandomState(19);
const ids = Float32Array.from({ length: chunks * T + 1 }, () => Math.floor(rng.randomSample() * V));
const x = new Float32Array(T * chunks), t = new Float32Array(T * chunks);
for (let n = 0; n < chunks; n++) for (let k = 0; k < T; k++) [x[k * chunks + n], t[k * chunks + n]] = [ids[n * T + k], ids[n * T + k + 1]];
const hot = (a) => {
  const out = new Float32Array(a.length * V);
  a.forEach((id, r) => (out[r * V + id] = 1));
  return out;
};
const base = { samples: chunks, steps: T, targetsPerStep: true };
const dense = { ...base, inputSize: V, outputSize: V, x: hot(x), targets: hot(t) };
const sparse = { ...base, inputSize: V, outputSize: 1, x: hot(x), targets: t };
const tokens = { ...base, inputSize: 1, outputSize: 1, x, targets: t };
const head = { layers: [{ cell: 'simple', units: H }], outputSize: V, outputActivation: 'softmax', returnSequences: true, seed: 1 };

function row(name, options, data, loss) {
  const model = new RNN({ ...options, ...head });
  const binding = model.bind(model.place(data), { loss, batchSize: 1 });
  let i = 0;
  return { name, run: () => binding.lossAndGrad(i++ % chunks) };
}
const rows = await interleaved([
  row('one-hot inputs, one-hot targets, cce', { inputSize: V }, dense, 'cce'),
  row('one-hot inputs, class-id targets, sparseCce', { inputSize: V }, sparse, 'sparseCce'),
  row('embedding (dim 16), class-id targets, sparseCce', { inputSize: 1, embedding: { vocab: V, dim: 16 } }, tokens, 'sparseCce'),
], { rounds: 9 });
const ref = rows[0].cpu;
console.log('| data | wall per call | CPU per call | × vs one-hot cce (CPU) |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${(r.wall * 1e3).toFixed(1)} µs | ${(r.cpu * 1e3).toFixed(1)} µs | ${(ref / r.cpu).toFixed(2)} |`);
const chars = 100_000;
console.log(`\n100 KB of text (${chars} characters), inputs + targets as float32: one-hot ${(2 * chars * V * 4 / 1e6).toFixed(1)} MB, ids ${(2 * chars * 4 / 1e6).toFixed(1)} MB.`);
