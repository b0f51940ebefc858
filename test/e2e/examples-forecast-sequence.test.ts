// The forecasting example with many-to-many training windows (its --targets sequence flag: the next
// 4 values after every step of each window, a returnSequences model), run as users run it, 20 epochs
// to stay fast. Truth: the naive last-value forecast on the same held-out windows, judged from the
// model's last step as the many-to-one model is.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let stdout = '';
beforeAll(async () => {
  ({ stdout } = await promisify(execFile)(process.execPath, ['examples/forecast/forecast.mjs', '--targets', 'sequence', '--epochs', '20'], { cwd: root }));
}, 300_000);

test('trained on many-to-many windows, the model beats the naive last-value forecast on held-out data by more than 5×', () => {
  const m = /^elman \(many-to-many windows\): held-out MSE over (\d+) windows, 4 steps ahead: model ([\d.]+), last value ([\d.]+), ([\d.]+)× better/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  const [samples, model, naive] = [Number(m![1]), Number(m![2]), Number(m![3])];
  expect(samples).toBeGreaterThanOrEqual(200);
  // The noise (uniform ±0.1, variance 0.0033) is a floor no forecast goes below.
  expect(model).toBeGreaterThan(0.0033);
  expect(naive / model).toBeGreaterThan(5);
});
