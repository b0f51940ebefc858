import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { RNN } from '../../src/models/rnn.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { tfPredict } from '../helpers/stack-harness.js';

// `elman predict --model rnn.json` serves a saved GRU → LSTM stack through the built CLI; the truth
// is TF.js running the same weights (tfPredict), not the model's own predict.
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'elman-predict-rnn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, ['dist/cli/main.js', 'predict', ...args], { cwd: root }, (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});

test('a saved RNN (GRU → LSTM, returnSequences) answers per step what TF.js computes, wasm and js', async () => {
  const model = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 5 }, { cell: 'lstm', units: 3 }], outputSize: 1, returnSequences: true, seed: 6, backend: 'js' });
  writeFileSync(join(dir, 'rnn.json'), JSON.stringify(model));
  const data = randomElmanData(12, 3, 4, 2, 1, true);
  const want = tfPredict({ I: 2, layers: model.layers, O: 1, outAct: 'linear', seq: true }, data, model.params); // [4][3][1]
  const seqs = Array.from({ length: 3 }, (_, n) => Array.from({ length: 4 }, (_, k) => [data.x[(k * 3 + n) * 2]!, data.x[(k * 3 + n) * 2 + 1]!]));
  for (const backend of ['wasm', 'js']) {
    const r = await cli(['--model', join(dir, 'rnn.json'), '--backend', backend], JSON.stringify(seqs));
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as number[][][];
    got.forEach((steps, n) => steps.forEach((o, k) => expect(Math.abs(o[0]! - want[k * 3 + n]!)).toBeLessThan(1e-5)));
  }
  model.dispose();
});
