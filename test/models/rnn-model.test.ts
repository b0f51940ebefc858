import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { core, init } from '../../src/backends/wasm/core.js';
import { sineWave } from '../../src/data/sine-wave.js';
import { ConfigError, DisposedError, ShapeError } from '../../src/errors.js';
import { RNN, type LayerOptions } from '../../src/models/rnn.js';
import { adam } from '../../src/optimizers/adam.js';
import { RandomState } from '../../src/random.js';
import { trainSync } from '../../src/training/train.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { tfLossGrad, tfPredict, worstRel } from '../helpers/stack-harness.js';

// The public stacked model on both backends: its loss and gradients are TF.js's, predict / step /
// forecast agree with each other and with TF.js, it trains through `train` with every loop option,
// and it saves, reloads and releases its memory.
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});

const stack: LayerOptions[] = [{ cell: 'simple', units: 4 }, { cell: 'gru', units: 6 }, { cell: 'lstm', units: 5 }];

describe.each(['wasm', 'js'] as const)('RNN on %s', (backend) => {
  test('lossAndGrad is TF.js\'s (simple→GRU→LSTM + dense, TF.js defaults: hardSigmoid gates)', () => {
    const model = new RNN({ inputSize: 3, layers: stack, outputSize: 2, returnSequences: true, seed: 3, backend });
    const data = randomElmanData(4, 6, 5, 3, 2, true);
    const ours = model.lossAndGrad(data, 'mse');
    const flat = (w: typeof ours.grads) => Float64Array.from([...w.layers.flatMap((l) => [...l.kernel, ...l.recurrentKernel, ...l.bias]), ...w.outputKernel, ...w.outputBias]);
    const theirs = tfLossGrad({ I: 3, layers: model.layers, O: 2, outAct: 'linear', seq: true }, data, model.params, 'squared');
    expect(Math.abs(ours.loss - theirs.loss) / theirs.loss).toBeLessThan(1e-5);
    expect(worstRel(flat(ours.grads), theirs.grads)).toBeLessThan(1e-4);
    expect(model.layers.map((l) => l.recurrentActivation)).toEqual(['hardSigmoid', 'hardSigmoid', 'hardSigmoid']);
    model.dispose();
  });

  test('Keras 3 defaults: sigmoid gates, GRU resetAfter (bias [2][3H]), LSTM forget bias 1', () => {
    const model = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 3 }, { cell: 'lstm', units: 2 }], outputSize: 1, defaults: 'keras3', backend });
    expect(model.layers.map((l) => [l.recurrentActivation, l.resetAfter])).toEqual([['sigmoid', true], ['sigmoid', false]]);
    expect(model.shapes.layers[0]!.bias).toEqual([2, 9]);
    expect(Array.from(model.weights.layers[1]!.bias)).toEqual([0, 0, 1, 1, 0, 0, 0, 0]); // [i f c o], f = 1
    model.dispose();
  });

  test('predict (nested arrays), step by step over 3 streams and TF.js agree; forecast feeds outputs back', () => {
    const model = new RNN({ inputSize: 2, layers: [{ cell: 'lstm', units: 6 }, { cell: 'gru', units: 4 }], outputSize: 2, returnSequences: true, seed: 5, backend });
    const data = randomElmanData(6, 3, 7, 2, 2, true);
    const nested = Array.from({ length: 3 }, (_, n) => Array.from({ length: 7 }, (_, k) => [data.x[(k * 3 + n) * 2]!, data.x[(k * 3 + n) * 2 + 1]!]));
    const y = model.predict({ x: data.x, samples: 3, steps: 7 });
    // Nested in, nested out [samples][steps][outputs]: the time-major outputs regrouped.
    expect(model.predict(nested)).toEqual(Array.from({ length: 3 }, (_, n) => Array.from({ length: 7 }, (_, k) => Array.from(y.subarray((k * 3 + n) * 2, (k * 3 + n + 1) * 2)))));
    expect(worstRel(y, tfPredict({ I: 2, layers: model.layers, O: 2, outAct: 'linear', seq: true }, data, model.params))).toBeLessThan(1e-5);
    for (let k = 0; k < 7; k++) {
      const out = model.step(data.x.subarray(k * 6, (k + 1) * 6));
      expect(worstRel(out, y.subarray(k * 6, (k + 1) * 6))).toBeLessThan(1e-5);
    }
    // forecast: the context, then each output as the next input, the same as stepping by hand.
    const context = [[0.1, -0.2], [0.3, 0.05], [-0.4, 0.2]];
    const f = model.forecast(context, 4);
    model.resetState();
    let out = new Float32Array(0);
    for (const row of context) out = model.step([row]).slice();
    const manual: number[] = [...out];
    for (let s = 1; s < 4; s++) manual.push(...(out = model.step(out).slice()));
    expect(worstRel(f, manual)).toBeLessThan(1e-6);
    model.dispose();
  });

  test('train: mini-batches, shuffling, clipping, truncation and early stopping on a noisy sine (beats repeating the last value)', () => {
    const rng = new RandomState(7);
    const data = sineWave({ samples: 160, length: 20, rng });
    const held = sineWave({ samples: 60, length: 20, rng });
    const model = new RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 12 }], outputSize: 1, returnSequences: true, defaults: 'keras3', seed: 1, backend });
    const h = trainSync(model, data, { optimizer: adam({ lr: 0.02 }), epochs: 40, loss: 'mse', batchSize: 32, shuffle: 3, clipNorm: 1, truncate: 10, patience: 5, validationSplit: 0.2 });
    expect(h.loss.at(-1)!).toBeLessThan(h.loss[0]! / 4);
    const y = model.predict(held);
    let mse = 0, naive = 0;
    for (let i = held.samples; i < y.length; i++) {
      mse += (y[i]! - held.targets[i]!) ** 2;
      naive += (held.x[i]! - held.targets[i]!) ** 2; // the current value as the forecast of the next
    }
    expect(mse).toBeLessThan(naive / 2);
    model.dispose();
  });

  test('toJSON → fromJSON gives the same predictions; bad files are refused before allocating', () => {
    const model = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 3, resetAfter: true }, { cell: 'simple', units: 4, activation: 'relu' }], outputSize: 3, outputActivation: 'softmax', seed: 9, backend });
    const data = randomElmanData(10, 5, 4, 2, 3, false);
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    const back = RNN.fromJSON(json, { backend });
    expect(back.predict(data)).toEqual(model.predict(data));
    expect(() => RNN.fromJSON({ ...json, weights: { ...json.weights, outputBias: [1, 2] } })).toThrow(ShapeError);
    expect(() => RNN.fromJSON({ ...json, config: { ...json.config, extra: 1 } })).toThrow(ConfigError);
    expect(() => RNN.fromJSON({ ...json, format: 'elman.ElmanRNN' })).toThrow(ConfigError);
    model.dispose();
    back.dispose();
  });

  test('bad options are typed errors naming the argument', () => {
    expect(() => new RNN({ inputSize: 2, layers: [], outputSize: 1, backend })).toThrow(/layers/);
    expect(() => new RNN({ inputSize: 2, layers: [{ cell: 'rnn' as 'gru', units: 2 }], outputSize: 1, backend })).toThrow(/layers\[0\]\.cell/);
    expect(() => new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 2, recurrentActivation: 'softmax' as 'sigmoid' }], outputSize: 1, backend })).toThrow(/recurrentActivation/);
    const model = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 2 }], outputSize: 1, backend });
    expect(() => model.step([1, 2, 3])).toThrow(ShapeError);
    expect(() => model.forecast([1, 2], 3)).toThrow(/forecast/);
    model.dispose();
    expect(() => model.step([1, 2])).toThrow(DisposedError);
  });
});

test('wasm: stepping allocates nothing and dispose returns the arena to where it was', () => {
  const { arena } = core();
  const base = arena.bytesInUse;
  const model = new RNN({ inputSize: 2, layers: [{ cell: 'lstm', units: 32 }], outputSize: 1 });
  const x = new Float32Array([0.5, -0.5, 0.1, 0.2]);
  model.step(x);
  const inUse = arena.bytesInUse, buffer = arena.memory.buffer;
  for (let i = 0; i < 1000; i++) model.step(x);
  expect(arena.bytesInUse).toBe(inUse);
  expect(arena.memory.buffer).toBe(buffer);
  model.predict(randomElmanData(1, 4, 3, 2, 1, false));
  model.dispose();
  expect(arena.bytesInUse).toBe(base);
});
