import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { DivergenceError } from '../../src/errors.js';
import { LinearRNN, type LinearWeights } from '../../src/models/linear.js';
import { momentum } from '../../src/optimizers/momentum.js';
import { sgd } from '../../src/optimizers/sgd.js';
import { RandomState } from '../../src/random.js';
import { trainSync } from '../../src/training/train.js';

beforeAll(() => init());

function tutorial(backend: 'wasm' | 'js') {
  const rng = new RandomState(1);
  const data = countOnes({ samples: 20, length: 10, rng });
  return { data, model: new LinearRNN({ wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1), backend }) };
}

describe.each(['wasm', 'js'] as const)('divergence on %s', (backend) => {
  // The tutorial's loss surface has walls where |wRec| > 1: any of these steps flies off them.
  test.each([1e-3, 3e-3, 1e-2, 0.1, 1, 1e3])('gradient descent at lr %f stops with DivergenceError and keeps finite weights', (lr) => {
    const { data, model } = tutorial(backend);
    let error: unknown;
    try {
      trainSync(model, data, { optimizer: sgd({ lr }), epochs: 5000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    const d = error as DivergenceError;
    const h = d.history as { loss: number[]; weights: LinearWeights[] };
    expect(d.epoch).toBeGreaterThan(0);
    expect(d.epoch).toBeLessThan(5000);
    expect(h.loss.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(model.params[0]) && Number.isFinite(model.params[1])).toBe(true);
    expect([...model.params]).toEqual([...d.weights]);
    // Those weights are ones whose loss is the last one recorded: training can resume from them.
    expect(new LinearRNN({ ...model.weights, backend }).lossAndGrad(data).loss).toBe(h.loss.at(-1));
  });

  test('a non-finite weight from the optimizer itself is caught as well', () => {
    const { data, model } = tutorial(backend);
    // lr 3e38 rounds to a finite float32, but lr·g overflows on the first step.
    expect(() => trainSync(model, data, { optimizer: momentum({ lr: 3e38 }), epochs: 3 })).toThrow(expect.objectContaining({ argument: 'weights', epoch: 0 }));
    expect(model.weights).toEqual(tutorial(backend).model.weights);
  });
});

describe('determinism', () => {
  test('the same seed gives bit-identical weights and losses, run after run, in one process', () => {
    const runs = [0, 1, 2].map(() => {
      const { data, model } = tutorial('wasm');
      const h = trainSync(model, data, { optimizer: momentum({ lr: 1e-5, nesterov: true }), epochs: 400 });
      return { params: [...model.params], loss: h.loss };
    });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  test('and across processes (the built CLI, with float32 bits compared)', () => {
    const bin = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
    const run = () => execFileSync(process.execPath, [bin, 'train', '--optimizer', 'adam', '--lr', '0.01', '--epochs', '300', '--log-every', '50', '--json'], { encoding: 'utf8' });
    const a = run();
    expect(run()).toBe(a);
    const final = JSON.parse(a.trim().split('\n').at(-1)!) as { wx: number; wRec: number };
    // JSON numbers printed from float32 values parse back to the same float32 bits.
    expect(Math.fround(final.wx)).toBe(final.wx);
  });
});
