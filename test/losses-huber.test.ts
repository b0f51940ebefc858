import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../src/backends/wasm/core.js';
import { ELMAN_LOSSES, LOSS_SPECS, RNN, type ElmanLossName } from '../src/index.js';
import { gradCheck } from '../src/training/grad-check.js';
import { trainSync } from '../src/training/train.js';
import { adam } from '../src/optimizers/adam.js';
import { randomElmanData } from './helpers/elman-data.js';

// Huber (δ = 1), the loss added through the loss table (src/losses.ts): three files, its row in
// assembly/head.ts, its code in src/abi/codes.ts, its entry (with its float64 row) in src/losses.ts.
// Truth: TF.js's tf.losses.huberLoss on the model's own outputs, and float64 central differences.
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});

test('the loss lists come from the table: every loss there, the counter\'s where it says so', async () => {
  const { LOSSES } = await import('../src/losses.js');
  expect(ELMAN_LOSSES).toEqual(Object.keys(LOSS_SPECS));
  expect(LOSSES).toEqual(ELMAN_LOSSES.filter((k) => LOSS_SPECS[k].counter));
  expect(ELMAN_LOSSES).toContain('huber');
});

describe.each(['wasm', 'js'] as const)('huber on %s', (backend) => {
  test.each(['linear', 'sigmoid', 'softmax'] as const)('%s output: the loss is TF.js\'s huberLoss of the outputs; gradCheck passes', (outAct) => {
    const O = 3;
    const model = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 4 }], outputSize: O, outputActivation: outAct, returnSequences: true, seed: 5, backend });
    const data = randomElmanData(11, 7, 4, 2, O, true);
    // Targets spread over [-3, 3]: errors on both sides of δ = 1, so both branches count.
    data.targets.forEach((v, i) => (data.targets[i] = 3 * v));
    const y = model.predict(data);
    const theirs = tf.losses.huberLoss(tf.tensor1d(data.targets), tf.tensor1d(y), undefined, 1).dataSync()[0]!;
    const ours = model.lossAndGrad(data, 'huber' as ElmanLossName).loss;
    expect(Math.abs(ours - theirs) / theirs).toBeLessThan(1e-5);
    let small = 0, large = 0;
    y.forEach((v, i) => (Math.abs(v - data.targets[i]!) <= 1 ? small++ : large++));
    expect(Math.min(small, large)).toBeGreaterThan(5);
    const r = gradCheck(model, data, { loss: 'huber' as ElmanLossName, eps: 1e-5 });
    expect(r.maxRelativeError).toBeLessThan(1e-4);
    model.dispose();
  });

  test('training with huber resists an outlier that pulls mse away', () => {
    const data = randomElmanData(12, 40, 5, 1, 1, false);
    data.targets.forEach((_, i) => (data.targets[i] = data.x[(4 * 40 + i)]!)); // the last input
    data.targets[0] = 50; // one outlier
    const fit = (loss: ElmanLossName) => {
      const m = new RNN({ inputSize: 1, layers: [{ cell: 'simple', units: 4 }], outputSize: 1, seed: 2, backend });
      trainSync(m, data, { optimizer: adam({ lr: 0.05 }), epochs: 150, loss });
      const y = m.predict(data);
      m.dispose();
      let err = 0;
      for (let i = 1; i < 40; i++) err += Math.abs(y[i]! - data.targets[i]!);
      return err / 39; // the error on the clean samples
    };
    expect(fit('huber' as ElmanLossName)).toBeLessThan(fit('mse'));
  });
});
