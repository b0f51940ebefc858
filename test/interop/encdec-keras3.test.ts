// A Keras 3 encoder–decoder with Bidirectional layers, as Keras 3.x writes and runs it
// (test/fixtures/make_keras3_encdec.py, jax backend): Bidirectional(LSTM, 'concat') → RepeatVector(3)
// → Bidirectional(GRU reset_after, 'sum') → TimeDistributed(Dense softmax), random weights
// everywhere. Loaded from its files and served through Predictor on both backends, it predicts what
// Keras 3 predicted.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { init, loadTfjs, Predictor, RNN } from '../../src/index.js';

const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/keras3-encdec/${f}`, import.meta.url));

beforeAll(async () => {
  await init();
});

test.each(['wasm', 'js'] as const)('on %s: imports, and predicts what Keras 3 predicted within 1e-5', async (backend) => {
  const { x, y } = JSON.parse(readFileSync(fixture('encdec.expected.json'), 'utf8')) as { x: number[][][]; y: number[][][] };
  const { model } = await loadTfjs(fixture('encdec.json'), { backend });
  expect(model).toBeInstanceOf(RNN);
  expect((model as RNN).layers.map((l) => [l.cell, l.units, l.merge, l.repeat, l.resetAfter])).toEqual([['lstm', 4, 'concat', undefined, false], ['gru', 3, 'sum', 3, true]]);
  const p = Predictor.of(model);
  const out = p.predict(x) as number[][][];
  expect(out.length).toBe(3);
  let worst = 0;
  out.forEach((seq, n) => {
    expect(seq.length).toBe(3); // the decoder's steps, not the 5 input steps
    seq.forEach((row, k) => row.forEach((v, o) => (worst = Math.max(worst, Math.abs(v - y[n]![k]![o]!)))));
  });
  console.log(`${backend}: Keras 3 encoder–decoder, worst difference ${worst.toExponential(1)}`);
  expect(worst).toBeLessThan(1e-5);
  p.dispose();
});
