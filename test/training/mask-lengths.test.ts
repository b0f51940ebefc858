import { beforeAll, describe, expect, test } from 'vitest';
import { CELLS, ELMAN_LOSSES, init, LOSS_SPECS, RNN, type CellKind, type ElmanLossName, type Sequences } from '../../src/index.js';
import { randomElmanData } from '../helpers/elman-data.js';

// Sequences of any length in one data set: a padded batch with a length per sample gives each
// sample's outputs, loss and gradients as that sample run alone at its own length, on every cell and
// both backends; an all-ones mask and unit weights are the unmasked path, bit for bit.
beforeAll(() => init());

// The losses over dense targets; a sparse one (class ids) is covered by the tokens tests with its own data.
const DENSE_LOSSES = ELMAN_LOSSES.filter((l) => !LOSS_SPECS[l].sparse);

const S = 5, T = 6, I = 2, O = 2;
const LENGTHS = [6, 3, 1, 4, 2];

/** Sample n of a time-major data set alone, cut to its first `len` steps. */
function alone(d: Sequences, n: number, len: number): Sequences {
  const x = new Float32Array(len * I);
  for (let k = 0; k < len; k++) x.set(d.x.subarray((k * S + n) * I, (k * S + n + 1) * I), k * I);
  const tSteps = d.targetsPerStep ? len : 1;
  const targets = new Float32Array(tSteps * O);
  for (let k = 0; k < tSteps; k++) {
    const from = d.targetsPerStep ? k : 0;
    targets.set(d.targets.subarray((from * S + n) * O, (from * S + n + 1) * O), k * O);
  }
  return { samples: 1, steps: len, inputSize: I, outputSize: O, x, targets, targetsPerStep: d.targetsPerStep };
}

/** Padded data: the steps past each length hold junk inputs and targets (9), which the lengths must hide. */
function padded(seed: number, seq: boolean): Sequences {
  const d = randomElmanData(seed, S, T, I, O, seq);
  for (let n = 0; n < S; n++) {
    for (let k = LENGTHS[n]!; k < T; k++) {
      d.x.fill(9, (k * S + n) * I, (k * S + n + 1) * I);
      if (seq) d.targets.fill(9, (k * S + n) * O, (k * S + n + 1) * O);
    }
  }
  return { ...d, lengths: LENGTHS };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, rel: number): void {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(rel * Math.max(scale, 1e-3));
}

/**
 * The batch's outputs, sse loss and gradients against each sample run alone (`one(n)`): at step k a
 * sequence output equals the lone run's output at(n, k) (none before its first kept step, −1); sse
 * sums, so the batch's loss and gradients are the sums of the lone runs'.
 */
function againstAlone(model: RNN, data: Sequences, seq: boolean, one: (n: number) => Sequences, at: (n: number, k: number) => number): void {
  const y = model.predict(data);
  const batch = model.lossAndGrad(data, 'sse');
  const grads = model.grads.slice();
  let loss = 0;
  const sum = new Float64Array(grads.length);
  for (let n = 0; n < S; n++) {
    const lone = one(n), y1 = model.predict(lone);
    if (seq) {
      for (let k = 0; k < T; k++) {
        const j = at(n, k);
        if (j >= 0) close(y.subarray((k * S + n) * O, (k * S + n + 1) * O), y1.subarray(j * O, (j + 1) * O), 1e-6);
      }
    } else close(y.subarray(n * O, (n + 1) * O), y1, 1e-6);
    loss += model.lossAndGrad(lone, 'sse').loss;
    model.grads.forEach((g, i) => (sum[i]! += g));
  }
  expect(Math.abs(batch.loss - loss)).toBeLessThan(1e-5 * loss);
  close(grads, sum, 1e-5);
}

const cases = CELLS.flatMap((cell) => [false, true].map((seq) => [cell, seq] as [CellKind, boolean]));

