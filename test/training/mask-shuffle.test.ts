import { beforeAll, describe, expect, test } from 'vitest';
import { init, RNN, type Sequences } from '../../src/index.js';
import { randomElmanData } from '../helpers/elman-data.js';

// A shuffled binding moves each sample's mask row and weight with it: batch i of a shuffled order is
// the batch of a data set written in that order. And truncated BPTT cuts the gradient a mask routes
// around held steps at the window edge, alike on both backends.
beforeAll(() => init());

const S = 6, T = 5;
const MASK = [
  [1, 1, 1, 1, 1],
  [1, 1, 0, 0, 0],
  [0, 1, 1, 1, 1],
  [1, 0, 1, 0, 1],
  [1, 1, 1, 1, 0],
  [0, 0, 0, 1, 1],
];
const WEIGHTS = [1, 0.5, 2, 1.5, 0.25, 3];

/** The data set with its samples in `order` (slot i holds sample order[i]). */
function reordered(d: Sequences, order: number[]): Sequences {
  const x = new Float32Array(d.x.length), t = new Float32Array(d.targets.length);
  for (let k = 0; k < T; k++) {
    order.forEach((from, i) => {
      x.set(d.x.subarray((k * S + from) * d.inputSize, (k * S + from + 1) * d.inputSize), (k * S + i) * d.inputSize);
      t.set(d.targets.subarray((k * S + from) * d.outputSize, (k * S + from + 1) * d.outputSize), (k * S + i) * d.outputSize);
    });
  }
  return { ...d, x, targets: t, mask: order.flatMap((n) => MASK[n]!), sampleWeights: order.map((n) => WEIGHTS[n]!) };
}

describe.each(['wasm', 'js'] as const)('masks and weights on %s', (backend) => {
  test('a shuffled batch is the batch of the data written in that order', () => {
    const model = new RNN({ inputSize: 2, outputSize: 2, returnSequences: true, layers: [{ cell: 'lstm', units: 3 }], seed: 6, backend });
    const d: Sequences = { ...randomElmanData(4, S, T, 2, 2, true), mask: MASK.flat(), sampleWeights: WEIGHTS };
    const order = [4, 2, 5, 0, 3, 1];
    const b = model.bind(d, { batchSize: 3, loss: 'mse' });
    b.shuffle!(Uint32Array.from(order));
    const shuffled = [b.lossAndGrad(0), b.lossAndGrad(1)];
    const g1 = model.grads.slice();
    b.dispose();
    const w = model.bind(reordered(d, order), { batchSize: 3, loss: 'mse' });
    const written = [w.lossAndGrad(0), w.lossAndGrad(1)];
    w.dispose();
    expect(shuffled).toEqual(written);
    expect(model.grads).toEqual(g1);
    model.dispose();
  });
});

test('truncated BPTT with a mask: the same gradient on both backends, and not the untruncated one', () => {
  const d: Sequences = { ...randomElmanData(9, S, T, 2, 1, false), mask: MASK.flat() };
  const grads = (['wasm', 'js'] as const).map((backend) => {
    const model = new RNN({ inputSize: 2, outputSize: 1, layers: [{ cell: 'gru', units: 4 }], seed: 2, backend });
    const g = [2, undefined].map((truncate) => {
      const b = model.bind(d, truncate ? { truncate } : {});
      b.lossAndGrad(0);
      b.dispose();
      return model.grads.slice();
    });
    model.dispose();
    return g;
  });
  for (let i = 0; i < grads[0]![0]!.length; i++) expect(grads[0]![0]![i]!).toBeCloseTo(grads[1]![0]![i]!, 5);
  expect(grads[0]![0]).not.toEqual(grads[0]![1]);
});
