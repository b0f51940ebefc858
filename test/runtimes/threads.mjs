// Threads from the installed package, the same in Node and in a cross-origin isolated page: an
// Elman network trained on placeThreaded data with 1 and 2 threads; the history's thread count and
// the float32 bits of the weights reached.
import { bits } from './tutorial.mjs';

export async function threadRuns(elman) {
  const rng = new elman.RandomState(7);
  const [samples, steps] = [120, 6];
  const x = Float32Array.from({ length: samples * steps * 2 }, () => rng.uniform(-1, 1));
  const targets = Float32Array.from({ length: samples }, () => rng.uniform(-1, 1));
  const data = { samples, steps, inputSize: 2, outputSize: 1, x, targets };
  const runs = {};
  for (const threads of [1, 2]) {
    const model = new elman.ElmanRNN({ inputSize: 2, hiddenSize: 12, outputSize: 1, seed: 4 });
    const placed = await model.placeThreaded(data, { threads });
    const history = await elman.train(model, placed, { optimizer: elman.adam({ lr: 0.01 }), epochs: 3, batchSize: 40 });
    runs[threads] = { threads: history.threads, bits: bits(model.params) };
    model.dispose();
  }
  return runs;
}
