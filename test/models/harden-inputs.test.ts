// Issue 21, items 2, 7, 9, 10, 11 (the model's side), 15 and 16, through the package entry
// (dist/index.js), the edge worker under miniflare, and a child Node process where allocation is counted.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as elman from '../../dist/index.js';
import { workerOptions } from '../helpers/edge-worker.js';

const { BusyError, ConfigError, DataError, ElmanError, LinearRNN, NumericError, Predictor, RNN, RandomState, Scaler, adam, countOnes, init, train, trainSync, windows } = elman;
const root = resolve(import.meta.dirname, '../..');

/** The ElmanError `fn` throws (anything else fails), checked to be a `type` naming `argument`. */
function refused(fn: () => unknown, type: abstract new (...args: never[]) => Error, argument: string | RegExp): Error {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (error === undefined) return expect.fail('expected an ElmanError, but the call returned');
  if (!(error instanceof ElmanError)) throw error;
  expect(error).toBeInstanceOf(type);
  expect(error.argument).toMatch(argument);
  return error;
}

beforeAll(async () => {
  await init();
});

describe('item 2: Predictor.predict is linear in the number of sequences; the worker answers 413 above its size', () => {
  test('grouping 4,000 one-step sequences copies each index once, not the group per sequence', async () => {
    const p = await Predictor.load(new elman.ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, seed: 1 }).toJSON());
    const sequences = Array.from({ length: 4000 }, (_, n) => [n / 4000]);
    // Count the elements every array iteration (spread, for-of, Array.from of an array) walks during predict.
    const iterate = Array.prototype[Symbol.iterator];
    let walked = 0;
    Array.prototype[Symbol.iterator] = function (this: unknown[]) {
      walked += this.length;
      return iterate.call(this);
    } as typeof iterate;
    let out: number[][];
    try {
      out = p.predict(sequences) as number[][];
    } finally {
      Array.prototype[Symbol.iterator] = iterate;
    }
    p.dispose();
    expect(out.length).toBe(4000);
    expect(walked).toBeLessThan(20 * 4000); // the quadratic grouping walked 4000² / 2 = 8,000,000
  });

  describe('the edge worker under miniflare', () => {
    let mf: InstanceType<typeof Miniflare>;
    beforeAll(() => {
      mf = new Miniflare(workerOptions());
    }, 60_000);
    afterAll(() => mf?.dispose());
    const post = (body: string, headers: Record<string, string> = {}) => mf.dispatchFetch('http://localhost/', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

    test('16,000 sequences in one request are answered (200)', async () => {
      const sequences = Array.from({ length: 16000 }, (_, n) => [Math.sin(n)]);
      const res = await post(JSON.stringify({ sequences }));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { outputs: number[][] }).outputs.length).toBe(16000);
    }, 120_000);

    test('a body above 1 MiB gets 413 before it is parsed, with or without a length header', async () => {
      const big = JSON.stringify({ sequences: Array.from({ length: 40000 }, () => Array.from({ length: 4 }, () => 0.123456)) });
      expect(big.length).toBeGreaterThan(2 ** 20);
      const res = await post(big);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: `the body must be at most ${2 ** 20} bytes` });
      const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(big)), c.close()) });
      const chunked = await mf.dispatchFetch('http://localhost/', { method: 'POST', body: stream, duplex: 'half' } as never);
      expect(chunked.status).toBe(413);
    }, 60_000);
  });
});

