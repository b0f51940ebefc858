import { beforeAll, expect, test } from 'vitest';
import { createOptimizer, init, RandomState, RNN, trainSync, type Sequences } from 'elman-rnn';

// An optimizer reset between runs keeps its slot arrays and refills them (no fresh allocation per
// run): through the package and the core's mini-batch training (the slots move into the core and
// back), a run after reset() must give the bits of the same run with a new optimizer, for a rule
// with slots initialised to 0 (rmsprop) and one with a non-zero start (adagrad's accumulator).

beforeAll(() => init());

function data(seed: number): Sequences {
  const rng = new RandomState(seed), n = 12, T = 5, I = 2;
  return { samples: n, steps: T, inputSize: I, outputSize: 1, x: Float32Array.from({ length: n * T * I }, () => rng.uniform(-1, 1)), targets: Float32Array.from({ length: n }, () => rng.uniform(-1, 1)) };
}

test.each(['rmsprop', 'adagrad'])('%s: train, reset, train again from the same weights: the bits of a fresh optimizer', (name) => {
  const d = data(3);
  const model = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 8 }], outputSize: 1, seed: 2 });
  try {
    const start = model.params.slice();
    const run = (optimizer: ReturnType<typeof createOptimizer>) => {
      model.params.set(start);
      trainSync(model, d, { optimizer, loss: 'mse', epochs: 3, batchSize: 4 });
      return model.params.slice();
    };
    const want = run(createOptimizer(name, { lr: 0.05 }));
    const opt = createOptimizer(name, { lr: 0.05 });
    const first = run(opt);
    expect(first).toEqual(want);
    opt.reset();
    expect(run(opt)).toEqual(want);
    // Without the reset the slots carry on, so the run differs: the comparison can fail.
    expect(run(opt)).not.toEqual(want);
  } finally {
    model.dispose();
  }
});
