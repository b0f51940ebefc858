import { beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, DataError, gradCheck, init, Predictor, RNN, type RNNOptions } from '../../src/index.js';
import { oneHotInputs, randomTokenData } from '../helpers/token-data.js';

// The embedding input layer: its gradients against float64 central differences, its forward
// against an independent model (one-hot inputs whose kernel is E·K: the same network written
// without a lookup), untouched rows, hostile ids, save/load.
beforeAll(() => init());

const base: Omit<RNNOptions, 'backend'> = { inputSize: 1, embedding: { vocab: 8, dim: 3 }, layers: [{ cell: 'gru', units: 4 }], outputSize: 5, outputActivation: 'softmax', returnSequences: true, seed: 6 };

describe.each(['wasm', 'js'] as const)('embedding on %s', (backend) => {
  test.each([
    ['→ GRU, sparseCce per step', base, 'sparseCce', true],
    ['→ simple → LSTM, sparseCce at the last step', { ...base, layers: [{ cell: 'simple', units: 3 }, { cell: 'lstm', units: 4 }], returnSequences: false, seed: 7 }, 'sparseCce', false],
    ['→ LSTM, linear head, mse', { ...base, layers: [{ cell: 'lstm', units: 3 }], outputActivation: 'linear', seed: 8 }, 'mse', true],
  ] as const)('%s: gradients agree with float64 central differences', (_, options, loss, perStep) => {
    const model = new RNN({ ...options, backend } as RNNOptions);
    const data = randomTokenData(21, 6, 5, 6, 5, perStep); // ids 6 and 7 never occur
    const targets = loss === 'mse' ? { ...data, outputSize: 5, targets: Float32Array.from({ length: data.targets.length * 5 }, (_, i) => Math.sin(i)) } : data;
    const r = gradCheck(model, targets, { loss, eps: 1e-5 });
    expect(r.maxRelativeError).toBeLessThan(1e-4);
    expect(r.ok).toBe(true);
    const E = 8 * 3;
    // The embedding's gradient is non-zero in the rows the batch used, exactly zero in the others.
    for (let id = 0; id < 8; id++) {
      const row = Array.from(r.analytic.subarray(id * 3, id * 3 + 3));
      if (id >= 6) expect(row).toEqual([0, 0, 0]);
      else expect(row.some((v) => v !== 0)).toBe(true);
    }
    expect(r.numerical.subarray(18, E).every((v) => Math.abs(v) < 1e-9)).toBe(true);
    model.dispose();
  });

  test('the lookup equals one-hot inputs times the table: a simple layer with kernel E·K', () => {
    const model = new RNN({ ...base, layers: [{ cell: 'simple', units: 4 }], backend });
    const w = model.weights;
    // K' = E·K in float64, rounded once to float32: the same network without an embedding.
    const K = w.layers[0]!.kernel, E = w.embeddings!;
    const Keff = new Float32Array(8 * 4);
    for (let v = 0; v < 8; v++) for (let j = 0; j < 4; j++) for (let d = 0; d < 3; d++) Keff[v * 4 + j]! += E[v * 3 + d]! * K[d * 4 + j]!;
    const plain = new RNN({ inputSize: 8, layers: [{ cell: 'simple', units: 4 }], outputSize: 5, outputActivation: 'softmax', returnSequences: true, backend });
    plain.setWeights({ layers: [{ kernel: Keff, recurrentKernel: w.layers[0]!.recurrentKernel, bias: w.layers[0]!.bias }], outputKernel: w.outputKernel, outputBias: w.outputBias });
    const data = randomTokenData(22, 5, 6, 8, 5, true);
    const a = model.predict(data), b = plain.predict(oneHotInputs(data, 8));
    expect(a.length).toBe(6 * 5 * 5);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
    // Nested [samples][steps][1] ids give the same outputs as the time-major Float32Array, nested [samples][steps][5].
    const nested = Array.from({ length: 5 }, (_, n) => Array.from({ length: 6 }, (_, k) => [data.x[k * 5 + n]!]));
    expect(model.predict(nested)).toEqual(Array.from({ length: 5 }, (_, n) => Array.from({ length: 6 }, (_, k) => Array.from(a.subarray((k * 5 + n) * 5, (k * 5 + n + 1) * 5)))));
    // step() over the same ids, one stream per sample, gives each step's outputs.
    model.resetState();
    for (let k = 0; k < 6; k++) {
      const y = model.step(data.x.subarray(k * 5, k * 5 + 5));
      for (let i = 0; i < 25; i++) expect(Math.abs(y[i]! - a[k * 25 + i]!)).toBeLessThan(1e-6);
    }
    model.dispose();
    plain.dispose();
  });

  test('hostile ids are refused before any work, naming the sample and step', () => {
    const model = new RNN({ ...base, backend });
    const data = randomTokenData(23, 4, 3, 8, 5, true);
    // Non-finite values fail the finite check first (a DataError naming data.x[11] too).
    for (const bad of [8, -1, 1.5, NaN, Infinity, 2 ** 24]) {
      const x = data.x.slice();
      x[2 * 4 + 3] = bad; // step 2, sample 3
      const hostile = { ...data, x };
      const message = Number.isFinite(bad) ? /data\.x\[11\] must be a token id, an integer in \[0, 8\) \(sample 3, step 2\)/ : /data\.x\[11\] must be a finite number/;
      expect(() => model.predict(hostile)).toThrow(message);
      expect(() => model.place(hostile)).toThrow(DataError);
      expect(() => model.lossAndGrad(hostile, 'sparseCce')).toThrow(message);
      expect(() => model.step([0, 1, bad])).toThrow(Number.isFinite(bad) ? /x\[2\] must be a token id/ : /x\[2\] must be a finite/);
    }
    expect(() => model.predict([[[1], [9]]])).toThrow(/sample 0, step 1\), got 9/);
    expect(() => new RNN({ ...base, inputSize: 2, backend })).toThrow(ConfigError);
    expect(() => new RNN({ ...base, embedding: { vocab: 0, dim: 3 }, backend })).toThrow(/embedding.vocab/);
    expect(() => new RNN({ ...base, embedding: { vocab: 4, dim: 3, extra: 1 } as never, backend })).toThrow(ConfigError);
    model.dispose();
  });

  test('toJSON / fromJSON keep the embedding and its table; Predictor serves it', async () => {
    const model = new RNN({ ...base, backend });
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.config.embedding).toEqual({ vocab: 8, dim: 3 });
    expect(json.weights.embeddings).toHaveLength(24);
    const back = RNN.fromJSON(json, { backend });
    expect(back.params).toEqual(model.params);
    expect(back.shapes.embeddings).toEqual([8, 3]);
    const data = randomTokenData(24, 3, 4, 8, 5, true);
    expect(back.predict(data)).toEqual(model.predict(data));
    // Served from the saved JSON: sequences of ids of any lengths, one output row per step.
    const served = await Predictor.load(json, { backend });
    const out = served.predict([[1, 2, 3], [4, 5]]) as number[][][];
    expect(out.map((s) => s.length)).toEqual([3, 2]);
    expect(out[1]![1]!).toEqual((model.predict([[[4], [5]]]) as number[][][])[0]![1]!);
    expect(() => served.predict([[1, 8]])).toThrow(/sample 0, step 1\), got 8/);
    served.dispose();
    model.dispose();
    back.dispose();
  });
});
