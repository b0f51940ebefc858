import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ElmanRNN, init, RNN, type ElmanJSON } from '../../src/index.js';

// ElmanRNN is a preset of the one recurrent model (issue 18). Files saved before it became one
// (test/fixtures/elman-v1.json, written by elman 0.1.0's own ElmanRNN with its fused kernel, with
// the predictions it made) still load, predict what they predicted, and the preset now steps,
// forecasts and runs anywhere an RNN of one simple layer does, with the same weights and outputs.
beforeAll(() => init());

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/elman-v1.json'), 'utf8')) as Record<string, { model: ElmanJSON; samples: number; steps: number; x: number[]; predictions: number[] }>;
const cases = Object.entries(fixture).filter(([k]) => k !== 'note');

describe.each(['wasm', 'js'] as const)('on %s', (backend) => {
  test.each(cases)('%s: an old file loads, predicts what the old code predicted, and saves back to the same file', (_, c) => {
    const m = ElmanRNN.fromJSON(c.model, { backend });
    const { inputSize, outputSize } = c.model.config;
    const y = m.predict({ samples: c.samples, steps: c.steps, inputSize, outputSize, x: Float32Array.from(c.x), targets: new Float32Array(c.predictions.length) });
    // Same weights and data; the old fused kernel and the simple cell run the same f32 products in the same order (wasm);
    // the js backend is float64 throughout, so within float32 rounding of the old core's outputs.
    const worst = Math.max(...c.predictions.map((p, i) => Math.abs(y[i]! - p)));
    if (backend === 'wasm') expect(Array.from(y)).toEqual(c.predictions);
    else expect(worst).toBeLessThan(1e-6);
    expect(m.toJSON()).toEqual(c.model);
    m.dispose();
  });

  test('the preset is an RNN of one simple layer: same weights from the same seed, same outputs, and it steps and forecasts', () => {
    const e = new ElmanRNN({ inputSize: 2, hiddenSize: 5, outputSize: 2, returnSequences: true, seed: 4, backend });
    const r = new RNN({ inputSize: 2, layers: [{ cell: 'simple', units: 5 }], outputSize: 2, returnSequences: true, seed: 4, backend });
    expect(e.params).toEqual(r.params);
    expect(e.layers).toEqual([{ cell: 'simple', units: 5, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false }]);
    const nested = [[[0.5, -0.25], [0.1, 0.3], [-0.7, 0.2]]];
    const flat = { x: Float32Array.from(nested.flat(2)), samples: 1, steps: 3 }; // one sample: time-major is the sequence
    const y = e.predict(flat);
    expect(y).toEqual(r.predict(flat));
    expect(e.predict(nested)).toEqual([[Array.from(y.subarray(0, 2)), Array.from(y.subarray(2, 4)), Array.from(y.subarray(4, 6))]]);
    // step: the same outputs one step at a time; resetState starts afresh.
    const stepped = nested[0]!.flatMap((row) => Array.from(e.step([row])));
    expect(stepped).toEqual(Array.from(y));
    e.resetState();
    expect(Array.from(e.step([nested[0]![0]!]))).toEqual(Array.from(y.subarray(0, 2)));
    // forecast: the context, then each output fed back, as stepping by hand does.
    const f = e.forecast(nested[0]!, 2);
    e.resetState();
    let out = new Float32Array(0);
    for (const row of nested[0]!) out = e.step([row]).slice();
    expect(Array.from(f.subarray(0, 2))).toEqual(Array.from(out));
    expect(Array.from(f.subarray(2))).toEqual(Array.from(e.step(out)));
    e.dispose();
    r.dispose();
  });
});
