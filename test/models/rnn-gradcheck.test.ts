import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { RNN, type RNNOptions } from '../../src/models/rnn.js';
import { gradCheck } from '../../src/training/grad-check.js';
import { randomElmanData } from '../helpers/elman-data.js';

// gradCheck, the users' door to finite differences, passes for the stacked model on both backends.
beforeAll(() => init());

const models: Array<[string, Omit<RNNOptions, 'backend'>, 'mse' | 'bce' | 'cce']> = [
  ['GRU (TF.js defaults) → sigmoid, bce', { inputSize: 2, layers: [{ cell: 'gru', units: 5 }], outputSize: 2, outputActivation: 'sigmoid', seed: 1 }, 'bce'],
  ['LSTM → GRU (Keras 3 defaults) → softmax, cce', { inputSize: 2, layers: [{ cell: 'lstm', units: 4 }, { cell: 'gru', units: 3 }], outputSize: 3, outputActivation: 'softmax', returnSequences: true, defaults: 'keras3', seed: 2 }, 'cce'],
  ['simple(relu) → LSTM → linear, mse', { inputSize: 2, layers: [{ cell: 'simple', units: 3, activation: 'relu' }, { cell: 'lstm', units: 4, recurrentActivation: 'sigmoid' }], outputSize: 1, seed: 3 }, 'mse'],
];

describe.each(['wasm', 'js'] as const)('gradCheck(RNN) on %s', (backend) => {
  test.each(models)('%s', (_, options, loss) => {
    const model = new RNN({ ...options, backend });
    const data = randomElmanData(9, 6, 5, 2, options.outputSize, Boolean(options.returnSequences), loss === 'bce' ? 'bits' : loss === 'cce' ? 'onehot' : 'real');
    // eps 1e-5: some gradients here are ~1e-8, below what the differences of a loss near 1 resolve at eps 1e-7.
    const r = gradCheck(model, data, { loss, eps: 1e-5 });
    expect(r.ok).toBe(true);
    expect(r.maxRelativeError).toBeLessThan(1e-4);
    model.dispose();
  });
});
