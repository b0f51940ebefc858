import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { LinearRNN } from '../../src/models/linear.js';
import { RandomState } from '../../src/random.js';
import { gradCheck } from '../../src/training/grad-check.js';
import { randomSequences } from '../helpers/data.js';

beforeAll(() => init());

const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });

describe.each([
  ['wasm', true],
  ['wasm', false],
  ['js', true],
] as const)('gradCheck on %s (simd %s)', (backend, simd) => {
  test.each([
    [0.09, 0.0113, 'sse'],
    [-1.5, 2, 'mse'],
    [0.5, -0.7, 'sse'],
    [1.2, 0.95, 'mse'],
    [1, 1.01, 'sse'],
  ] as const)('at (%f, %f) with %s, central differences with ε = 1e-7 agree with BPTT', (wx, wRec, loss) => {
    const model = new LinearRNN({ wx, wRec, backend, simd });
    const r = gradCheck(model, data, { loss });
    expect(r.maxRelativeError).toBeLessThan(1e-5);
    expect(r.ok).toBe(true);
  });

  test('agrees on random real-valued data', () => {
    const model = new LinearRNN({ wx: 0.3, wRec: -0.8, backend, simd });
    expect(gradCheck(model, randomSequences(9, 37, 12), { loss: 'mse' }).maxRelativeError).toBeLessThan(1e-5);
  });
});

test('gradCheck catches a wrong gradient (the check can fail)', () => {
  const model = new LinearRNN({ wx: 0.5, wRec: 0.9, backend: 'js' });
  const bind = model.bind.bind(model);
  // Sabotage: drop the recurrent term's last step by scaling its gradient by 0.99.
  model.bind = (d, o) => {
    const b = bind(d, o);
    return { ...b, lossAndGrad: () => { const v = b.lossAndGrad(0); model.grads[1] = model.grads[1]! * 0.99; return v; } };
  };
  const r = gradCheck(model, data);
  expect(r.ok).toBe(false);
  expect(r.maxRelativeError).toBeGreaterThan(5e-3);
});

test('the gradient explodes as |wRec| grows past 1: dL/dS[k] = dL/dS[T]·wRec^(T−k)', () => {
  // With one sample of T ones and wx = 1, ∂L/∂wx = c·e·Σ_k wRec^(T−k): a geometric sum.
  const T = 10;
  const ones = countOnes({ samples: 1, length: T, rng: new RandomState(1) });
  ones.x.fill(1);
  ones.targets[0] = 0;
  for (const wRec of [0.5, 1, 2]) {
    const model = new LinearRNN({ wx: 1, wRec, backend: 'js' });
    const { grads } = model.lossAndGrad(ones, 'sse');
    let y = 0;
    let geo = 0;
    for (let k = 1; k <= T; k++) {
      y = y * wRec + 1;
      geo += wRec ** (T - k);
    }
    expect(grads.wx).toBeCloseTo(Math.fround(2 * y * geo), 0);
  }
});
