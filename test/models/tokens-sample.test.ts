import { beforeAll, expect, test } from 'vitest';
import { ConfigError, DataError, init, RNN, sample, type RNNOptions } from '../../src/index.js';

// sample(): seeded draws from a next-token model through its `step`. Truths: the same seed gives the
// same ids on both backends; at a tiny temperature the draw is the argmax, checked against greedy
// decoding through `predict` on the growing sequence (no `step`, no RandomState).
beforeAll(() => init());

const options: Omit<RNNOptions, 'backend'> = { inputSize: 1, embedding: { vocab: 6, dim: 4 }, layers: [{ cell: 'gru', units: 8 }], outputSize: 6, outputActivation: 'softmax', returnSequences: true, seed: 9 };

test('a seed gives the same ids on wasm and js, another seed other ids', () => {
  const wasm = new RNN({ ...options, backend: 'wasm' }), js = new RNN({ ...options, backend: 'js' });
  // Spread the head's logits so the draws are not near-uniform (init's outputs are close to 1/6 each).
  const big = wasm.weights.outputKernel.map((v) => 8 * v);
  for (const m of [wasm, js]) m.setWeights({ outputKernel: big });
  const a = sample(wasm, { seed: 3, length: 40, prime: [1, 2], temperature: 0.9 });
  const b = sample(js, { seed: 3, length: 40, prime: [1, 2], temperature: 0.9 });
  expect(Array.from(a)).toEqual(Array.from(b));
  expect(Array.from(sample(wasm, { seed: 3, length: 40, prime: [1, 2], temperature: 0.9 }))).toEqual(Array.from(a));
  expect(Array.from(sample(wasm, { seed: 4, length: 40, prime: [1, 2], temperature: 0.9 }))).not.toEqual(Array.from(a));
  expect(new Set(a).size).toBeGreaterThan(1);
  wasm.dispose();
  js.dispose();
});

test.each(['wasm', 'js'] as const)('at temperature 1e-3 the draws are greedy decoding by predict (%s)', (backend) => {
  const model = new RNN({ ...options, backend });
  model.setWeights({ outputKernel: model.weights.outputKernel.map((v) => 8 * v) });
  const drawn = sample(model, { seed: 1, length: 12, prime: [3], temperature: 1e-3 });
  const seq = [3];
  for (let n = 0; n < 12; n++) {
    const y = model.predict([seq.map((id) => [id])]) as number[][][]; // nested: [1][steps][6]
    const last = y[0]![seq.length - 1]!;
    seq.push(last.indexOf(Math.max(...last)));
  }
  expect(Array.from(drawn)).toEqual(seq.slice(1));
  model.dispose();
});

test('one-hot models sample too; hostile options are refused by name', () => {
  const onehot = new RNN({ inputSize: 5, layers: [{ cell: 'simple', units: 4 }], outputSize: 5, outputActivation: 'softmax', backend: 'js' });
  expect(sample(onehot, { length: 7, seed: 2 }).every((id) => id >= 0 && id < 5)).toBe(true);
  expect(() => sample(onehot, { prime: [5] })).toThrow(/prime\[0\] must be a token id/);
  expect(() => sample(onehot, { prime: [1.5] })).toThrow(DataError);
  expect(() => sample(onehot, { temperature: 0 })).toThrow(/temperature/);
  expect(() => sample(onehot, { length: -1 })).toThrow(/length/);
  expect(() => sample(onehot, { lenght: 3 } as never)).toThrow(ConfigError);
  const regression = new RNN({ inputSize: 2, layers: [{ cell: 'simple', units: 4 }], outputSize: 3, backend: 'js' });
  expect(() => sample(regression)).toThrow(/next-token model/);
  onehot.dispose();
  regression.dispose();
});
