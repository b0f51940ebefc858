import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { RECURRENT_MODELS } from '../../src/cli/train-elman.js';

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

describe('elman train --model elman', () => {
  test('binaryAddition with 3 hidden units: the log, then 100% on 1,000 held-out sums', async () => {
    const r = await run('train', '--model', 'elman', '--task', 'binaryAddition', '--hidden', '3', '--seed', '2', '--shuffle', '2',
      '--optimizer', 'rmsprop', '--lr', '0.05', '--rho', '0.5', '--momentum', '0.8', '--nesterov', '--epochs', '10');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('Elman 2-3-1 (tanh, sigmoid output) on binaryAddition: 2000 × 8 steps, bce, rmsprop, batch 100');
    expect(r.out.slice(1, 11).every((l, i) => l.startsWith(`epoch[${String(i + 1).padStart(5)}] : loss =`))).toBe(true);
    expect(r.out.at(-1)).toBe('accuracy: 100.00% of outputs, 100.00% of sequences entirely right');
  });

  test('--json prints one object per epoch and a final one with the accuracy; validation loss when asked', async () => {
    const r = await run('train', '--task', 'parity', '--hidden', '4', '--length', '5', '--samples', '200', '--epochs', '2', '--validation-split', '0.2', '--json');
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0])).toEqual(['epoch', 'loss', 'valLoss']);
    expect(lines[2].final).toBe(true);
    expect(lines[2].accuracy.perValue).toBeGreaterThan(0);
  });

  test('sineWave reports a held-out loss and no accuracy', async () => {
    const r = await run('train', '--task', 'sineWave', '--hidden', '8', '--samples', '100', '--epochs', '2', '--test-samples', '50');
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toMatch(/^held-out loss \(50 samples\) = +\d+\.\d{4}$/);
  });

  test('mistakes exit with code 2 and name the flag', async () => {
    expect((await run('train', '--hidden', '3')).err).toEqual([`elman: --hidden must be used with --model ${RECURRENT_MODELS.join(', ')}, got "3"`]);
    expect((await run('train', '--task', 'parity', '--activation', 'gelu')).err[0]).toMatch(/^elman: --activation must be one of linear, tanh, relu, sigmoid, got "gelu"$/);
    expect((await run('train', '--task', 'nope')).code).toBe(2);
    expect((await run('train', '--task', 'parity', '--loss', 'bce', '--batch-size', '0')).err[0]).toMatch(/--batch-size/);
  });
});
