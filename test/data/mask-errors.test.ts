import { beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, DataError, ElmanError, init, LinearRNN, RNN, sgd, ShapeError, train, type Sequences } from '../../src/index.js';
import { randomElmanData } from '../helpers/elman-data.js';

// Bad lengths, masks and sample weights are typed errors that name the argument, the sample (and the
// step), thrown before any work, by every door that takes a data set.
beforeAll(() => init());

const S = 3, T = 4;
const data = randomElmanData(1, S, T, 2, 1, true);
const cases: Array<[string, Partial<Sequences>, abstract new (...args: never[]) => ElmanError, RegExp]> = [
  ['a mask value other than 0 or 1', { mask: [1, 1, 1, 1, 1, 0, 2, 1, 1, 1, 1, 1] }, DataError, /^data\.mask\[1\]\[2\] must be 0 or 1, got 2$/],
  ['a NaN in the mask', { mask: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, NaN] }, DataError, /^data\.mask\[2\]\[3\] must be 0 or 1, got NaN$/],
  ['a mask of the wrong length', { mask: [1, 1, 1] }, ShapeError, /^data\.mask must have length 12 \(\[samples 3\]\[steps 4\]\), got length 3$/],
  ['a mask that is not an array', { mask: 1 as unknown as number[] }, ConfigError, /^data\.mask must be an array/],
  ['a length of 0', { lengths: [4, 0, 2] }, DataError, /^data\.lengths\[1\] must be an integer from 1 to 4 \(steps\), got 0$/],
  ['a length past the steps', { lengths: [4, 2, 5] }, DataError, /^data\.lengths\[2\] must be an integer from 1 to 4/],
  ['a fractional length', { lengths: [1.5, 2, 2] }, DataError, /^data\.lengths\[0\] must be an integer/],
  ['lengths for the wrong number of samples', { lengths: [4, 4] }, ShapeError, /^data\.lengths must have length 3/],
  ['both lengths and a mask', { lengths: [4, 4, 4], mask: new Array(12).fill(1) }, ConfigError, /^data\.lengths must be absent when data\.mask is given/],
  ['a negative sample weight', { sampleWeights: [1, -0.5, 1] }, DataError, /^data\.sampleWeights\[1\] must be a finite number >= 0 in float32, got -0\.5$/],
  ['an infinite sample weight', { sampleWeights: [1, 1, 1e39] }, DataError, /^data\.sampleWeights\[2\] must be a finite number >= 0/],
  ['sample weights for the wrong number of samples', { sampleWeights: [1, 1, 1, 1] }, ShapeError, /^data\.sampleWeights must have length 3/],
];

describe.each(['wasm', 'js'] as const)('bad masks and weights on %s', (backend) => {
  const model = new RNN({ inputSize: 2, outputSize: 1, returnSequences: true, layers: [{ cell: 'gru', units: 2 }], backend });
  test.each(cases)('%s', async (_, extra, type, message) => {
    const bad = { ...data, ...extra } as Sequences;
    const before = model.params.slice();
    for (const run of [() => model.place(bad), () => model.lossAndGrad(bad), () => model.bind(bad), () => model.predict(bad), () => model.lossAt(model.params, bad)]) {
      expect(run).toThrowError(type);
      expect(run).toThrowError(message);
    }
    await expect(train(model, bad, { epochs: 1, optimizer: sgd({ lr: 0.1 }) })).rejects.toThrowError(message);
    expect(model.params).toEqual(before);
  });
});

test('a threaded placement refuses masks and weights by name: its blocks run unmasked', async () => {
  const model = new RNN({ inputSize: 2, outputSize: 1, returnSequences: true, layers: [{ cell: 'gru', units: 2 }] });
  for (const [key, value] of [['lengths', [4, 2, 3]], ['mask', new Array(12).fill(1)], ['sampleWeights', [1, 2, 3]]] as const) {
    const p = model.placeThreaded({ ...data, [key]: value }, { threads: 2 });
    await expect(p).rejects.toThrowError(ConfigError);
    await expect(model.placeThreaded({ ...data, [key]: value }, { threads: 2 })).rejects.toThrowError(new RegExp(`^data\\.${key} must be absent on a threaded placement`));
  }
  model.dispose();
});

test('the counter refuses masks and weights by name rather than ignoring them', () => {
  const model = new LinearRNN({ wx: 0.5, wRec: 0.5 });
  const counts = { samples: 2, steps: 3, inputSize: 1, outputSize: 1, x: new Float32Array(6), targets: new Float32Array(2) };
  for (const [key, value] of [['lengths', [3, 2]], ['mask', [1, 1, 1, 1, 1, 0]], ['sampleWeights', [1, 2]]] as const) {
    for (const run of [() => model.place({ ...counts, [key]: value }), () => model.bind({ ...counts, [key]: value })]) {
      expect(run).toThrowError(ConfigError);
      expect(run).toThrowError(new RegExp(`^data\\.${key} must be absent for LinearRNN`));
    }
  }
  model.dispose();
});
