import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { workerOptions } from '../helpers/edge-worker.js';

// The forecasting example with a GRU and an LSTM (its --model flag), run as users run it, 20 epochs
// to stay fast; then the edge worker, unchanged, serving the LSTM it wrote under workerd (miniflare).
// Truths: the naive last-value forecast on the same held-out windows, and TF.js on the same model.json.
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'elman-forecast-gated-'));
const runs: Record<string, string> = {};
beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const cell of ['gru', 'lstm']) {
    const args = ['examples/forecast/forecast.mjs', '--model', cell, '--epochs', '20', '--out', join(dir, cell)];
    runs[cell] = (await promisify(execFile)(process.execPath, args, { cwd: root })).stdout;
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each(['gru', 'lstm'])('%s beats the naive last-value forecast on held-out data by more than 5×', (cell) => {
  const m = new RegExp(`^${cell}: held-out MSE over (\\d+) windows, 4 steps ahead: model ([\\d.]+), last value ([\\d.]+), ([\\d.]+)× better`).exec(runs[cell]!);
  expect(m, runs[cell]).not.toBeNull();
  const [samples, model, naive] = [Number(m![1]), Number(m![2]), Number(m![3])];
  expect(samples).toBeGreaterThanOrEqual(200);
  // The noise (uniform ±0.1, variance 0.0033) is a floor no forecast goes below.
  expect(model).toBeGreaterThan(0.0033);
  expect(naive / model).toBeGreaterThan(5);
});

test('the edge worker serves the LSTM the example wrote: forecasts equal to TF.js on the same model.json', async () => {
  const files = join(dir, 'lstm');
  const modelJson = JSON.parse(readFileSync(join(files, 'model.json'), 'utf8'));
  expect(modelJson.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['LSTM', 'Dense']);
  const weights = readFileSync(join(files, 'weights.bin'));
  // The worker imports ./model/*: handed the LSTM's files under those names, as wrangler would bundle them.
  const mf = new Miniflare(workerOptions({ json: readFileSync(join(files, 'model.json'), 'utf8'), weights }));
  try {
    const sequences = [0, 1].map((s) => Array.from({ length: 32 }, (_, t) => Math.sin(0.07 * (t + 13 * s)) + 0.5 * Math.sin(0.21 * (t + 13 * s))));
    const res = await mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify({ sequences }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    const outputs = ((await res.json()) as { outputs: number[][] }).outputs;
    const { mean: [m], std: [sd] } = modelJson.userDefinedMetadata.scaler as { mean: number[]; std: number[] };
    const theirs = await tf.loadLayersModel(tf.io.fromMemory({ ...modelJson, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
    const expected = tf.tidy(() => (theirs.predict(tf.tensor3d(sequences.map((s) => s.map((v) => [(v - m!) / sd!])))) as tf.Tensor).arraySync() as number[][]);
    expect(outputs.length).toBe(2);
    outputs.forEach((row, n) => row.forEach((v, h) => expect(Math.abs(v - (expected[n]![h]! * sd! + m!))).toBeLessThan(1e-5 * sd!)));
    theirs.dispose();
  } finally {
    await mf.dispose();
  }
}, 60_000);
