import { beforeAll, expect, test } from 'vitest';
import { ConfigError, init, RNN, windows, windowCount } from '../../src/index.js';

// Many-to-many windows: a target after every step of the window, for a returnSequences model.
beforeAll(() => init());

test('windows(series, { targets: "sequence" }): the next value after every step', () => {
  // Series 0..6 and 10..16, lookback 3, horizon 1, stride 2: samples start at 0 and 2 (7 − 3 − 1 = 3, ⌊3/2⌋ + 1 = 2).
  const a = [0, 1, 2, 3, 4, 5, 6], b = a.map((v) => v + 10);
  const d = windows([a, b], { lookback: 3, stride: 2, targets: 'sequence' });
  expect([d.samples, d.steps, d.inputSize, d.outputSize, d.targetsPerStep]).toEqual([2, 3, 2, 2, true]);
  expect(d.samples).toBe(windowCount(7, 3, 1, 2));
  // x[k][n] = [a, b] at step 2n + k; targets[k][n] = [a, b] at step 2n + k + 1.
  expect(Array.from(d.x)).toEqual([0, 10, 2, 12, 1, 11, 3, 13, 2, 12, 4, 14]);
  expect(Array.from(d.targets)).toEqual([1, 11, 3, 13, 2, 12, 4, 14, 3, 13, 5, 15]);
});

test('with a horizon, each step predicts the next h values of every series', () => {
  const d = windows([1, 2, 3, 4, 5], { lookback: 2, horizon: 2, targets: 'sequence' });
  // Samples start at 0 and 1; step k of sample n predicts steps n + k + 1 and n + k + 2.
  expect([d.samples, d.outputSize]).toEqual([2, 2]);
  expect(Array.from(d.targets)).toEqual([2, 3, 3, 4, 3, 4, 4, 5]);
  // The many-to-one form keeps its layout: the horizon after the window only.
  expect(Array.from(windows([1, 2, 3, 4, 5], { lookback: 2, horizon: 2 }).targets)).toEqual([3, 4, 4, 5]);
});

test('a returnSequences model trains on them; a wrong targets value is a typed error', () => {
  const series = Array.from({ length: 40 }, (_, t) => Math.sin(t / 3));
  const data = windows(series, { lookback: 8, targets: 'sequence' });
  const model = new RNN({ inputSize: 1, outputSize: 1, returnSequences: true, layers: [{ cell: 'gru', units: 4 }], seed: 2 });
  expect(Number.isFinite(model.lossAndGrad(data).loss)).toBe(true);
  expect(model.predict(data).length).toBe(8 * data.samples);
  expect(() => windows(series, { lookback: 8, targets: 'sequences' as 'sequence' })).toThrowError(ConfigError);
  expect(() => windows(series, { lookback: 8, targets: 'sequences' as 'sequence' })).toThrowError(/^targets must be 'sequence' or a non-empty array/);
  model.dispose();
});