describe('item 7: every input judged in float32', () => {
  const rnn = (backend: 'wasm' | 'js') => new RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 3 }], outputSize: 1, backend });

  test.each(['wasm', 'js'] as const)('RNN.predict and step refuse 1e39 and 1e300 (%s)', (backend) => {
    const m = rnn(backend);
    for (const v of [1e39, 1e300, -1e39]) {
      refused(() => m.predict([[[0.5], [v]]]), DataError, 'data[0][1]');
      refused(() => m.predict({ samples: 1, steps: 2, x: new Float32Array([0.5, v]) } as never), DataError, 'data.x');
      refused(() => m.step([v]), DataError, 'x');
      refused(() => m.step(new Float32Array([v])), DataError, 'x');
      refused(() => m.step([[v]]), DataError, 'x');
    }
    expect(Number.isFinite(m.step([3e38])[0])).toBe(true); // the largest float32s are still inputs
    m.dispose();
  });

  test('a served RNN refuses 1e39 as a served ElmanRNN does', async () => {
    for (const model of [rnn('wasm'), new elman.ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1 })]) {
      const p = await Predictor.load(model.toJSON());
      refused(() => p.predict([[0.5, 1e39]]), DataError, 'sequences[0][1]');
      p.dispose();
      model.dispose();
    }
  });

  test('windows and Scaler never make Infinity silently', () => {
    refused(() => windows([1, 1e39, 2, 3], { lookback: 1 }), DataError, 'series');
    refused(() => new Scaler([1e39], [1]), DataError, 'mean');
    refused(() => new Scaler([0], [1e39]), ConfigError, 'std[0]');
    const s = new Scaler([0], [1e-30]);
    refused(() => s.transform([1e10]), NumericError, 'series[0][0]');
    const big = new Scaler([0], [1e10]);
    const values = new Float32Array([1, 1e30]);
    refused(() => big.inverse(values), NumericError, 'values[1]');
    expect(Array.from(values)).toEqual([1, Math.fround(1e30)]); // left as they were
  });
});

describe('item 9: resetState judges its argument alike before and after the first step', () => {
  test.each(['wasm', 'js'] as const)('%s', (backend) => {
    const m = new RNN({ inputSize: 1, layers: [{ cell: 'lstm', units: 2 }], outputSize: 1, backend });
    for (const bad of [99, 'x', NaN, -1, 0]) refused(() => m.resetState(bad as number), ConfigError, 'stream');
    m.resetState(); // resetting all is always fine
    m.step([0.5, 0.25]);
    for (const bad of [99, 'x', NaN, -1]) refused(() => m.resetState(bad as number), ConfigError, 'stream');
    m.resetState(1);
    m.dispose();
  });
});

describe('item 10: lossAt sizes its float64 scratch in 64 bits before allocating', () => {
  test('20,000 × 1,000 steps at 512 units is a ConfigError, not a RangeError', () => {
    const m = new RNN({ inputSize: 1, layers: [{ cell: 'simple', units: 512 }], outputSize: 1, backend: 'js' });
    const data = { samples: 20000, steps: 1000, inputSize: 1, outputSize: 1, x: new Float32Array(20000 * 1000), targets: new Float32Array(20000) };
    const e = refused(() => m.lossAt(m.params, data), ConfigError, 'data');
    expect(e.message).toMatch(/2 GiB of float64 scratch for lossAt/);
    const e2 = new elman.ElmanRNN({ inputSize: 1, hiddenSize: 512, outputSize: 1, backend: 'js' });
    refused(() => e2.lossAt(e2.params, data), ConfigError, 'data');
    // A small set still gives a finite loss.
    expect(Number.isFinite(m.lossAt(m.params, { ...data, samples: 2, steps: 3, x: new Float32Array(6), targets: new Float32Array(2) }))).toBe(true);
  });
});

describe("item 11: a layer's limits and flags, and setWeights while training", () => {
  test("a 3,000-unit GRU is refused naming the layer's units", () => {
    const e = refused(() => new RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 3000 }], outputSize: 1 }), ConfigError, 'layers[0].units');
    expect(e.message).toMatch(/^layers\[0\]\.units must be an integer in \[1, 1420\], got 3000/);
    expect(new RNN({ inputSize: 1, layers: [{ cell: 'simple', units: 8 }, { cell: 'lstm', units: 4 }], outputSize: 1 }).layers.length).toBe(2);
  });

  test('resetAfter on an LSTM layer and unitForgetBias on a GRU are refused', () => {
    refused(() => new RNN({ inputSize: 1, layers: [{ cell: 'lstm', units: 2, resetAfter: true }], outputSize: 1 }), ConfigError, 'layers[0].resetAfter');
    refused(() => new RNN({ inputSize: 1, layers: [{ cell: 'simple', units: 2 }, { cell: 'gru', units: 2, unitForgetBias: true }], outputSize: 1 }), ConfigError, 'layers[1].unitForgetBias');
  });

  test.each(['rnn', 'elman'] as const)('setWeights during an async train is a BusyError (%s); after it, allowed', async (kind) => {
    const m = kind === 'rnn' ? new RNN({ inputSize: 1, layers: [{ cell: 'simple', units: 2 }], outputSize: 1 }) : new elman.ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1 });
    const data = { samples: 4, steps: 3, inputSize: 1, outputSize: 1, x: new Float32Array(12).fill(0.5), targets: new Float32Array(4).fill(1) };
    // Enough epochs that the call yields to the event loop (every ~20 ms); stopped by its signal once checked.
    const stop = new AbortController();
    const running = train(m as never, data, { epochs: 10_000_000, optimizer: adam({ lr: 1e-6 }), signal: stop.signal });
    refused(() => m.setWeights({ outputBias: [5] }), BusyError, 'model');
    await new Promise((r) => setTimeout(r, 0));
    refused(() => m.setWeights({ outputBias: [5] }), BusyError, 'model');
    stop.abort();
    await expect(running).rejects.toBeInstanceOf(elman.AbortError);
    m.setWeights({ outputBias: [5] });
    expect(m.weights.outputBias[0]).toBe(5);
    m.dispose();
  });
});

