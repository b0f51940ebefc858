import { noisySignal, RandomState } from '../../dist/index.js';

/** The forecast example's model and training (examples/forecast/), one run per series: `n` noisy signals of `length` steps. */
export function forecasterSpec(name: string, n: number, { length = 400, epochs = 20 } = {}) {
  return {
    name,
    model: { kind: 'elman', inputSize: 1, hiddenSize: 24, outputSize: 4, seed: 1 },
    data: { lookback: 32, horizon: 4, validation: 0.25 },
    train: { optimizer: { name: 'adam', lr: 0.005 }, epochs, loss: 'mse', batchSize: 64, shuffle: 1, clipNorm: 1 },
    perSeries: Array.from({ length: n }, (_, i) => Array.from(noisySignal({ length, rng: new RandomState(1000 + i) }))),
  };
}
