import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, test } from 'vitest';

// The example runs as a user runs it: node on the .mjs, `import 'elman-rnn'` resolved to the built package.
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'elman-forecast-'));
let stdout = '';
beforeAll(async () => {
  ({ stdout } = await promisify(execFile)(process.execPath, ['examples/forecast/forecast.mjs', '--out', dir], { cwd: root }));
  await tf.setBackend('cpu');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the recurrent model beats the naive last-value forecast on held-out data by more than 5×', () => {
  const m = /held-out MSE over (\d+) windows, 4 steps ahead: model ([\d.]+), last value ([\d.]+), ([\d.]+)× better/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  const [samples, model, naive] = [Number(m![1]), Number(m![2]), Number(m![3])];
  expect(samples).toBeGreaterThanOrEqual(200);
  // The noise is uniform ±0.1 (variance 0.0033): no forecast beats it, the naive one is far above it.
  expect(model).toBeGreaterThan(0.0033);
  expect(naive / model).toBeGreaterThan(5);
});

test('the model it wrote loads in TF.js, with the scaler fitted on the training part beside it', async () => {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  expect(json.userDefinedMetadata.lookback).toBe(32);
  expect(json.userDefinedMetadata.scaler.format).toBe('elman.Scaler');
  const weights = readFileSync(join(dir, 'weights.bin'));
  const artifacts = { ...json, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) };
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  expect(model.outputs[0]!.shape).toEqual([null, 4]);
  model.dispose();
});
