// One call at a time per model, bounded history, yielding to the event loop between batches,
// and aborting mid-epoch back to the epoch's start.
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { AbortError, BusyError } from '../../src/errors.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { LinearRNN } from '../../src/models/linear.js';
import { adam } from '../../src/optimizers/adam.js';
import { rmsprop } from '../../src/optimizers/rmsprop.js';
import { sgd } from '../../src/optimizers/sgd.js';
import { RandomState } from '../../src/random.js';
import { train, trainSync } from '../../src/training/train.js';
import type { BackendName } from '../../src/types.js';
import { randomElmanData } from '../helpers/elman-data.js';

beforeAll(() => init());

const tutorial = () => countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
const elman = (backend: BackendName, seed = 1) => new ElmanRNN({ inputSize: 2, hiddenSize: 4, outputSize: 1, seed, backend });

describe('one call at a time, bounded history, yielding and aborting mid-epoch', () => {
  test('a second train on a model already training is a BusyError; another model trains meanwhile', async () => {
    const model = new LinearRNN({ wx: 0.09, wRec: 0.011, backend: 'js' });
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 30)); // every epoch ends a slice
    const first = train(model, tutorial(), { optimizer: sgd({ lr: 1e-5 }), epochs: 20 });
    expect(() => trainSync(model, tutorial(), { optimizer: sgd(), epochs: 1 })).toThrow(BusyError);
    await expect(train(model, tutorial(), { optimizer: sgd(), epochs: 1 })).rejects.toThrow(/one training call per model/);
    trainSync(new LinearRNN(), tutorial(), { optimizer: sgd({ lr: 1e-5 }), epochs: 2 });
    const h = await first;
    now.mockRestore();
    expect(h.loss).toHaveLength(20);
    expect(trainSync(model, tutorial(), { optimizer: sgd({ lr: 1e-5 }), epochs: 1 }).loss).toHaveLength(1); // free again
  });

  test.each(['wasm', 'js'] as const)('historyLimit keeps every 2nd, 4th … epoch, the same values as the full history (%s)', (backend) => {
    const run = (limit?: number) =>
      trainSync(new LinearRNN({ wx: 0.09, wRec: 0.011, backend }), tutorial(), { optimizer: rmsprop(), epochs: 1000, ...(limit && { historyLimit: limit }) });
    const full = run();
    const thin = run(100);
    // Thinned at 100 entries (epoch 100), 200, 400 and 800: 50 entries every 16 epochs, then 800..992.
    expect(thin.every).toBe(16);
    expect(thin.loss).toHaveLength(63);
    expect(thin.loss).toEqual(full.loss.filter((_, e) => e % 16 === 0));
    expect(thin.weights).toEqual([...full.weights.filter((_, e) => e % 16 === 0 && e < 1000), full.weights.at(-1)]);
  });

  test('a mini-batch epoch yields to the event loop between batches, and an abort mid-epoch rolls back to the epoch start', async () => {
    const model = elman('wasm');
    const optimizer = adam({ lr: 1e-3 });
    const data = randomElmanData(9, 40, 6, 2, 1, false);
    // Each reading of the clock moves it 30 ms: every batch ends a slice, so train yields after each.
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 30));
    const controller = new AbortController();
    let ticks = 0;
    const tick = () => {
      ticks++;
      if (ticks < 12) setImmediate(tick);
    };
    setImmediate(tick);
    let iterationsAtStart = -1;
    let paramsAtStart: Float32Array | undefined;
    const onEpoch = () => {
      paramsAtStart = model.params.slice();
      iterationsAtStart = optimizer.iterations;
      setImmediate(() => setImmediate(() => setImmediate(() => controller.abort()))); // a few batches into epoch 1
    };
    const error = await train(model, data, { optimizer, epochs: 3, batchSize: 4, signal: controller.signal, onEpoch }).catch((e: unknown) => e);
    now.mockRestore();
    expect(ticks).toBeGreaterThan(10); // the event loop ran during the epochs of 10 batches
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).epoch).toBe(1);
    expect(model.params).toEqual(paramsAtStart); // epoch 1's partial updates undone
    expect(optimizer.iterations).toBe(iterationsAtStart);
    const h = (error as AbortError).history as { loss: number[]; weights: unknown[] };
    expect(h.loss).toHaveLength(1);
    expect(h.weights.at(-1)).toEqual(model.weights);
  });
});
