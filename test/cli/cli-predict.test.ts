import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { Scaler } from '../../src/data/scaler.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { saveTfjs } from '../../src/interop/tfjs-io.js';

// `elman predict` as users run it: the built CLI, sequences on stdin, JSON on stdout. The expected
// outputs are the model's own predict() on the same numbers, arranged by hand (time-major).
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'elman-predict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, ['dist/cli/main.js', 'predict', ...args], { cwd: root }, (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

const model = new ElmanRNN({ inputSize: 2, hiddenSize: 5, outputSize: 1, seed: 3, backend: 'js' });
model.setWeights({ bias: [0.1, 0.2, -0.1, 0, 0.3], outputBias: [0.5] });
const seqs = [[[0.1, 0.2], [0.3, -0.4], [1, 0]], [[-1, 0.5], [0.2, 0.2], [0, 0]], [[0.7, 0.7]]];

/** model.predict on the sequences of one length, as numbers per sequence. */
function expected(m: ElmanRNN, group: number[][][], scale?: (v: number, i: number) => number): number[] {
  const [B, T] = [group.length, group[0]!.length];
  const x = new Float32Array(T * B * 2);
  group.forEach((s, b) => s.forEach((step, k) => step.forEach((v, i) => (x[(k * B + b) * 2 + i] = scale ? scale(v, i) : v))));
  return Array.from(m.predict({ samples: B, steps: T, inputSize: 2, outputSize: 1, x, targets: new Float32Array(B) }));
}

beforeAll(async () => {
  await init();
  writeFileSync(join(dir, 'elman.json'), JSON.stringify(model));
  writeFileSync(join(dir, 'input.json'), JSON.stringify(seqs));
});

describe('elman predict', () => {
  test('an elman JSON model on stdin sequences of two lengths, wasm and js', async () => {
    const want = [...expected(model, seqs.slice(0, 2)), ...expected(model, seqs.slice(2))];
    for (const backend of ['wasm', 'js']) {
      const r = await cli(['--model', join(dir, 'elman.json'), '--backend', backend], JSON.stringify(seqs));
      expect(r.code, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout) as number[][];
      expect(got.length).toBe(3);
      got.forEach((o, n) => expect(Math.abs(o[0]! - want[n]!)).toBeLessThan(1e-6));
    }
  });

  test('a TF.js model.json saved with a scaler: inputs standardised, outputs mapped back to series 1', async () => {
    const scaler = new Scaler([1, 2], [0.5, 4]);
    await saveTfjs(model, join(dir, 'tfjs'), { metadata: { scaler: scaler.toJSON(), targets: [1] } });
    const r = await cli(['--model', join(dir, 'tfjs', 'model.json'), '--input', join(dir, 'input.json')]);
    expect(r.code, r.stderr).toBe(0);
    const z = (v: number, i: number) => (v - scaler.mean[i]!) / scaler.std[i]!;
    const want = [...expected(model, seqs.slice(0, 2), z), ...expected(model, seqs.slice(2), z)].map((v) => v * 4 + 2);
    (JSON.parse(r.stdout) as number[][]).forEach((o, n) => expect(Math.abs(o[0]! - want[n]!)).toBeLessThan(1e-5));
  });

  test('mistakes exit with 2 and one line naming the culprit', async () => {
    expect(await cli([], '[]')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--model must be a model file/) });
    expect(await cli(['--model', join(dir, 'nope.json')], '[]')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--model must be an existing file/) });
    expect(await cli(['--model', join(dir, 'elman.json')], '[[1, 2')).toMatchObject({ code: 2, stderr: expect.stringMatching(/stdin must be JSON sequences/) });
    expect(await cli(['--model', join(dir, 'elman.json')], '[[1, 2]]')).toMatchObject({ code: 2, stderr: expect.stringMatching(/sequences\[0\]\[0\] must be an array of 2 numbers, got 1/) });
    expect(await cli(['--model', join(dir, 'elman.json')], '[[[1, null]]]')).toMatchObject({ code: 2, stderr: expect.stringMatching(/sequences\[0\]\[0\]\[1\] must be a finite number, got null/) });
  });
});
