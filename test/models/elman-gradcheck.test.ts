import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { ElmanRNN, type ElmanRNNOptions } from '../../src/models/elman.js';
import { gradCheck } from '../../src/training/grad-check.js';
import { randomElmanData, type TargetKind } from '../helpers/elman-data.js';

beforeAll(() => init());

// Every hidden activation with every loss (and the output activations each loss allows), many-to-one
// and many-to-many, on small random networks: BPTT must agree with central differences of the
// float64 loss. The analytic side is float32 on wasm, so the tolerance is 1e-3 relative to the
// larger of the entry and 1% of the largest gradient entry.
const cases: Array<[string, string, ElmanRNNOptions['outputActivation'], TargetKind]> = [];
for (const act of ['linear', 'tanh', 'relu', 'sigmoid']) {
  cases.push([act, 'mse', 'linear', 'real'], [act, 'sse', 'sigmoid', 'real'], [act, 'mse', 'softmax', 'real'], [act, 'bce', 'sigmoid', 'bits'], [act, 'cce', 'softmax', 'onehot']);
}

describe.each(['wasm', 'js'] as const)('gradCheck on %s', (backend) => {
  test.each(cases.map((c, i) => [...c, i] as const))('%s hidden, %s loss, %s output', (act, loss, outAct, kind, i) => {
    const seq = i % 2 === 0;
    const data = randomElmanData(100 + i, 7, 5, 3, 2, seq, kind);
    const model = new ElmanRNN({ inputSize: 3, hiddenSize: 6, outputSize: 2, activation: act as ElmanRNNOptions['activation'], outputActivation: outAct, returnSequences: seq, seed: i, backend });
    // Non-zero biases so that every term of the gradient is exercised.
    model.setWeights({ bias: [0.1, -0.2, 0.05, 0.3, -0.1, 0.2], outputBias: [0.1, -0.3] });
    const r = gradCheck(model, data, { loss, eps: 1e-6, tolerance: 1 });
    const big = Math.max(...r.numerical.map(Math.abs));
    expect(big).toBeGreaterThan(1e-3);
    for (let j = 0; j < r.numerical.length; j++) {
      const a = r.analytic[j]!, n = r.numerical[j]!;
      expect(Math.abs(a - n)).toBeLessThan(1e-3 * Math.max(Math.abs(n), 0.01 * big));
    }
  });
});
