import { describe, expect, test } from 'vitest';
import { gradientFlow } from '../../src/analysis/gradient-flow.js';
import { countOnes } from '../../src/data/count-ones.js';
import type { Sequences } from '../../src/data/sequences.js';
import { ConfigError } from '../../src/errors.js';
import { RandomState } from '../../src/random.js';

const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });

/** The loss when `delta` is added to every sample's state at step k and the recurrence continues: an independent forward. */
function lossWithKick(d: Sequences, wx: number, wRec: number, k: number, delta: number): number {
  let sum = 0;
  for (let i = 0; i < d.samples; i++) {
    let s = k === 0 ? delta : 0;
    for (let j = 1; j <= d.steps; j++) {
      s = d.x[(j - 1) * d.samples + i]! * wx + s * wRec;
      if (j === k) s += delta;
    }
    sum += (s - d.targets[i]!) ** 2;
  }
  return sum;
}

describe.each([
  [1, 2], [1, -2], [1, 0], [1, 0.5], [1, -0.5], [2, 1],
])('gradientFlow at (wx, wRec) = (%d, %d)', (wx, wRec) => {
  const g = gradientFlow(data, { wx, wRec });

  test('follows the closed form dL/dS[k] = dL/dS[T]·wRec^(T-k)', () => {
    expect(g.length).toBe(11);
    for (let k = 0; k <= 10; k++) expect(g[k]).toBeCloseTo(g[10]! * wRec ** (10 - k), 9);
  });

  test('matches central differences of the loss w.r.t. a kick to the states at each step', () => {
    // The loss is quadratic in the kick, so central differences are exact up to rounding; h = 1e-3.
    const h = 1e-3;
    for (let k = 0; k <= 10; k++) {
      const numeric = (lossWithKick(data, wx, wRec, k, h) - lossWithKick(data, wx, wRec, k, -h)) / (2 * h);
      expect(Math.abs(g[k]! - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
    }
  });
});

test('at wRec = 2 the signal grows by 2^10 over ten steps back; at 0.5 it shrinks by the same factor; at -2 it alternates', () => {
  const up = gradientFlow(data, { wx: 1, wRec: 2 });
  const down = gradientFlow(data, { wx: 1, wRec: 0.5 });
  expect(up[0]! / up[10]!).toBe(1024);
  expect(down[0]! / down[10]!).toBe(1 / 1024);
  const alt = gradientFlow(data, { wx: 1, wRec: -2 });
  for (let k = 0; k < 10; k++) expect(Math.sign(alt[k]!)).toBe(-Math.sign(alt[k + 1]!));
});

test('mse divides the signal by the number of samples', () => {
  const sse = gradientFlow(data, { wx: 1, wRec: 0.5 }, 'sse');
  const mse = gradientFlow(data, { wx: 1, wRec: 0.5 }, 'mse');
  // The kernels' dL/dy factor is f32: fround(2/20) is 0.1 within 1.5e-8 relative.
  for (let k = 0; k <= 10; k++) expect(Math.abs(mse[k]! / (sse[k]! / 20) - 1)).toBeLessThan(3e-8);
});

test('bad weights are a ConfigError naming the weight', () => {
  expect(() => gradientFlow(data, { wx: NaN, wRec: 1 })).toThrow(new ConfigError('wx', NaN, 'a finite number'));
});
