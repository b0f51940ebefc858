import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { ElmanRNN, type ElmanRNNOptions } from '../../src/models/elman.js';
import { LinearRNN } from '../../src/models/linear.js';
import { RandomState } from '../../src/random.js';
import { randomElmanData } from '../helpers/elman-data.js';

beforeAll(() => init());

const rel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0, scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(scale, 1e-12));
  return worst;
};

describe('wasm and js agree', () => {
  // Sizes cover the SIMD blocks and every tail: H = 1, 3, 5 (scalar/4-tails), 8, 16, 19, 33 (16-blocks + tails).
  test.each([
    [1, 1, 1, 'linear', 'mse', 'linear', false],
    [2, 3, 1, 'tanh', 'bce', 'sigmoid', true],
    [3, 5, 4, 'relu', 'cce', 'softmax', true],
    [2, 8, 2, 'sigmoid', 'sse', 'sigmoid', false],
    [4, 16, 3, 'tanh', 'mse', 'softmax', true],
    [5, 19, 6, 'tanh', 'cce', 'softmax', false],
    [7, 33, 5, 'relu', 'mse', 'linear', true],
  ] as const)('I %i, H %i, O %i, %s, %s, %s output, seq %s', (I, H, O, act, loss, outAct, seq) => {
    const kind = loss === 'bce' ? 'bits' : loss === 'cce' ? 'onehot' : 'real';
    const data = randomElmanData(I * 100 + H, 37, 9, I, O, seq, kind);
    const opts: ElmanRNNOptions = { inputSize: I, hiddenSize: H, outputSize: O, activation: act, outputActivation: outAct, returnSequences: seq, seed: H };
    const w = new ElmanRNN({ ...opts, backend: 'wasm' });
    const j = new ElmanRNN({ ...opts, backend: 'js' });
    const bias = Float32Array.from({ length: H }, (_, i) => 0.1 * Math.sin(i + 1));
    w.setWeights({ bias });
    j.setWeights({ bias });
    const a = w.lossAndGrad(data, loss);
    const b = j.lossAndGrad(data, loss);
    expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-5 * Math.abs(b.loss));
    expect(rel(w.grads, j.grads)).toBeLessThan(1e-5);
    expect(rel(w.predict(data), j.predict(data))).toBeLessThan(1e-5);
  });
});

