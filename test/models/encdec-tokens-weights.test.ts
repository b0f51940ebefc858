// Encoder–decoder and bidirectional stacks with what main added beside them: an embedding of token ids
// in front (both copies of a bidirectional first layer read the looked-up vectors, the backward one
// from the last step back, and the table's gradient gets both copies' input gradients), sample
// weights (the mean divides by the decoder's steps), and step masks (refused by name).
import { beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, init, RNN, type LayerEntry, type Sequences } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

/** Seeded values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

const V = 5, D = 3, O = 3, N = 4, T = 5;
const ids = Float32Array.from({ length: T * N }, (_, i) => (i * 7 + 3) % V);

describe.each(['wasm', 'js'] as const)('on %s', (backend) => {
  test.each<[string, LayerEntry[]]>([
    ['embedding → bi GRU concat (last) → repeat(3) → LSTM', [{ bidirectional: { cell: 'gru', units: 3, returnSequences: false } }, { repeatVector: 3 }, { cell: 'lstm', units: 2 }]],
    ['embedding → bi LSTM sum → simple', [{ bidirectional: { cell: 'lstm', units: 2 }, merge: 'sum' }, { cell: 'simple', units: 3 }]],
  ])('%s: gradients (the embedding table too) = float64 central differences', (_, layers) => {
    const model = new RNN({ inputSize: 1, embedding: { vocab: V, dim: D }, outputSize: O, layers, returnSequences: true, seed: 2, backend });
    model.params.set(values(model.params.length, 11).map((v) => v * 0.6));
    const outSteps = model.outputSteps(T);
    const data: Sequences = { samples: N, steps: T, inputSize: 1, outputSize: O, x: ids, targets: values(outSteps * N * O, 5), targetsPerStep: true, ...(outSteps !== T && { outputSteps: outSteps }) };
    model.lossAndGrad(data, 'mse');
    const p = Float64Array.from(model.params), h = 1e-6;
    const fd = Float64Array.from(p, (v, i) => {
      p[i] = v + h;
      const up = model.lossAt(p, data, 'mse');
      p[i] = v - h;
      const down = model.lossAt(p, data, 'mse');
      p[i] = v;
      return (up - down) / (2 * h);
    });
    const scale = fd.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    let worst = 0;
    fd.forEach((v, i) => (worst = Math.max(worst, Math.abs(model.grads[i]! - v) / Math.max(Math.abs(v), 1e-2 * scale))));
    console.log(`${backend} ${_}: ${model.params.length} parameters, worst relative difference ${worst.toExponential(1)}`);
    expect(worst).toBeLessThan(backend === 'js' ? 1e-6 : 1e-4);
    // Every id 0..V-1 occurs, so every row of the table has a gradient: the backward copy's reaches it too.
    const table = model.gradients.embeddings!;
    for (let r = 0; r < V; r++) expect(table.subarray(r * D, (r + 1) * D).some((g) => g !== 0)).toBe(true);
    model.dispose();
  });

  test("sample weights on an encoder–decoder: the mean divides by samples × the decoder's steps", () => {
    // 3 input steps, 4 decoder steps: a divisor of samples × input steps would give 4/3 of the loss.
    const model = new RNN({ inputSize: 2, outputSize: 2, layers: [{ cell: 'gru', units: 3 }, { repeatVector: 4 }, { bidirectional: { cell: 'simple', units: 2 } }], returnSequences: true, seed: 4, backend });
    const S = 2, x = values(3 * S * 2, 8), targets = values(4 * S * 2, 9);
    const both: Sequences = { samples: S, steps: 3, inputSize: 2, outputSize: 2, x, targets, targetsPerStep: true, outputSteps: 4 };
    // Sample 0 alone (time-major rows: every other row of 2).
    const pick = (a: Float32Array, steps: number) => Float32Array.from({ length: steps * 2 }, (_, i) => a[(Math.floor(i / 2) * S) * 2 + (i % 2)]!);
    const first: Sequences = { ...both, samples: 1, x: pick(x, 3), targets: pick(targets, 4) };
    const alone = model.lossAndGrad(first, 'mse').loss;
    const plain = model.lossAndGrad(both, 'mse').loss;
    // Weights [1, 0]: sample 0's squared errors over the same divisor as both samples', 2 · 4 · 2 = half of alone's 1 · 4 · 2.
    expect(model.lossAndGrad({ ...both, sampleWeights: [1, 0] }, 'mse').loss).toBeCloseTo(alone / 2, 6);
    expect(model.lossAndGrad({ ...both, sampleWeights: [2, 2] }, 'mse').loss).toBeCloseTo(2 * plain, 6);
    expect(model.lossAt(Float64Array.from(model.params), { ...both, sampleWeights: [1, 0] }, 'mse')).toBeCloseTo(alone / 2, 6);
    model.dispose();
  });
});

describe('a step mask is refused by name for repeatVector and bidirectional stacks', () => {
  test.each<[string, LayerEntry[]]>([
    ['repeatVector', [{ cell: 'lstm', units: 2 }, { repeatVector: 2 }, { cell: 'lstm', units: 2 }]],
    ['bidirectional', [{ bidirectional: { cell: 'gru', units: 2 } }]],
  ])('%s', (_, layers) => {
    const model = new RNN({ inputSize: 1, outputSize: 1, layers, returnSequences: true, backend: 'js' });
    const outSteps = model.outputSteps(3);
    const data: Sequences = { samples: 2, steps: 3, inputSize: 1, outputSize: 1, x: new Float32Array(6), targets: new Float32Array(outSteps * 2), targetsPerStep: true, ...(outSteps !== 3 && { outputSteps: outSteps }) };
    for (const [name, extra] of [['mask', { mask: [1, 1, 0, 1, 0, 0] }], ['lengths', { lengths: [2, 1] }]] as const) {
      expect(() => model.lossAndGrad({ ...data, ...extra })).toThrow(ConfigError);
      expect(() => model.lossAndGrad({ ...data, ...extra })).toThrow(new RegExp(`^data\\.${name} must be unset: a model with repeatVector or bidirectional layers takes no step mask`));
      expect(() => model.predict({ x: data.x, samples: 2, steps: 3, ...extra })).toThrow(new RegExp(`^data\\.${name} must be unset`));
      expect(() => model.place({ ...data, ...extra })).toThrow(ConfigError);
    }
    model.dispose();
  });
});
