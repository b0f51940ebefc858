import { beforeAll, describe, expect, test } from 'vitest';
import { ELMAN_LOSSES, gradCheck, init, RNN, type ElmanLossName, type Sequences } from '../../src/index.js';
import { randomElmanData } from '../helpers/elman-data.js';

// Every loss with a step mask and sample weights: the loss is Keras 3's (Σ w·m·ℓ over the unmasked
// rows' count for a mean, checked against model.evaluate when the fixtures were made: see
// test/fixtures/make_keras3_masks.py), computed here in float64 from the model's own predictions; the
// gradient agrees with float64 central differences on both backends.
beforeAll(() => init());

const S = 4, T = 5, I = 2, O = 3;
const MASK = [
  [1, 1, 1, 0, 0],
  [1, 1, 1, 1, 1],
  [0, 1, 1, 0, 1],
  [1, 0, 0, 0, 0],
].flat();
const WEIGHTS = [0.5, 2, 0, 1.25];

const setup = (loss: ElmanLossName) => ({
  outputActivation: loss === 'bce' ? ('sigmoid' as const) : loss === 'cce' ? ('softmax' as const) : ('linear' as const),
  kind: loss === 'bce' ? ('bits' as const) : loss === 'cce' ? ('onehot' as const) : ('real' as const),
});

/** One row's loss from outputs y and targets t, in float64, as Keras defines each (mean over outputs where Keras takes it). */
function rowLoss(loss: ElmanLossName, y: ArrayLike<number>, t: ArrayLike<number>): number {
  let sum = 0;
  for (let o = 0; o < O; o++) {
    const e = y[o]! - t[o]!, a = Math.abs(e);
    if (loss === 'sse' || loss === 'mse') sum += e * e;
    else if (loss === 'huber') sum += a <= 1 ? 0.5 * e * e : a - 0.5;
    else if (loss === 'bce') sum -= t[o]! * Math.log(y[o]!) + (1 - t[o]!) * Math.log(1 - y[o]!);
    else sum -= t[o]! * Math.log(y[o]!);
  }
  return loss === 'sse' || loss === 'cce' ? sum : sum / O;
}

/** Keras 3's weighted, masked reduction of the rows: Σ w·m·ℓ / (unmasked rows, or all rows without a mask) for a mean, the plain sum for sse. */
function expected(loss: ElmanLossName, data: Sequences, y: Float32Array, seq: boolean): number {
  const steps = seq ? T : 1;
  let sum = 0, rows = 0;
  for (let k = 0; k < steps; k++) {
    for (let n = 0; n < S; n++) {
      const m = seq && data.mask ? data.mask[n * T + k]! : 1, w = data.sampleWeights ? data.sampleWeights[n]! : 1;
      rows += m;
      sum += w * m * rowLoss(loss, y.subarray((k * S + n) * O, (k * S + n + 1) * O), data.targets.subarray((k * S + n) * O, (k * S + n + 1) * O));
    }
  }
  return loss === 'sse' ? sum : sum / rows;
}

describe.each(['wasm', 'js'] as const)('masks and sample weights on %s', (backend) => {
  test.each(ELMAN_LOSSES.map((l) => [l]))('%s: Keras 3\'s reduction, and gradients that agree with float64 differences', (loss: ElmanLossName) => {
    const { outputActivation, kind } = setup(loss);
    for (const seq of [true, false]) {
      const model = new RNN({ inputSize: I, outputSize: O, outputActivation, returnSequences: seq, layers: [{ cell: 'gru', units: 4 }, { cell: 'lstm', units: 3 }], seed: 4, backend });
      const base = randomElmanData(21, S, T, I, O, seq, kind);
      for (const data of [{ ...base, mask: MASK }, { ...base, sampleWeights: WEIGHTS }, { ...base, mask: MASK, sampleWeights: WEIGHTS }] as Sequences[]) {
        const want = expected(loss, data, model.predict(data), seq);
        const got = model.lossAndGrad(data, loss).loss;
        expect(Math.abs(got - want)).toBeLessThan(2e-6 * Math.max(1, want));
        // The float64 reference (lossAt) agrees with the same closed form.
        expect(Math.abs(model.lossAt(model.params, data, loss) - want)).toBeLessThan(2e-6 * Math.max(1, want));
        const r = gradCheck(model, data, { loss, eps: 1e-5 });
        if (backend === 'js') expect(r.maxRelativeError).toBeLessThan(1e-4);
        else {
          // float32 BPTT resolves ~1e-8 absolute: judged against the largest gradient, not element by element.
          let top = 0, worst = 0;
          r.numerical.forEach((n, i) => ((top = Math.max(top, Math.abs(n))), (worst = Math.max(worst, Math.abs(n - r.analytic[i]!)))));
          expect(worst).toBeLessThan(1e-5 * top);
        }
      }
      model.dispose();
    }
  });
});

test('a mask changes the loss: the masked rows are out of it (a test that can fail)', () => {
  const model = new RNN({ inputSize: I, outputSize: O, returnSequences: true, layers: [{ cell: 'simple', units: 3 }], seed: 1 });
  const data = randomElmanData(2, S, T, I, O, true);
  const a = model.lossAndGrad(data, 'mse').loss, b = model.lossAndGrad({ ...data, mask: MASK }, 'mse').loss;
  const c = model.lossAndGrad({ ...data, sampleWeights: WEIGHTS }, 'mse').loss;
  expect(b).not.toBe(a);
  expect(c).not.toBe(a);
  model.dispose();
});
