import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { RNN, toTfjs, type RNNOptions } from '../../src/index.js';
import { gradCheck } from '../../src/training/grad-check.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { finiteDiff, jsLossGrad, randomParams, wasmLossGrad, worstRel } from '../helpers/stack-harness.js';
import { layer } from '../helpers/stack-parity.js';
import { stackOffsets } from '../../src/stack-spec.js';

// The minimal gated unit (Zhou et al. 2016), the cell added through the registry (src/cells/mgu.ts):
// f = σ(x·Kf + h·Rf + bf), h′ = (1 − f)·h + f·tanh(x·Kn + (f·h)·Rn + bn). No library has it (Keras,
// TF.js), so its truths are a closed form worked by hand for one unit and float64 central differences
// of the float64 js twin, on both backends, alone and stacked with the other cells.
beforeAll(() => init());

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe.each(['wasm', 'js'] as const)('MGU on %s', (backend) => {
  test('one unit, two steps: the outputs are the closed form worked in float64', () => {
    // Kf, Kn (kernel [1][2]), Rf, Rn (recurrentKernel [1][2]), bf, bn; the head y = 2h + 0.5.
    const [kf, kn, rf, rn, bf, bn] = [0.7, -1.1, 0.4, 0.9, 0.1, -0.2];
    const model = new RNN({ inputSize: 1, layers: [{ cell: 'mgu', units: 1, recurrentActivation: 'sigmoid' }], outputSize: 1, returnSequences: true, backend });
    model.setWeights({ layers: [{ kernel: [kf, kn], recurrentKernel: [rf, rn], bias: [bf, bn] }], outputKernel: [2], outputBias: [0.5] });
    const xs = [0.8, -0.3];
    let h = 0;
    const expected = xs.map((x) => {
      const f = sigmoid(x * kf + h * rf + bf);
      const n = Math.tanh(x * kn + f * h * rn + bn);
      h = (1 - f) * h + f * n;
      return 2 * h + 0.5;
    });
    const y = model.predict({ x: Float32Array.from(xs), samples: 1, steps: xs.length }); // one sample: time-major is the sequence
    expect(Math.abs(y[0]! - expected[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(y[1]! - expected[1]!)).toBeLessThan(1e-6);
    // step gives the same outputs one step at a time
    expect(Math.abs(model.step([[xs[0]!]])[0]! - expected[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(model.step([[xs[1]!]])[0]! - expected[1]!)).toBeLessThan(1e-6);
    model.dispose();
  });

  test.each([
    ['MGU alone, hardSigmoid gate, linear head, many-to-many', [layer('mgu', 5, { recurrentActivation: 'hardSigmoid' })], true],
    ['simple → MGU (relu candidate), many-to-one', [layer('simple', 3), layer('mgu', 4, { activation: 'relu' })], false],
    ['MGU → LSTM, many-to-many', [layer('mgu', 3), layer('lstm', 2)], true],
  ] as const)('%s: gradients are float64 central differences of the js twin', (_, layers, seq) => {
    const d = { I: 3, layers, O: 2, outAct: 'linear' as const, seq };
    const data = randomElmanData(5, 4, 6, 3, 2, seq);
    const p = randomParams(d, 7);
    const s = 1 / (data.samples * (seq ? data.steps : 1) * 2);
    const ours = backend === 'wasm' ? wasmLossGrad(d, data, p, 'squared', s) : jsLossGrad(d, data.x, data.targets, data.samples, data.steps, p, 'squared', s);
    const fd = finiteDiff(d, data, p, 'squared', s);
    expect(worstRel(ours.grads, fd)).toBeLessThan(backend === 'wasm' ? 1e-4 : 1e-7);
    // every block of every layer (kernel, recurrent kernel, bias, both gates) gets a gradient: no term silently dropped
    for (const lo of stackOffsets(d).layers) {
      const width = lo.end - lo.bias, units = (lo.bias - lo.recurrentKernel) / width; // each row: gates × units
      for (const [from, to] of [[lo.kernel, lo.recurrentKernel], [lo.recurrentKernel, lo.bias], [lo.bias, lo.end]] as const) {
        for (let gate = 0; gate * units < width; gate++) {
          let any = false;
          for (let i = from; i < to; i++) if (Math.floor(((i - from) % width) / units) === gate && fd[i] !== 0) any = true;
          expect(any).toBe(true);
        }
      }
    }
  });

  test('through the model: gradCheck, training lowers the loss, save and load, truncation', () => {
    const options: RNNOptions = { inputSize: 2, layers: [{ cell: 'mgu', units: 6 }], outputSize: 1, outputActivation: 'sigmoid', returnSequences: true, seed: 2, backend };
    const model = new RNN(options);
    const data = randomElmanData(3, 8, 5, 2, 1, true, 'bits');
    const r = gradCheck(model, data, { loss: 'bce', eps: 1e-5 });
    expect(r.maxRelativeError).toBeLessThan(1e-4);
    expect(model.shapes.layers[0]).toEqual({ kernel: [2, 12], recurrentKernel: [6, 12], bias: [12] });
    const back = RNN.fromJSON(JSON.parse(JSON.stringify(model.toJSON())), { backend });
    // TF.js has no MGU layer: exporting names the layer and the cells it can take
    expect(() => toTfjs(model)).toThrow(/model\.layers\[0\]\.cell must be a cell TF\.js has a layer for: SimpleRNN, GRU, LSTM, got "mgu"/);
    expect(back.predict(data)).toEqual(model.predict(data));
    const full = model.lossAndGrad(data, 'bce').grads.layers[0]!.recurrentKernel;
    const b = model.bind(data, { loss: 'bce', truncate: 1 });
    b.lossAndGrad(0);
    b.dispose();
    // window 1: no gradient flows back through h, so the recurrent weights see only one step each
    expect(worstRel(model.gradients.layers[0]!.recurrentKernel, full)).toBeGreaterThan(1e-3);
    model.dispose();
    back.dispose();
  });
});

test('wasm and js agree on a stack with every registered cell, and threads give the bits of one thread', async () => {
  const { CELLS } = await import('../../src/cells/index.js');
  const layers = CELLS.map((cell, i) => ({ cell, units: 3 + i }));
  const data = randomElmanData(8, 37, 5, 2, 2, false);
  const w = new RNN({ inputSize: 2, layers, outputSize: 2, seed: 4 });
  const j = new RNN({ inputSize: 2, layers, outputSize: 2, seed: 4, backend: 'js' });
  const a = w.lossAndGrad(data), b = j.lossAndGrad(data);
  expect(Math.abs(a.loss - b.loss) / b.loss).toBeLessThan(1e-5);
  expect(worstRel(w.grads, j.grads)).toBeLessThan(1e-4);
  const placed = await w.placeThreaded(data, { threads: 2 });
  const t2 = w.lossAndGrad(placed).loss;
  const g2 = w.grads.slice();
  placed.dispose();
  const one = await w.placeThreaded(data, { threads: 1 });
  expect(w.lossAndGrad(one).loss).toBe(t2);
  expect(w.grads).toEqual(g2);
  w.dispose();
  j.dispose();
});