describe.each(['wasm', 'js'] as const)('a padded batch on %s', (backend) => {
  test.each(cases)('%s, returnSequences %s: each sample as if alone at its length', (cell, seq) => {
    const model = new RNN({ inputSize: I, outputSize: O, returnSequences: seq, layers: [{ cell, units: 4 }, { cell, units: 3 }], seed: 7, backend });
    const data = padded(11, seq);
    // Past its length a sample's state holds, so its output repeats the last step's (Keras 3 returns the same).
    againstAlone(model, data, seq, (n) => alone(data, n, LENGTHS[n]!), (n, k) => Math.min(k, LENGTHS[n]! - 1));
    model.dispose();
  });
});

/** Sample n with only the steps its mask row keeps ([samples][steps] mask). */
function kept(d: Sequences, mask: number[], n: number): Sequences {
  const steps = [...Array(T).keys()].filter((k) => mask[n * T + k] === 1);
  const x = new Float32Array(steps.length * I), tSteps = d.targetsPerStep ? steps.length : 1;
  const targets = new Float32Array(tSteps * O);
  steps.forEach((k, j) => x.set(d.x.subarray((k * S + n) * I, (k * S + n + 1) * I), j * I));
  for (let j = 0; j < tSteps; j++) {
    const from = d.targetsPerStep ? steps[j]! : 0;
    targets.set(d.targets.subarray((from * S + n) * O, (from * S + n + 1) * O), j * O);
  }
  return { samples: 1, steps: steps.length, inputSize: I, outputSize: O, x, targets, targetsPerStep: d.targetsPerStep };
}

// Holes anywhere (pre-padding, gaps, a masked last step): a masked step is as if it were not there.
const HOLES = [
  [1, 1, 1, 1, 1, 1],
  [0, 0, 1, 1, 1, 1],
  [1, 0, 1, 0, 1, 1],
  [1, 1, 1, 1, 0, 0],
  [0, 1, 0, 0, 1, 0],
].flat();

describe.each(['wasm', 'js'] as const)('a mask with holes on %s', (backend) => {
  test.each(cases)('%s, returnSequences %s: each sample as its kept steps alone', (cell, seq) => {
    const model = new RNN({ inputSize: I, outputSize: O, returnSequences: seq, layers: [{ cell, units: 4 }, { cell, units: 3 }], seed: 8, backend });
    const data = { ...randomElmanData(12, S, T, I, O, seq), mask: HOLES };
    againstAlone(model, data, seq, (n) => kept(data, HOLES, n), (n, k) => HOLES.slice(n * T, n * T + k + 1).reduce((a, b) => a + b, 0) - 1);
    model.dispose();
  });
});

describe.each(['wasm', 'js'] as const)('an all-ones mask and unit weights on %s', (backend) => {
  test.each(DENSE_LOSSES.map((l) => [l]))('%s: the unmasked bits exactly', (loss: ElmanLossName) => {
    const outputActivation = loss === 'bce' ? 'sigmoid' : loss === 'cce' ? 'softmax' : 'linear';
    const kind = loss === 'bce' ? 'bits' : loss === 'cce' ? 'onehot' : 'real';
    for (const seq of [true, false]) {
      const model = new RNN({ inputSize: I, outputSize: O, outputActivation, returnSequences: seq, layers: [{ cell: 'lstm', units: 4 }, { cell: 'gru', units: 3 }], seed: 3, backend });
      const data = randomElmanData(5, S, T, I, O, seq, kind);
      const plain = model.lossAndGrad(data, loss).loss, g0 = model.grads.slice();
      for (const extra of [{ mask: new Array(S * T).fill(1) }, { lengths: new Array(S).fill(T) }, { sampleWeights: new Float32Array(S).fill(1) }, { mask: new Uint8Array(S * T).fill(1), sampleWeights: new Array(S).fill(1) }]) {
        const l = model.lossAndGrad({ ...data, ...extra }, loss).loss;
        expect(Object.is(l, plain)).toBe(true);
        expect(model.grads).toEqual(g0);
        expect(Buffer.from(model.grads.buffer).equals(Buffer.from(g0.buffer))).toBe(true);
      }
      const y = model.predict(data), ym = model.predict({ ...data, lengths: new Array(S).fill(T) });
      expect(Buffer.from(ym.buffer).equals(Buffer.from(y.buffer))).toBe(true);
      model.dispose();
    }
  });
});
