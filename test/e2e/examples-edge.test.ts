import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { example, workerOptions } from '../helpers/edge-worker.js';

// The edge example under workerd (miniflare), given what wrangler would hand it: the worker, every
// module of the built package with 'elman-rnn' resolved through the "workerd" export condition, the .wasm
// as a compiled module, and the model files by the rules in its wrangler.toml (Text, Data).
// TF.js is the truth: it loads the same model.json and its predictions, scaled back, must match.
const modelJson = JSON.parse(readFileSync(join(example, 'model/model.json'), 'utf8'));
const weights = readFileSync(join(example, 'model/weights.bin'));

let mf: Miniflare;
beforeAll(async () => {
  await tf.setBackend('cpu');
  mf = new Miniflare(workerOptions());
}, 60_000);
afterAll(() => mf?.dispose());

const post = async (body: string) => {
  const res = await mf.dispatchFetch('http://localhost/', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe('the edge worker (workerd via miniflare)', () => {
  test('GET says what the model expects', async () => {
    const res = await mf.dispatchFetch('http://localhost/');
    expect(await res.json()).toMatchObject({ inputs: 1, outputs: 4, lookback: 32, horizon: 4 });
  });

  test('POST answers forecasts equal to TF.js on the same model.json, scaled back with the saved scaler', async () => {
    const sequences = [0, 1, 2].map((s) => Array.from({ length: 32 }, (_, t) => Math.sin(0.07 * (t + 10 * s)) + 0.6 * Math.sin(0.19 * (t + 10 * s))));
    const { status, json } = await post(JSON.stringify({ sequences }));
    expect(status).toBe(200);
    const outputs = json.outputs as number[][];
    const { mean: [m], std: [sd] } = modelJson.userDefinedMetadata.scaler as { mean: number[]; std: number[] };
    const theirs = await tf.loadLayersModel(tf.io.fromMemory({ ...modelJson, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
    const z = tf.tensor3d(sequences.map((s) => s.map((v) => [(v - m!) / sd!])));
    const expected = (theirs.predict(z) as tf.Tensor).arraySync() as number[][];
    expect(outputs.length).toBe(3);
    outputs.forEach((row, n) => row.forEach((v, h) => expect(Math.abs(v - (expected[n]![h]! * sd! + m!))).toBeLessThan(1e-5 * sd!)));
  });

  test('bad requests get 400 with the typed error message', async () => {
    expect(await post('{"sequences": [[1, "x"]]}')).toMatchObject({ status: 400, json: { error: 'sequences[0][1] must be a number, got "x"' } });
    expect(await post('{"sequences": 3}')).toMatchObject({ status: 400, json: { error: 'sequences must be a non-empty array of sequences, got 3' } });
    expect((await post('nope')).status).toBe(400);
  });
});

test('what the worker ships stays small: minified JS + elman.wasm under 60 KB gzip (TF.js alone is 165–300 KB)', async () => {
  const { measure } = (await import(/* @vite-ignore */ new URL('../../examples/edge-worker/size.mjs', import.meta.url).href)) as { measure: () => Promise<Record<string, { bytes: number; gzip: number }>> };
  const sizes = await measure();
  const code = sizes['worker JS (minified)']!.gzip + sizes['elman.wasm']!.gzip;
  expect(sizes['worker JS (minified)']!.bytes).toBeGreaterThan(5_000); // the bundle really holds elman
  expect(code).toBeLessThan(60_000); // 53.8 KB on 2026-12-07 with every layer kind the reader loads
}, 60_000);
