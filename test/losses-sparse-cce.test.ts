import { beforeAll, describe, expect, test } from 'vitest';
import { adam, DataError, init, RNN, ShapeError, train, type RNNOptions } from '../src/index.js';
import { oneHotTargets, randomTokenData } from './helpers/token-data.js';

// sparseCce reads one class id per target row; on the one-hot rows of the same ids, cce must give
// the same loss and gradients. The kernel's sparse row does cce's operations with t = 0 or 1 (0·x
// adds 0, Σt = 1 multiplies by 1), so the claim is bit for bit, on both backends.
beforeAll(() => init());

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

const models: Array<[string, Omit<RNNOptions, 'backend'>]> = [
  ['embedding → GRU, many-to-many', { inputSize: 1, embedding: { vocab: 7, dim: 3 }, layers: [{ cell: 'gru', units: 5 }], outputSize: 6, outputActivation: 'softmax', returnSequences: true, seed: 4 }],
  ['embedding → simple → LSTM, many-to-one', { inputSize: 1, embedding: { vocab: 7, dim: 2 }, layers: [{ cell: 'simple', units: 4 }, { cell: 'lstm', units: 3 }], outputSize: 6, outputActivation: 'softmax', seed: 5 }],
];

describe.each(['wasm', 'js'] as const)('sparseCce on %s', (backend) => {
  test.each(models)('%s: loss and gradients equal cce on one-hot targets, bit for bit', (_, options) => {
    const model = new RNN({ ...options, backend });
    const ids = randomTokenData(11, 9, 5, 7, 6, Boolean(options.returnSequences));
    const sparse = model.lossAndGrad(ids, 'sparseCce');
    const sparseGrads = model.grads.slice();
    const dense = model.lossAndGrad(oneHotTargets(ids, 6), 'cce');
    expect(sparse.loss).toBeGreaterThan(0);
    expect(sparse.loss).toBe(dense.loss);
    expect(bits(sparseGrads)).toEqual(bits(model.grads));
    // The float64 reference agrees too (lossAt runs the js twin in float64 on either backend).
    expect(model.lossAt(model.params, ids, 'sparseCce')).toBe(model.lossAt(model.params, oneHotTargets(ids, 6), 'cce'));
    model.dispose();
  });

  test('training with sparseCce follows training with cce, bit for bit', async () => {
    const ids = randomTokenData(12, 16, 6, 7, 6, true);
    const runs = [];
    for (const [data, loss] of [[ids, 'sparseCce'], [oneHotTargets(ids, 6), 'cce']] as const) {
      const model = new RNN({ ...models[0]![1], backend });
      // Shuffled batches and a validation split: the placed targets are permuted and sliced at their own width.
      const h = await train(model, data, { loss, epochs: 5, batchSize: 4, shuffle: 7, validationSplit: 0.25, optimizer: adam({ lr: 0.05 }) });
      runs.push({ losses: h.loss, val: h.valLoss, params: bits(model.params) });
      model.dispose();
    }
    expect(runs[0]!.losses[4]!).toBeLessThan(runs[0]!.losses[0]!);
    expect(runs[0]).toEqual(runs[1]);
  });

  test('targets whose width does not fit the loss, and ids outside [0, outputSize), are refused by name', () => {
    const model = new RNN({ ...models[0]![1], backend });
    const ids = randomTokenData(13, 3, 4, 7, 6, true);
    expect(() => model.lossAndGrad(ids, 'cce')).toThrow(ShapeError);
    expect(() => model.lossAndGrad(oneHotTargets(ids, 6), 'sparseCce')).toThrow(/data.outputSize must be 1 for sparseCce/);
    const bad = { ...ids, targets: ids.targets.slice() };
    bad.targets[2 * 3 + 1] = 6; // step 2, sample 1
    expect(() => model.lossAndGrad(bad, 'sparseCce')).toThrow(DataError);
    expect(() => model.place(bad)).toThrow(/data\.targets\[7\] must be a token id, an integer in \[0, 6\) \(sample 1, step 2\), got 6/);
    bad.targets[7] = 2.5;
    expect(() => model.lossAndGrad(bad, 'sparseCce')).toThrow(/sample 1, step 2\), got 2.5/);
    model.dispose();
  });
});