test('item 15: a flat Float32Array step allocates nothing after nested-row steps (child Node, heap counted)', () => {
  const script = `
    const elman = await import(${JSON.stringify(pathToFileURL(resolve(root, 'dist/index.js')).href)});
    await elman.init();
    const m = new elman.RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 4 }], outputSize: 1 });
    for (let i = 0; i < 5000; i++) m.step([[0.1, 0.2]]);
    const x = new Float32Array([0.1, 0.2]);
    for (let i = 0; i < 50000; i++) m.step(x);
    const grown = [];
    for (let w = 0; w < 4; w++) {
      globalThis.gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 1000000; i++) m.step(x);
      grown.push(process.memoryUsage().heapUsed - before);
    }
    console.log(Math.min(...grown));`;
  const grown = Number(execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=64', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).trim());
  // A step that allocates leaves megabytes in every window (a Float32Array copy per step: 1,886,064 B,
  // what survives since the last young-generation collection). V8 now and then adds ~200 kB of its own
  // to a window whatever its length (seen at 20,000 and at 2,000,000 steps), so the least of four counts.
  expect(grown).toBeLessThan(200_000);
}, 60_000);

describe('item 16: numbers judged alike on both backends', () => {
  test('a validation loss beyond float32 with patience is recorded as Infinity on wasm and js', () => {
    const histories = (['wasm', 'js'] as const).map((backend) => {
      const m = new LinearRNN({ wx: 1, wRec: 1.5, backend });
      const trainData = countOnes({ samples: 8, length: 4, rng: new RandomState(2) });
      const valData = countOnes({ samples: 8, length: 300, rng: new RandomState(3) });
      const history = trainSync(m, trainData, { epochs: 3, optimizer: elman.sgd({ lr: 1e-9 }), validationData: valData, patience: 5 });
      m.dispose();
      return history.valLoss!;
    });
    expect(histories[0]).toEqual([Infinity, Infinity, Infinity]);
    expect(histories[1]).toEqual(histories[0]);
  });

  test.each(['wasm', 'js'] as const)("Adam's step 4,294,967,303 trains as a late step, not as step 7 (%s)", (backend) => {
    const after = (step: number) => {
      const m = new LinearRNN({ wx: 0.5, wRec: 0.5, backend });
      const optimizer = adam({ lr: 0.01 });
      optimizer.setState({ version: 1, name: 'adam', step, slots: { m: new Float32Array([0.1, -0.1]), v: new Float32Array([0.01, 0.02]) } });
      trainSync(m, countOnes({ samples: 6, length: 4, rng: new RandomState(4) }), { epochs: 2, optimizer });
      const w = [m.weights.wx, m.weights.wRec];
      const state = optimizer.getState();
      m.dispose();
      return { w, step: state.step };
    };
    const huge = after(2 ** 32 + 7);
    expect(huge.step).toBe(2 ** 32 + 9);
    expect(huge.w).toEqual(after(1e6).w); // bias correction 1 − β^t is exactly 1 at both counts
    expect(huge.w).not.toEqual(after(7).w);
  });
});
