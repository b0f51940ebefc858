import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../fixtures/tutorial.json' with { type: 'json' };
import { init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { AbortError, ConfigError, DivergenceError } from '../../src/errors.js';
import { LinearRNN, type LinearWeights } from '../../src/models/linear.js';
import { rmsprop } from '../../src/optimizers/rmsprop.js';
import { rprop } from '../../src/optimizers/rprop.js';
import { sgd } from '../../src/optimizers/sgd.js';
import { RandomState } from '../../src/random.js';
import { train, trainSync } from '../../src/training/train.js';

beforeAll(() => init());

/** The tutorial's setup: seed-1 data first, then the two weights from the same stream. */
function tutorial(backend: 'wasm' | 'js') {
  const rng = new RandomState(1);
  const data = countOnes({ samples: 20, length: 10, rng });
  const model = new LinearRNN({ wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1), backend });
  return { data, model };
}

const logged = (loss: number[], every: number) => loss.filter((_, e) => e % every === 0);

describe.each(['wasm', 'js'] as const)('the tutorial on %s', (backend) => {
  test('gradient descent, lr 1e-5: hundreds for ~500 epochs, then below 1, ends near (1.06, 0.99)', async () => {
    const { data, model } = tutorial(backend);
    const h = await train(model, data, { optimizer: sgd({ lr: 1e-5 }), epochs: 2001, loss: 'sse' });
    expect(h.loss).toHaveLength(2001);
    expect(Math.min(...h.loss.slice(0, 450))).toBeGreaterThan(100);
    expect(Math.max(...h.loss.slice(700))).toBeLessThan(1);
    // numpy float64 prints the same log to 4 decimals at every 100th epoch.
    const ours = logged(h.loss, 100);
    fixture.gd.logged.forEach(([e, cost], i) => expect(ours[i]!, `epoch ${e}`).toBeCloseTo(cost!, 2));
    expect(model.weights.wx).toBeCloseTo(fixture.gd.final[0]!, 4);
    expect(model.weights.wRec).toBeCloseTo(fixture.gd.final[1]!, 4);
    expect(model.weights.wx).toBeCloseTo(1.06, 2);
    expect(model.weights.wRec).toBeCloseTo(0.99, 1);
  });

  test('RMSProp, lr 1e-3: about (0.9995, 0.9993) with a loss below 0.01', async () => {
    const { data, model } = tutorial(backend);
    const h = await train(model, data, { optimizer: rmsprop({ lr: 1e-3 }), epochs: 2001 });
    expect(h.loss.at(-1)).toBeLessThan(0.01);
    expect(model.weights.wx).toBeCloseTo(fixture.rmsprop.final[0]!, 4);
    expect(model.weights.wRec).toBeCloseTo(fixture.rmsprop.final[1]!, 4);
    expect(Math.abs(model.weights.wx - 0.9995)).toBeLessThan(5e-4);
    expect(Math.abs(model.weights.wRec - 0.9993)).toBeLessThan(5e-4);
  });

  test('Rprop from (-1.5, 2) on mse reaches (1, 1) within 500 epochs', async () => {
    const { data } = tutorial(backend);
    const model = new LinearRNN({ wx: -1.5, wRec: 2, backend });
    const h = await train(model, data, { optimizer: rprop(), epochs: 500, loss: 'mse' });
    expect(Math.abs(model.weights.wx - 1)).toBeLessThan(0.01);
    expect(Math.abs(model.weights.wRec - 1)).toBeLessThan(0.01);
    expect(model.weights.wx).toBeCloseTo(fixture.rprop.final[0]!, 3);
    expect(model.weights.wRec).toBeCloseTo(fixture.rprop.final[1]!, 3);
    expect(h.loss.at(-1)).toBeLessThan(1e-4);
  });

  test('gradient descent at lr 0.01 diverges: DivergenceError, model keeps its last finite-loss weights', async () => {
    const { data, model } = tutorial(backend);
    const seen: LinearWeights[] = [];
    const error = await train(model, data, { optimizer: sgd({ lr: 0.01 }), epochs: 100, onEpoch: ({ weights }) => void seen.push(weights) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    const d = error as DivergenceError;
    const history = d.history as { loss: number[]; weights: LinearWeights[] };
    expect(history.loss.every(Number.isFinite)).toBe(true);
    expect(d.epoch).toBe(history.loss.length);
    // The model sits at the weights whose loss was the last finite one recorded.
    expect(model.weights).toEqual(history.weights[history.loss.length - 1]);
    expect([...d.weights]).toEqual([model.weights.wx, model.weights.wRec]);
    expect(Number.isFinite(model.weights.wx) && Number.isFinite(model.weights.wRec)).toBe(true);
  });
});

describe('the training loop', () => {
  test('history pairs loss[e] with weights[e], and ends with the final weights', () => {
    const { data, model } = tutorial('wasm');
    const h = trainSync(model, data, { optimizer: rmsprop({ lr: 0.01 }), epochs: 5, loss: 'mse' });
    expect(h.weights).toHaveLength(6);
    expect(h.weights[5]).toEqual(model.weights);
    h.weights.slice(0, 5).forEach((w, e) => {
      expect(new LinearRNN({ ...w }).lossAndGrad(data, 'mse').loss).toBe(h.loss[e]);
    });
  });

  test('onEpoch runs every logEvery epochs and after the last; returning false stops', () => {
    const { data, model } = tutorial('js');
    const epochs: number[] = [];
    trainSync(model, data, { optimizer: sgd({ lr: 1e-6 }), epochs: 25, logEvery: 10, onEpoch: ({ epoch }) => void epochs.push(epoch) });
    expect(epochs).toEqual([0, 10, 20, 24]);
    const h = trainSync(model, data, { optimizer: sgd({ lr: 1e-6 }), epochs: 25, onEpoch: ({ epoch }) => epoch < 3 });
    expect(h.loss).toHaveLength(4);
  });

  test('an AbortSignal stops training with AbortError, keeping the weights reached', async () => {
    const { data, model } = tutorial('wasm');
    const controller = new AbortController();
    const error = await train(model, data, {
      optimizer: sgd({ lr: 1e-5 }),
      epochs: 1000,
      signal: controller.signal,
      onEpoch: ({ epoch }) => void (epoch === 41 && controller.abort()),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).epoch).toBe(42);
    const history = (error as AbortError).history as { weights: LinearWeights[] };
    expect(model.weights).toEqual(history.weights.at(-1));
  });

  test('an AbortSignal.timeout fires during async training, because train yields to the event loop', async () => {
    const { data, model } = tutorial('js');
    const error = await train(model, data, { optimizer: sgd({ lr: 1e-7 }), epochs: 1e9, signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
  });

  test.each([
    ['epochs', { epochs: 0 }],
    ['epochs', { epochs: 1.5 }],
    ['logEvery', { logEvery: 0 }],
    ['optimizer', { optimizer: 'sgd' }],
    ['onEpoch', { onEpoch: 1 }],
    ['signal', { signal: {} }],
    ['loss', { loss: 'mae' }],
  ])('bad %s is a ConfigError before any update', (argument, bad) => {
    const { data, model } = tutorial('js');
    const before = model.weights;
    expect(() => trainSync(model, data, { optimizer: sgd(), epochs: 3, ...(bad as object) })).toThrow(expect.objectContaining({ argument }));
    expect(() => trainSync(model, data, { optimizer: sgd(), epochs: 3, ...(bad as object) })).toThrow(ConfigError);
    expect(model.weights).toEqual(before);
  });
});
