import { beforeAll, expect, test } from 'vitest';
import { init, RNN, sgd, sliceSamples, trainSync, type Sequences } from '../../src/index.js';
import { randomElmanData } from '../helpers/elman-data.js';

// A slice of a masked, weighted data set keeps its samples' lengths, mask rows and weights, so a
// validation split of such data is judged on the held-out samples' own lengths and weights.
beforeAll(() => init());

const S = 4, T = 3;
const base = randomElmanData(3, S, T, 2, 1, true);

test('sliceSamples takes the per-sample fields of its samples', () => {
  const d: Sequences = { ...base, mask: [1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0], sampleWeights: [1, 2, 3, 4] };
  const s = sliceSamples(d, 1, 3);
  expect(s.mask).toEqual([1, 1, 0, 0, 1, 1]);
  expect(s.sampleWeights).toEqual([2, 3]);
  expect(sliceSamples({ ...base, lengths: [3, 2, 1, 3] }, 2, 4).lengths).toEqual([1, 3]);
  expect('mask' in sliceSamples(base, 0, 2)).toBe(false);
});

test('a validation split of masked, weighted data: the validation loss is the held-out samples\' own', () => {
  const d: Sequences = { ...base, lengths: [3, 2, 1, 2], sampleWeights: [1, 2, 0.5, 3] };
  const model = new RNN({ inputSize: 2, outputSize: 1, returnSequences: true, layers: [{ cell: 'lstm', units: 3 }], seed: 5 });
  const h = trainSync(model, d, { optimizer: sgd({ lr: 0.1 }), epochs: 2, validationSplit: 0.5 });
  // The last validation loss is taken at the final weights, on samples 2 and 3 with their lengths and weights.
  const held = model.lossAndGrad(sliceSamples(d, 2, 4)).loss;
  expect(h.valLoss!.at(-1)).toBeCloseTo(held, 6);
  expect(held).not.toBeCloseTo(model.lossAndGrad(sliceSamples(base, 2, 4)).loss, 3);
  model.dispose();
});
