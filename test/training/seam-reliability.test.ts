// The loop's reliability on both backends: truncation, divergence, validation splits, shuffle
// orders, float32 hyper-parameters, Adam's long runs and long runs' history.
import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { ConfigError, DataError, DivergenceError } from '../../src/errors.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { LinearRNN } from '../../src/models/linear.js';
import { adam } from '../../src/optimizers/adam.js';
import { rmsprop } from '../../src/optimizers/rmsprop.js';
import { rprop } from '../../src/optimizers/rprop.js';
import { sgd } from '../../src/optimizers/sgd.js';
import { RandomState } from '../../src/random.js';
import { trainSync } from '../../src/training/train.js';
import type { BackendName } from '../../src/types.js';
import { randomElmanData } from '../helpers/elman-data.js';

beforeAll(() => init());

const tutorial = () => countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
const elman = (backend: BackendName, seed = 1) => new ElmanRNN({ inputSize: 2, hiddenSize: 4, outputSize: 1, seed, backend });
const elmanData = () => randomElmanData(4, 24, 6, 2, 1, false);

describe.each(['wasm', 'js'] as const)('reliability of the loop on %s', (backend) => {
  test('truncate of 2^32 or more is full BPTT, the same on both backends', () => {
    const data = elmanData();
    const grads = (truncate?: number) => {
      const m = elman(backend);
      const b = m.bind(data, truncate === undefined ? {} : { truncate });
      b.lossAndGrad(0);
      b.dispose();
      return Array.from(m.grads);
    };
    expect(grads(2 ** 32)).toEqual(grads());
    expect(grads(2 ** 40 + 1)).toEqual(grads());
  });

  test('a non-finite validation loss is divergence without patience, and no better with it', () => {
    const data = randomElmanData(5, 40, 4, 1, 1, false);
    const make = () => new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, activation: 'linear', seed: 3, backend });
    const error = (() => {
      try {
        trainSync(make(), data, { optimizer: sgd({ lr: 3 }), epochs: 50, loss: 'mse', validationSplit: 0.25 });
      } catch (e) {
        return e as DivergenceError;
      }
    })();
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error!.argument).toBe('validation loss');
    const model = make();
    const h = trainSync(model, data, { optimizer: sgd({ lr: 3 }), epochs: 50, loss: 'mse', validationSplit: 0.25, patience: 2 });
    expect(model.params.every(Number.isFinite)).toBe(true);
    const best = h.valLoss!.indexOf(Math.min(...h.valLoss!.filter(Number.isFinite)));
    expect(model.weights).toEqual(h.weights[best + 1]);
  });

  test('validationSplit checks the whole data set before slicing it', () => {
    const bad = { ...elmanData(), x: new Float32Array(7) };
    expect(() => trainSync(elman(backend), bad, { optimizer: sgd(), epochs: 1, validationSplit: 0.5 })).toThrow(/data\.x must have length/);
    const nan = elmanData();
    nan.x[nan.x.length - 1] = Number.NaN; // in the held-out part
    expect(() => trainSync(elman(backend), nan, { optimizer: sgd(), epochs: 1, validationSplit: 0.5 })).toThrow(DataError);
  });

  test('a shuffle order with a duplicate or an index out of range is a DataError on both backends', () => {
    const data = elmanData();
    const b = elman(backend).bind(data, { batchSize: 4 });
    const order = Uint32Array.from({ length: data.samples }, (_, i) => i);
    order[3] = 2;
    expect(() => b.shuffle!(order)).toThrow(/permutation/);
    order[3] = data.samples;
    expect(() => b.shuffle!(order)).toThrow(/sample index below 24/);
    b.dispose();
  });
});

test('hyper-parameters are judged as the float32 the rules use', () => {
  expect(() => sgd({ lr: 1e-46 })).toThrow(/lr must be a finite number > 0 \(in float32, the precision the rule runs at, it is 0\)/);
  expect(() => rmsprop({ rho: 1 - 1e-9 })).toThrow(/rho must be .* < 1 \(in float32/);
  expect(() => adam({ beta1: 1 - 1e-9 })).toThrow(ConfigError);
  expect(() => rprop({ etaPlus: 1 + 1e-9 })).toThrow(/etaPlus must be a finite number > 1/);
});

test('Adam beyond 2^31 steps: both backends take the same (TypeScript) path and agree', () => {
  const run = (backend: BackendName) => {
    const model = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
    const optimizer = adam({ lr: 1e-3 });
    trainSync(model, tutorial(), { optimizer, epochs: 1 });
    optimizer.setState({ ...optimizer.getState(), step: 2 ** 31 - 3 });
    trainSync(model, tutorial(), { optimizer, epochs: 5 });
    return [Array.from(model.params), optimizer.iterations];
  };
  expect(run('wasm')).toEqual(run('js'));
});

test('a long run is safe by default: 300,000 epochs keep at most 100,000 history entries', () => {
  const model = new LinearRNN({ wx: 0.09, wRec: 0.011 });
  const h = trainSync(model, tutorial(), { optimizer: rmsprop(), epochs: 300_000 });
  expect(h.loss.length).toBeLessThanOrEqual(100_000);
  expect(h.every).toBe(4);
  expect(h.weights).toHaveLength(h.loss.length + 1);
});

test('the same diverging mini-batch run reports the same kind of divergence on both backends', () => {
  const run = (backend: BackendName) => {
    const model = new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1, activation: 'linear', seed: 5, backend });
    try {
      trainSync(model, randomElmanData(6, 32, 5, 2, 1, false), { optimizer: sgd({ lr: 50 }), epochs: 30, batchSize: 8, loss: 'sse' });
    } catch (e) {
      const d = e as DivergenceError;
      return [d.name, d.epoch, d.argument];
    }
    return ['no divergence'];
  };
  const wasm = run('wasm');
  expect(wasm[0]).toBe('DivergenceError');
  expect(run('js')).toEqual(wasm);
});

test.each(['wasm', 'js'] as const)('ElmanRNN.predict takes inputs without targets, and checks them (%s)', (backend) => {
  const data = elmanData();
  const model = elman(backend);
  const { targets: _t, outputSize: _o, targetsPerStep: _p, ...inputs } = data;
  expect(model.predict(inputs)).toEqual(model.predict(data));
  const bad = { ...inputs, x: inputs.x.slice() };
  bad.x[5] = Number.NaN;
  expect(() => model.predict(bad)).toThrow(/data\.x\[5\] must be a finite number/);
});
