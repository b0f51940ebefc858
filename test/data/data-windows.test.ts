import { describe, expect, test } from 'vitest';
import { ConfigError, ShapeError } from '../../src/errors.js';
import { checkSequences } from '../../src/data/sequences.js';
import { noisySignal } from '../../src/data/noisy-signal.js';
import { Scaler } from '../../src/data/scaler.js';
import { TASKS } from '../../src/data/tasks.js';
import { splitByTime, windowCount, windows } from '../../src/data/windows.js';
import { RandomState } from '../../src/random.js';

describe('windows', () => {
  test('one series 0..9, lookback 3, horizon 2, stride 2: samples start at 0, 2, 4 (hand-listed)', () => {
    const d = windows([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { lookback: 3, horizon: 2, stride: 2 });
    checkSequences(d);
    // (10 − 3 − 2) / 2 + 1 = 3 samples; x time-major: step k holds [start + k for each sample].
    expect([d.samples, d.steps, d.inputSize, d.outputSize, Boolean(d.targetsPerStep)]).toEqual([3, 3, 1, 2, false]);
    expect(Array.from(d.x)).toEqual([0, 2, 4, 1, 3, 5, 2, 4, 6]);
    expect(Array.from(d.targets)).toEqual([3, 4, 5, 6, 7, 8]);
  });

  test('two series, predicting only the second: features side by side, targets of series 1', () => {
    const a = [0, 1, 2, 3, 4];
    const b = [10, 11, 12, 13, 14];
    const d = windows([a, b], { lookback: 2, targets: [1] });
    expect([d.samples, d.inputSize, d.outputSize]).toEqual([3, 2, 1]);
    // x[(k·samples + n)·2 + s]: step 0 = (0,10) (1,11) (2,12); step 1 = (1,11) (2,12) (3,13).
    expect(Array.from(d.x)).toEqual([0, 10, 1, 11, 2, 12, 1, 11, 2, 12, 3, 13]);
    expect(Array.from(d.targets)).toEqual([12, 13, 14]);
    const both = windows([a, b], { lookback: 2, horizon: 2 });
    // targets[n][h·2 + j]: sample 0 predicts steps 2 and 3 of both series.
    expect(Array.from(both.targets.subarray(0, 4))).toEqual([2, 12, 3, 13]);
  });

  test('windowCount agrees with the samples made, including the too-short case', () => {
    for (const [len, lb, h, s] of [[10, 3, 1, 1], [10, 3, 2, 3], [7, 6, 1, 1], [50, 5, 5, 7]] as const) {
      expect(windows(Array.from({ length: len }, (_, i) => i), { lookback: lb, horizon: h, stride: s }).samples).toBe(windowCount(len, lb, h, s));
    }
    expect(windowCount(6, 6, 1)).toBe(0);
  });

  test('typed errors name the argument and its value, before allocating', () => {
    expect(() => windows([1, 2, 3], { lookback: 3 })).toThrow(/series must have at least lookback \+ horizon = 4 steps, got 3/);
    expect(() => windows([1, 2, 3], { lookback: 0 })).toThrow(/lookback must be an integer >= 1, got 0/);
    expect(() => windows([1, NaN, 3], { lookback: 1 })).toThrow(/series\[1\] must be a finite number, got NaN/);
    expect(() => windows([[1, 2, 3], [1, 2]], { lookback: 1 })).toThrow(ShapeError);
    expect(() => windows([[1, 2, 3]], { lookback: 1, targets: [1] })).toThrow(/targets\[0\] must be an integer in \[0, 0\], got 1/);
    // 2^20 samples × 2^9 steps = 2^29 floats: refused by arithmetic, no 2 GiB allocation attempted.
    const long = new Float32Array(2 ** 20 + 2 ** 9);
    expect(() => windows(long, { lookback: 2 ** 9 })).toThrow(/at most 2\^28 values/);
  });
});

describe('split by time and the scaler', () => {
  test('splitByTime: train ends before `at`, the first test target is step `at`, no test target seen in training', () => {
    const v = Array.from({ length: 20 }, (_, i) => i);
    const { train, test: held, at } = splitByTime(v, 0.75, 4);
    expect(at).toBe(15);
    expect(train[0]).toEqual(v.slice(0, 15));
    expect(held[0]).toEqual(v.slice(11));
    const t = windows(held, { lookback: 4 });
    expect(t.targets[0]).toBe(15);
    expect(Math.max(...windows(train, { lookback: 4 }).targets)).toBe(14);
  });

  test('Scaler.fit uses only steps before `until`; transform/inverse undo each other; JSON round trip', () => {
    const s = Scaler.fit([[1, 2, 3, 100], [5, 5, 5, 5]], 3);
    // Series 0 over [1, 2, 3]: mean 2, population std sqrt(2/3); series 1 constant: std 1.
    expect(s.mean).toEqual([2, 5]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 15);
    expect(s.std[1]).toBe(1);
    const z = s.transform([[2, 3], [5, 6]]);
    expect(z[0]![1]).toBeCloseTo(1 / Math.sqrt(2 / 3), 12);
    expect(z[1]).toEqual([0, 1]);
    expect(s.inverse([...z[0]!], 0)).toEqual([2, 3]);
    expect(Scaler.fromJSON(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(() => new Scaler([0], [0])).toThrow(/std\[0\] must be a finite number > 0, got 0/);
    expect(() => s.transform([[1, 2]])).toThrow(/series must hold 2 series \(as fitted\), got 1/);
    expect(() => Scaler.fromJSON({ format: 'x' } as never)).toThrow(ConfigError);
  });
});

describe('the forecasting signal and task', () => {
  test('noisySignal without noise is the sum of the sines at the drawn phases', () => {
    const v = noisySignal({ length: 50, rng: new RandomState(3), frequencies: [0.1, 0.3], amplitudes: [1, 0.5], noise: 0 });
    const rng = new RandomState(3);
    const p = [rng.uniform(0, 2 * Math.PI), rng.uniform(0, 2 * Math.PI)];
    for (let t = 0; t < 50; t++) expect(v[t]).toBe(Math.fround(Math.sin(0.1 * t + p[0]!) + 0.5 * Math.sin(0.3 * t + p[1]!)));
    const noisy = noisySignal({ length: 50, rng: new RandomState(3), frequencies: [0.1, 0.3], amplitudes: [1, 0.5], noise: 0.2 });
    for (let t = 0; t < 50; t++) expect(Math.abs(noisy[t]! - v[t]!)).toBeLessThanOrEqual(0.2 + 1e-6);
    expect(() => noisySignal({ length: 5, rng: new RandomState(1), amplitudes: [1] })).toThrow(/amplitudes must be an array of 3 numbers/);
  });

  test('the forecast task: each target is the value after its window', () => {
    const d = TASKS.forecast.make(30, 8, new RandomState(2));
    checkSequences(d);
    // Sample n's window is steps n..n+7, its target step n+8 = the last input of sample n+1.
    for (let n = 0; n + 1 < 30; n++) expect(d.targets[n]).toBe(d.x[7 * 30 + n + 1]);
  });
});
