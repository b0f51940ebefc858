import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CELLS } from '../../src/cells/index.js';
import { RECURRENT_MODELS } from '../../src/cli/train-elman.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// `elman train --model gru|lstm`, `--layers` and `elman predict` on GRU/LSTM models, as users run
// them: the built CLI in a child process. The truths are the sums themselves (binary addition,
// checked bit by bit) and TF.js running the same model.json.
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'elman-cli-gated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => tf.setBackend('cpu'));

function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, ['dist/cli/main.js', ...args], { cwd: root }, (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

/** a + b as the task feeds it: [a_k, b_k] per step, least significant bit first. */
const addends = (a: number, b: number, bits: number) => Array.from({ length: bits }, (_, k) => [(a >>> k) & 1, (b >>> k) & 1]);

describe('elman train with gated cells', () => {
  test('--model gru learns binary addition; --save writes an RNN that elman predict runs, every sum right', async () => {
    const file = join(dir, 'gru.json');
    const r = await cli(['train', '--model', 'gru', '--task', 'binaryAddition', '--hidden', '8', '--epochs', '30', '--lr', '0.02', '--test-samples', '300', '--save', file]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('RNN 2-gru:8-1 (tanh, sigmoid output) on binaryAddition: 2000 × 8 steps, bce, rmsprop, batch 100');
    expect(lines).toContain('accuracy: 100.00% of outputs, 100.00% of sequences entirely right');
    expect(lines.at(-1)).toBe(`model saved: ${file}`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'elman.RNN', config: { layers: [{ cell: 'gru', units: 8, recurrentActivation: 'hardSigmoid' }] } });
    const pairs = [[3, 4], [100, 27], [127, 127], [0, 0], [85, 42]];
    for (const backend of ['wasm', 'js']) {
      const p = await cli(['predict', '--model', file, '--backend', backend], JSON.stringify(pairs.map(([a, b]) => addends(a!, b!, 8))));
      expect(p.code, p.stderr).toBe(0);
      const sums = (JSON.parse(p.stdout) as number[][][]).map((steps) => steps.reduce((s, [y], k) => s + (y! >= 0.5 ? 2 ** k : 0), 0));
      expect(sums).toEqual(pairs.map(([a, b]) => a! + b!));
    }
  }, 60_000);

  test('--layers lstm:8,gru:4 trains a stack; --json gives one object per epoch and a final one', async () => {
    const r = await cli(['train', '--layers', 'lstm:8,gru:4', '--task', 'parity', '--length', '5', '--samples', '300', '--epochs', '3', '--test-samples', '100', '--json', '--backend', 'js']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatchObject({ final: true, epochs: 3 });
    const text = await cli(['train', '--layers', 'simple:4, lstm:3', '--task', 'forecast', '--samples', '200', '--epochs', '2', '--test-samples', '50']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('RNN 1-simple:4-lstm:3-1 (tanh, linear output) on forecast: 200 × 24 steps, mse, rmsprop, batch 100');
    expect(text.stdout).toMatch(/held-out loss \(50 samples\) = +\d+\.\d{4}\n$/);
  }, 60_000);

  test('mistakes exit with 2 and one line naming the flag', async () => {
    const cases: Array<[string[], RegExp]> = [
      // The lists come from the cell registry (src/cells/): 'elman' is the simple cell's model, then every other cell.
      [['train', '--model', 'rnn'], new RegExp(`^elman: --model must be one of linear, ${RECURRENT_MODELS.join(', ')}, got "rnn"$`)],
      [['train', '--layers', 'lstm:0'], new RegExp(`^elman: --layers must be CELL:UNITS pairs separated by commas, CELL one of ${CELLS.join(', ')}, UNITS` + String.raw` in \[1, 4096\] \(e\.g\. lstm:16,gru:8\), got "lstm:0"$`)],
      [['train', '--layers', 'conv:3'], /^elman: --layers must be CELL:UNITS pairs/],
      [['train', '--layers', 'gru:3', '--model', 'lstm'], /^elman: --model must be left out with --layers \(the layers name their cells\), got "lstm"$/],
      [['train', '--layers', 'gru:3', '--hidden', '4'], /^elman: --hidden must be left out with --layers \(the layers give their units\), got "4"$/],
      [['train', '--model', 'lstm', '--save', dir], /^elman: --save must be a file path \(not a folder\)/],
      [['train', '--model', 'gru', '--save', join(dir, 'no', 'such', 'm.json')], /^elman: --save must be a file in a folder elman can write \(ENOENT\)/],
      [['train', '--layers', 'gru:2', '--task', 'count', '--hidden', '3'], /^elman: --hidden must be left out with --layers/],
      [['plot', '--model', 'gru', '--out', join(dir, 'plots')], new RegExp(`^elman: --model must be "linear" here: elman plot draws the counter \\(train ${RECURRENT_MODELS.join(', ')} with elman train\\), got "gru"$`)],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect([r.code, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim(), args.join(' ')).toMatch(message);
    }
  }, 60_000);

  test('help lists the cells and --layers', async () => {
    const r = await cli(['train', '--help']);
    expect(r.stdout).toContain(`--model ${RECURRENT_MODELS.join('|')}`);
    expect(r.stdout).toContain('--layers CELL:UNITS,...');
  });
});

test('elman predict on a TF.js model.json of LSTM → GRU layers answers what TF.js predicts', async () => {
  const m = tf.sequential();
  m.add(tf.layers.lstm({ units: 5, returnSequences: true, inputShape: [null, 2], biasInitializer: tf.initializers.randomUniform({ minval: -0.4, maxval: 0.4, seed: 1 }) }));
  m.add(tf.layers.gru({ units: 3, biasInitializer: tf.initializers.randomUniform({ minval: -0.4, maxval: 0.4, seed: 2 }) }));
  m.add(tf.layers.dense({ units: 2 }));
  await m.save(tf.io.withSaveHandler(async (a) => {
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, format: a.format, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const seqs = [Array.from({ length: 6 }, (_, k) => [Math.sin(k), Math.cos(2 * k)]), [[0.5, -1], [1, 0.25]]];
  const r = await cli(['predict', '--model', join(dir, 'model.json')], JSON.stringify(seqs));
  expect(r.code, r.stderr).toBe(0);
  const got = JSON.parse(r.stdout) as number[][];
  seqs.forEach((s, n) => {
    const want = tf.tidy(() => (m.predict(tf.tensor3d([s])) as tf.Tensor).arraySync() as number[][])[0]!;
    want.forEach((v, o) => expect(Math.abs(got[n]![o]! - v)).toBeLessThan(1e-5));
  });
});
