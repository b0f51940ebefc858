// Capabilities, not names: the loop serves every model and optimizer by what it declares
// (user-written optimizers, overridden steps, placed data), and refuses unknown keys and losses.
import { beforeAll, describe, expect, test } from 'vitest';
import { core, init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { DivergenceError } from '../../src/errors.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { LinearRNN } from '../../src/models/linear.js';
import type { Optimizer, OptimizerState } from '../../src/optimizers/optimizer.js';
import { rmsprop } from '../../src/optimizers/rmsprop.js';
import { sgd } from '../../src/optimizers/sgd.js';
import { RandomState } from '../../src/random.js';
import { train, trainSync } from '../../src/training/train.js';
import type { BackendName } from '../../src/types.js';
import type { Trainable } from '../../src/models/model.js';
import { randomElmanData } from '../helpers/elman-data.js';

beforeAll(() => init());

const tutorial = () => countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
const elman = (backend: BackendName, seed = 1) => new ElmanRNN({ inputSize: 2, hiddenSize: 4, outputSize: 1, seed, backend });
const elmanData = () => randomElmanData(4, 24, 6, 2, 1, false);

function customSgd(lr: number): Optimizer & { calls: number } {
  let t = 0;
  const f = Math.fround;
  return {
    name: 'custom-sgd',
    config: { lr },
    calls: 0,
    get iterations() {
      return t;
    },
    step(p, g) {
      this.calls++;
      t++;
      for (let i = 0; i < p.length; i++) p[i] = f(p[i]! - f(f(lr) * g[i]!));
    },
    getState: (): OptimizerState => ({ version: 1, name: 'custom-sgd', step: t, slots: {} }),
    setState: (s) => void (t = s.step),
    reset: () => void (t = 0),
  };
}

describe.each(['wasm', 'js'] as const)('capabilities, not names, on %s', (backend) => {
  test('shuffle: false and validationSplit: 0 on LinearRNN are the plain run, bit for bit', () => {
    const run = (extra: object) => {
      const model = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
      return trainSync(model, tutorial(), { optimizer: rmsprop(), epochs: 50, ...extra }).loss;
    };
    expect(run({ shuffle: false, validationSplit: 0 })).toEqual(run({}));
    expect(run({ shuffle: 3 })).toEqual(run({})); // one batch: nothing to reorder
  });

  test('a user-written optimizer trains both models, called once per update, the same as sgd bit for bit', () => {
    for (const make of [() => new LinearRNN({ wx: 0.09, wRec: 0.011, backend }), () => elman(backend)] as Array<() => Trainable<unknown, string>>) {
      const data = make() instanceof LinearRNN ? tutorial() : elmanData();
      const a = make();
      const custom = customSgd(1e-4);
      const ha = trainSync(a, data, { optimizer: custom, epochs: 20, batchSize: 1000 });
      expect(custom.calls).toBe(20);
      const b = make();
      const hb = trainSync(b, data, { optimizer: sgd({ lr: 1e-4 }), epochs: 20 });
      expect(ha.loss).toEqual(hb.loss);
      expect(a.params).toEqual(b.params);
    }
  });

  test('a built-in optimizer whose step is overridden is honoured (the core does not bypass it)', () => {
    const model = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
    const optimizer = rmsprop();
    const step = optimizer.step.bind(optimizer);
    let calls = 0;
    optimizer.step = (p, g) => {
      calls++;
      step(p, g);
    };
    expect(optimizer.coreRule).toBeUndefined();
    trainSync(model, tutorial(), { optimizer, epochs: 30 });
    expect(calls).toBe(30);
    expect(rmsprop().coreRule?.rule).toBe(2);
  });

  test('full batch and batchSize = samples judge a float32 overflow alike (the two divergence paths agree)', () => {
    // outputBias 2e19 makes each error ≈ 2e19: e² ≈ 4e38 is finite in float64 but not in float32.
    const run = (extra: object) => {
      const model = new ElmanRNN({ inputSize: 2, hiddenSize: 2, outputSize: 1, activation: 'linear', backend, seed: 1 });
      model.setWeights({ outputBias: [2e19] });
      try {
        trainSync(model, randomElmanData(2, 4, 3, 2, 1, false), { optimizer: sgd(), epochs: 3, loss: 'sse', ...extra });
      } catch (e) {
        return e as DivergenceError;
      }
      return undefined;
    };
    const full = run({});
    const batched = run({ batchSize: 4 });
    expect(full).toBeInstanceOf(DivergenceError);
    expect([batched?.epoch, batched?.argument, batched?.message]).toEqual([full!.epoch, full!.argument, full!.message]);
    expect(full!.epoch).toBe(0);
    expect(full!.hadFiniteLoss).toBe(false);
    expect(full!.message).toMatch(/starting weights already give a non-finite loss/);
  });

  test('placed data trains like the data set, and is not read again (changing the caller arrays changes nothing)', () => {
    const data = tutorial();
    const a = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
    const placed = a.place(data);
    data.x.fill(Number.NaN); // placing copied the data; the placed copy is what trains
    const optimizer = rmsprop();
    const h1 = trainSync(a, placed, { optimizer, epochs: 40 });
    const h2 = trainSync(a, placed, { optimizer, epochs: 40 });
    const b = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
    const fresh = trainSync(b, tutorial(), { optimizer: rmsprop(), epochs: 80 });
    expect([...h1.loss, ...h2.loss]).toEqual(fresh.loss); // two calls on placed data continue as one run
    expect(a.params).toEqual(b.params);
    placed.dispose();
    expect(() => trainSync(a, placed, { optimizer: sgd(), epochs: 1 })).toThrow(/disposed/);
    expect(() => trainSync(b, a.place(tutorial()), { optimizer: sgd(), epochs: 1 })).toThrow(/placed by this model/);
    a.dispose();
    b.dispose();
  });

  test('unknown keys are refused with the key named: train, models, bind', () => {
    const model = new LinearRNN({ backend });
    expect(() => trainSync(model, tutorial(), { optimizer: sgd(), epochs: 1, epoch: 5 } as never)).toThrow(/options\.epoch must be absent/);
    expect(() => new LinearRNN({ wrec: 1 } as never)).toThrow(/options\.wrec/);
    expect(() => elman(backend).bind(elmanData(), { batchsize: 4 } as never)).toThrow(/bind options\.batchsize/);
    expect(() => new ElmanRNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, hidden: 3 } as never)).toThrow(/options\.hidden/);
  });

  test('a wrong loss name is refused before any work, naming the model’s losses', () => {
    expect(() => trainSync(new LinearRNN({ backend }), tutorial(), { optimizer: sgd(), epochs: 1, loss: 'bce' as never })).toThrow(/loss must be one of sse, mse/);
  });
});