describe.each(['wasm', 'js'] as const)('on %s', (backend) => {
  test('the counter is ElmanRNN with sizes 1, linear, no bias, output weight 1: same loss and gradients', () => {
    const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
    for (const [wx, wRec] of [[0.09, 0.0113], [1.3, -0.7], [-1.5, 2]] as const) {
      const counter = new LinearRNN({ wx, wRec, backend });
      const elman = new ElmanRNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, activation: 'linear', backend });
      elman.setWeights({ kernel: [wx], recurrentKernel: [wRec], bias: [0], outputKernel: [1], outputBias: [0] });
      for (const loss of ['sse', 'mse'] as const) {
        const c = counter.lossAndGrad(data, loss);
        const e = elman.lossAndGrad(data, loss);
        expect(Math.abs(e.loss - c.loss)).toBeLessThan(1e-5 * c.loss);
        expect(Math.abs(e.grads.kernel[0]! - c.grads.wx)).toBeLessThan(1e-5 * Math.abs(c.grads.wx));
        expect(Math.abs(e.grads.recurrentKernel[0]! - c.grads.wRec)).toBeLessThan(1e-5 * Math.abs(c.grads.wRec));
      }
    }
  });

  test('mini-batches of an sse loss add up to the full batch, in any order', () => {
    const data = randomElmanData(5, 50, 6, 2, 3, true);
    const model = new ElmanRNN({ inputSize: 2, hiddenSize: 12, outputSize: 3, returnSequences: true, seed: 3, backend });
    const full = model.bind(data, { loss: 'sse' });
    const loss = full.lossAndGrad();
    const g = model.grads.slice();
    full.dispose();
    const parts = model.bind(data, { loss: 'sse', batchSize: 16 });
    expect([parts.batches, parts.batchLength(3)]).toEqual([4, 2]); // 16 + 16 + 16 + 2
    const order = new Uint32Array(50).map((_, i) => (i * 7) % 50); // 7 is coprime with 50: a permutation
    parts.shuffle!(order);
    let sum = 0;
    const acc = new Float64Array(g.length);
    for (let i = 0; i < parts.batches; i++) {
      sum += parts.lossAndGrad(i);
      model.grads.forEach((v, k) => (acc[k]! += v));
    }
    parts.dispose();
    expect(Math.abs(sum - loss)).toBeLessThan(1e-5 * loss);
    expect(rel(acc, g)).toBeLessThan(1e-5);
  });

  test('truncated BPTT: a window >= T changes nothing; window 1 keeps only the last step', () => {
    const n = 10, T = 8;
    const data = randomElmanData(8, n, T, 1, 1, false);
    const [wx, wr, wo] = [0.8, 0.6, 1.5];
    const model = new ElmanRNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, activation: 'linear', backend });
    model.setWeights({ kernel: [wx], recurrentKernel: [wr], outputKernel: [wo] });
    const grad = (truncate?: number) => {
      const b = model.bind(data, truncate === undefined ? { loss: 'mse' } : { loss: 'mse', truncate });
      b.lossAndGrad();
      b.dispose();
      return model.gradients;
    };
    const full = grad();
    expect(grad(T)).toEqual(full);
    // By hand, window 1: dL/dy = 2(y − t)/n; gK = Σ dL/dy·wo·x[T], gR = Σ dL/dy·wo·h[T−1].
    let gk = 0, gr = 0, gfull = 0;
    for (let s = 0; s < n; s++) {
      let h = 0, hPrev = 0;
      const hs: number[] = [0];
      for (let k = 0; k < T; k++) {
        hPrev = h;
        h = data.x[k * n + s]! * wx + h * wr;
        hs.push(h);
      }
      const dy = (2 * (h * wo - data.targets[s]!)) / n;
      gk += dy * wo * data.x[(T - 1) * n + s]!;
      gr += dy * wo * hPrev;
      for (let k = 1; k <= T; k++) gfull += dy * wo * wr ** (T - k) * data.x[(k - 1) * n + s]!;
    }
    const cut = grad(1);
    expect(cut.kernel[0]).toBeCloseTo(gk, 5);
    expect(cut.recurrentKernel[0]).toBeCloseTo(gr, 5);
    expect(full.kernel[0]).toBeCloseTo(gfull, 5);
    expect(Math.abs(gk - gfull)).toBeGreaterThan(0.01);
  });
});

describe('the core’s f32x4 activations', () => {
  test.each(['tanh', 'sigmoid'] as const)('%s within 4e-7 relative (+ 1e-12 absolute) of Math over [-20, 20]', (act) => {
    // One hidden unit with kernel 1 and no recurrence: the output is act(x) itself, 4,000 samples a step.
    const xs = Float32Array.from({ length: 4001 }, (_, i) => (i - 2000) / 100 + (i % 7) * 1e-4);
    xs[2000] = 1e-30;
    xs[2001] = -3e-8;
    const data = { samples: xs.length, steps: 1, inputSize: 1, outputSize: 1, x: xs, targets: new Float32Array(xs.length) };
    const m = new ElmanRNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, activation: act });
    m.setWeights({ kernel: [1], recurrentKernel: [0], outputKernel: [1] });
    const y = m.predict(data);
    const f = act === 'tanh' ? Math.tanh : (v: number) => 1 / (1 + Math.exp(-v));
    let worst = 0;
    xs.forEach((v, i) => (worst = Math.max(worst, Math.abs(y[i]! - f(v)) / (Math.abs(f(v)) + 1e-12))));
    expect(worst).toBeLessThan(4e-7);
  });
});
