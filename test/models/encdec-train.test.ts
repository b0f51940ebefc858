// TF.js's addition-rnn as it publishes the model, at small sizes: "12+7 " → " 19" as one-hot
// characters, LSTM encoder (last output only) → RepeatVector(3) → LSTM decoder (every step) →
// per-step Dense softmax, trained with cce and Adam through the public entry on both backends. The
// two backends' loss curves agree, the loss falls, and the model saves and loads exactly.
import { beforeAll, describe, expect, test } from 'vitest';
import { adam, init, RNN, train, trainSync, type Sequences } from '../../src/index.js';
import { core } from '../../src/backends/wasm/core.js';

beforeAll(async () => {
  await init();
});

const CHARS = '0123456789+ ', DIGITS = 2, IN_LEN = 2 * DIGITS + 1, OUT_LEN = DIGITS + 1;

/** The example's data: questions "a+b" padded to IN_LEN, answers padded to OUT_LEN, one-hot, time-major. */
function additions(samples: number, seed: number): Sequences {
  let s = seed >>> 0;
  const rand = (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * n;
  const V = CHARS.length;
  const x = new Float32Array(IN_LEN * samples * V), targets = new Float32Array(OUT_LEN * samples * V);
  for (let n = 0; n < samples; n++) {
    const a = Math.floor(rand(10 ** DIGITS)), b = Math.floor(rand(10 ** DIGITS));
    const q = `${a}+${b}`.padEnd(IN_LEN), ans = `${a + b}`.padEnd(OUT_LEN);
    for (let k = 0; k < IN_LEN; k++) x[(k * samples + n) * V + CHARS.indexOf(q[k]!)] = 1;
    for (let k = 0; k < OUT_LEN; k++) targets[(k * samples + n) * V + CHARS.indexOf(ans[k]!)] = 1;
  }
  return { samples, steps: IN_LEN, inputSize: V, outputSize: V, x, targets, targetsPerStep: true, outputSteps: OUT_LEN };
}

const model = (backend: 'wasm' | 'js') =>
  new RNN({
    inputSize: CHARS.length,
    outputSize: CHARS.length,
    outputActivation: 'softmax',
    returnSequences: true,
    layers: [{ cell: 'lstm', units: 24 }, { repeatVector: OUT_LEN }, { cell: 'lstm', units: 24 }],
    seed: 5,
    backend,
  });

describe('addition-rnn as TF.js publishes it', () => {
  test('trains on both backends to the same losses, the loss falls, and the model saves and loads exactly', async () => {
    const data = additions(256, 1);
    const runs = await Promise.all((['wasm', 'js'] as const).map(async (backend) => {
      const m = model(backend);
      const h = await train(m, data, { optimizer: adam({ lr: 0.01 }), epochs: 12, batchSize: 32, loss: 'cce', shuffle: 3 });
      return { m, loss: h.loss };
    }));
    const [wasm, js] = runs as [(typeof runs)[0], (typeof runs)[0]];
    console.log(`addition-rnn, 12 epochs: cce ${wasm.loss[0]!.toFixed(4)} → ${wasm.loss.at(-1)!.toFixed(4)} (wasm), ${js.loss[0]!.toFixed(4)} → ${js.loss.at(-1)!.toFixed(4)} (js)`);
    // ln 12 = 2.48 at the start: a uniform guess over the 12 characters.
    expect(wasm.loss[0]!).toBeGreaterThan(2.3);
    expect(wasm.loss.at(-1)!).toBeLessThan(0.75 * wasm.loss[0]!);
    // float32 in the core, float64 in js: the curves agree to rounding after 96 Adam steps.
    wasm.loss.forEach((l, i) => expect(Math.abs(l - js.loss[i]!) / l).toBeLessThan(1e-3));
    // Predictions [3][samples][12] sum to 1 per row; the saved model predicts the same bits.
    const y = wasm.m.predict({ x: data.x, samples: data.samples, steps: data.steps });
    expect(y.length).toBe(OUT_LEN * data.samples * CHARS.length);
    const again = RNN.fromJSON(JSON.parse(JSON.stringify(wasm.m.toJSON())));
    expect(Array.from(again.predict({ x: data.x, samples: data.samples, steps: data.steps }))).toEqual(Array.from(y));
    expect(again.layers[1]!.repeat).toBe(OUT_LEN);
    for (const r of [...runs.map((r) => r.m), again]) r.dispose();
  });
});

test('a wired model gives back every byte it took: bindings, placements and predictions on wasm', () => {
  const { arena } = core();
  const base = arena.bytesInUse;
  const m = new RNN({ inputSize: CHARS.length, outputSize: CHARS.length, outputActivation: 'softmax', returnSequences: true, layers: [{ bidirectional: { cell: 'gru', units: 6 }, merge: 'sum' }, { repeatVector: OUT_LEN }, { bidirectional: { cell: 'lstm', units: 5 } }] });
  const data = additions(40, 2);
  const placed = m.place(data);
  m.bind(placed, { loss: 'cce', batchSize: 16 }).lossAndGrad(1); // left bound: the model's dispose frees it
  trainSync(m, placed, { epochs: 2, batchSize: 16, optimizer: adam({ lr: 0.01 }), loss: 'cce' });
  m.predict({ x: data.x, samples: data.samples, steps: data.steps });
  expect(arena.bytesInUse).toBeGreaterThan(base);
  m.dispose();
  expect(arena.bytesInUse).toBe(base);
});

test("nested arrays in and out: targets [samples][decoder steps][O] train, predictions come back [samples][decoder steps][O]", async () => {
  const data = additions(24, 3), V = CHARS.length, N = data.samples;
  const nest = (a: Float32Array, steps: number) => Array.from({ length: N }, (_, s) => Array.from({ length: steps }, (_, k) => Array.from(a.subarray((k * N + s) * V, (k * N + s + 1) * V))));
  const x = nest(data.x, IN_LEN), y = nest(data.targets, OUT_LEN);
  const nested = model('wasm'), flat = model('wasm');
  const h1 = await train(nested, { x, y }, { optimizer: adam({ lr: 0.01 }), epochs: 3, loss: 'cce' });
  const h2 = await train(flat, data, { optimizer: adam({ lr: 0.01 }), epochs: 3, loss: 'cce' });
  expect(h1.loss).toEqual(h2.loss); // the same data set, time-major or nested
  const out = nested.predict(x) as number[][][];
  expect([out.length, out[0]!.length, out[0]![0]!.length]).toEqual([N, OUT_LEN, V]);
  expect(out[5]![2]![7]).toBe(nested.predict({ x: data.x, samples: N, steps: IN_LEN })[(2 * N + 5) * V + 7]);
  nested.dispose();
  flat.dispose();
});
