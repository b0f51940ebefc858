import { beforeAll, expect, test } from 'vitest';
import { init, RNN, sgd, trainSync, type Sequences } from 'elman-rnn';

// Users' arrays carry lengths, a mask (nested [samples][steps] or flat) and sample weights into the
// same training and predictions as the time-major Sequences with the same fields (the packed package).
beforeAll(() => init());

const x = [
  [[0.5], [-1], [0.25], [0]],
  [[1], [0.75], [0], [0]],
  [[-0.5], [0.5], [1], [0]],
];
const y = [[[1], [0], [1], [0]], [[0], [1], [0], [0]], [[1], [1], [0], [0]]];
const lengths = [3, 2, 3], mask = [[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 0]], sampleWeights = [1, 2, 0.5];

/** The same data, time-major. */
function sequences(): Sequences {
  const S = 3, T = 4, xs = new Float32Array(S * T), ts = new Float32Array(S * T);
  for (let n = 0; n < S; n++) for (let k = 0; k < T; k++) [xs[k * S + n], ts[k * S + n]] = [x[n]![k]![0]!, y[n]![k]![0]!];
  return { samples: S, steps: T, inputSize: 1, outputSize: 1, x: xs, targets: ts, targetsPerStep: true, sampleWeights };
}

const fresh = () => new RNN({ inputSize: 1, outputSize: 1, returnSequences: true, layers: [{ cell: 'gru', units: 3 }], seed: 9 });

test('nested arrays with lengths, a nested or flat mask and weights train and predict as Sequences do', () => {
  const ref = fresh();
  trainSync(ref, { ...sequences(), lengths }, { optimizer: sgd({ lr: 0.1 }), epochs: 3 });
  for (const extra of [{ lengths }, { mask }, { mask: mask.flat() }]) {
    const model = fresh();
    trainSync(model, { x, y, sampleWeights, ...extra }, { optimizer: sgd({ lr: 0.1 }), epochs: 3 });
    expect(model.params).toEqual(ref.params);
    const nested = model.predict({ x, ...extra });
    const flat = ref.predict({ ...sequences(), lengths });
    expect(nested.map((row) => row.map((v) => (v as number[])[0]))).toEqual(x.map((_, n) => [0, 1, 2, 3].map((k) => flat[k * 3 + n])));
    model.dispose();
  }
  // Without the weights the run differs: they reached the loss.
  const unweighted = fresh();
  trainSync(unweighted, { x, y, lengths }, { optimizer: sgd({ lr: 0.1 }), epochs: 3 });
  expect(unweighted.params).not.toEqual(ref.params);
  ref.dispose();
  unweighted.dispose();
});
