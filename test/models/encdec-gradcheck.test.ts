// Encoder–decoder (RepeatVector) and bidirectional stacks: each backend's gradients against central
// differences of the model's own float64 loss (`lossAt`, plain TS in float64), over every parameter.
// The stacks mix every cell, both merge modes, a bidirectional layer handing up its last output to a
// RepeatVector, and heads with every loss, so a wrong reversal, split, or sum over steps shows.
import { beforeAll, describe, expect, test } from 'vitest';
import { init, RNN, type ElmanLossName, type LayerEntry, type OutputActivation, type Sequences } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

/** Seeded values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

interface Case {
  layers: LayerEntry[];
  out: OutputActivation;
  loss: ElmanLossName;
  seq: boolean;
}

const CASES: Record<string, Case> = {
  'simple → repeat(3) → GRU, mse per step': { layers: [{ cell: 'simple', units: 4 }, { repeatVector: 3 }, { cell: 'gru', units: 5 }], out: 'linear', loss: 'mse', seq: true },
  'bi LSTM concat → bi GRU sum (last) → repeat(2) → MGU, cce': {
    layers: [{ bidirectional: { cell: 'lstm', units: 3 } }, { bidirectional: { cell: 'gru', units: 4, returnSequences: false }, merge: 'sum' }, { repeatVector: 2 }, { cell: 'mgu', units: 3 }],
    out: 'softmax', loss: 'cce', seq: true,
  },
  // As wide as its inputs: the backward-reading copy's input stride is −I, and a batch of one once divided by I − H = 0.
  'bi simple concat, units = inputs, per step, mse': { layers: [{ bidirectional: { cell: 'simple', units: 3 } }], out: 'linear', loss: 'mse', seq: true },
  'bi simple sum, many-to-one, bce': { layers: [{ bidirectional: { cell: 'simple', units: 5 }, merge: 'sum' }], out: 'sigmoid', loss: 'bce', seq: false },
  'LSTM → bi GRU concat (last) → sse': { layers: [{ cell: 'lstm', units: 4 }, { bidirectional: { cell: 'gru', units: 3, resetAfter: true } }], out: 'linear', loss: 'sse', seq: false },
  'GRU → repeat(4) → bi LSTM concat, per step, mse': { layers: [{ cell: 'gru', units: 3 }, { repeatVector: 4 }, { bidirectional: { cell: 'lstm', units: 2 } }], out: 'linear', loss: 'mse', seq: true },
};

describe.each(['wasm', 'js'] as const)('on %s', (backend) => {
  test.each(Object.keys(CASES).flatMap((name) => [4, 1].map((N) => [name, N] as const)))('%s, %i samples: gradients = float64 central differences', (name, N) => {
    const c = CASES[name]!;
    const [I, O, T] = [3, 3, 5];
    const model = new RNN({ inputSize: I, outputSize: O, layers: c.layers, outputActivation: c.out, returnSequences: c.seq, defaults: 'keras3', seed: 3, backend });
    // Random weights everywhere (biases too), so every term of the backward pass carries weight.
    model.params.set(values(model.params.length, 17).map((v) => v * 0.6));
    const outSteps = model.outputSteps(T);
    const raw = values(outSteps * N * O, 23);
    const targets = c.loss === 'cce' ? oneHotRows(raw, O) : c.loss === 'bce' ? raw.map((v) => (v > 0 ? 1 : 0)) : raw;
    const data: Sequences = { samples: N, steps: T, inputSize: I, outputSize: O, x: values(T * N * I, 29), targets, targetsPerStep: c.seq, ...(c.seq && outSteps !== T && { outputSteps: outSteps }) };
    model.lossAndGrad(data, c.loss);
    const p = Float64Array.from(model.params), h = 1e-6;
    let worst = 0, scale = 0;
    const fd = Float64Array.from(p, (v, i) => {
      p[i] = v + h;
      const up = model.lossAt(p, data, c.loss);
      p[i] = v - h;
      const down = model.lossAt(p, data, c.loss);
      p[i] = v;
      return (up - down) / (2 * h);
    });
    for (const v of fd) scale = Math.max(scale, Math.abs(v));
    fd.forEach((v, i) => (worst = Math.max(worst, Math.abs(model.grads[i]! - v) / Math.max(Math.abs(v), 1e-2 * scale))));
    console.log(`${backend} ${name}: ${model.params.length} parameters, worst relative difference ${worst.toExponential(1)}`);
    expect(worst).toBeLessThan(backend === 'js' ? 1e-6 : 1e-4);
    // No block of weights silently without a gradient: the backward copies and the decoder's too.
    expect(model.grads.every((g) => Number.isFinite(g))).toBe(true);
    for (const l of model.gradients.layers) for (const w of Object.values(l)) expect((w as Float32Array).some((v) => v !== 0)).toBe(true);
    model.dispose();
  });
});

/** Each row of O values becomes one-hot at its largest value. */
function oneHotRows(raw: Float32Array, O: number): Float32Array {
  const t = new Float32Array(raw.length);
  for (let r = 0; r < raw.length / O; r++) {
    let best = 0;
    for (let o = 1; o < O; o++) if (raw[r * O + o]! > raw[r * O + best]!) best = o;
    t[r * O + best] = 1;
  }
  return t;
}
