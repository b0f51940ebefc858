import { beforeAll, expect, test, vi } from 'vitest';
import { ConfigError, countOnes, DisposedError, LinearRNN, RandomState, rmsprop, train, type Sequences } from '../../src/index.js';
import { availableParallelism } from 'node:os';
import { liveWorkers } from '../../src/backends/threads/pool.js';
import { AUTO_MIN_WORK, cpuCount, threadPlan } from '../../src/backends/threads/support.js';
import { init } from '../../src/backends/wasm/core.js';

// Threaded placements of the counter (model.placeThreaded). Workers run the built files
// (dist/backends/threads/worker.js, build/elman.threads.wasm): `npm test` builds them first.

beforeAll(() => init());

/** The counter's loss and gradient in float64, straight from the formula (sse: dL/dy = 2e). */
function reference(d: Sequences, wx: number, wRec: number) {
  const { x, targets: t, samples: n, steps: T } = d;
  let loss = 0, gx = 0, gRec = 0;
  for (let i = 0; i < n; i++) {
    const s = [0];
    for (let k = 1; k <= T; k++) s.push(x[(k - 1) * n + i]! * wx + s[k - 1]! * wRec);
    const e = s[T]! - t[i]!;
    loss += e * e;
    let g = 2 * e;
    for (let k = T; k >= 1; k--) {
      gx += g * x[(k - 1) * n + i]!;
      gRec += g * s[k - 1]!;
      g *= wRec;
    }
  }
  return { loss, gx, gRec };
}

/** One float32 ulp at |v|. */
const ulp = (v: number) => 2 ** (Math.floor(Math.log2(Math.abs(v))) - 23);

// 3,001 samples: 188 groups of 16 in 63 blocks of 48 samples, the last one short (25 samples: a group,
// two of four and one single), shared unevenly by 2 and 3 threads. 0/1 inputs of 444 KB are held as
// bytes; the scaled copy keeps f32 inputs: both kernels are covered.
const binary = countOnes({ samples: 3001, length: 37, rng: new RandomState(5) });
const scaled: Sequences = { ...binary, x: binary.x.map((v, i) => v * 0.75 + (i % 7) * 0.01) };

test.each([
  ['0/1 inputs (u8)', binary],
  ['real inputs (f32)', scaled],
])('%s: 1, 2 and 3 threads give the same bits; the one-thread core agrees to float64 rounding of the sums, its float32 gradient within 1 ulp', async (_, d) => {
  const model = new LinearRNN();
  try {
    const ordinary = model.place(d);
    for (const [wx, wRec] of [[0.7, 0.9], [0.7, 1.01], [1, -0.4]] as const) {
      model.weights = { wx, wRec };
      const core = model.lossAndGrad(ordinary);
      const results = [];
      for (const threads of [1, 2, 3]) {
        const placed = await model.placeThreaded(d, { threads });
        results.push(model.lossAndGrad(placed));
        placed.dispose();
      }
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
      const got = results[0]!;
      expect(Math.abs(got.loss - core.loss)).toBeLessThanOrEqual(1e-12 * core.loss);
      expect(Math.abs(got.grads.wx - core.grads.wx)).toBeLessThanOrEqual(ulp(core.grads.wx));
      expect(Math.abs(got.grads.wRec - core.grads.wRec)).toBeLessThanOrEqual(ulp(core.grads.wRec));
      // And the float64 formula, within the float32 rounding of the per-sample work.
      const ref = reference(d, Math.fround(wx), Math.fround(wRec));
      expect(Math.abs(got.loss - ref.loss)).toBeLessThan(1e-5 * ref.loss);
      expect(Math.abs(got.grads.wx - ref.gx)).toBeLessThan(1e-5 * Math.abs(ref.gx));
      expect(Math.abs(got.grads.wRec - ref.gRec)).toBeLessThan(1e-5 * Math.abs(ref.gRec));
    }
  } finally {
    model.dispose();
  }
});

test('train with threads: 2 reaches the weights of threads: 1 bit for bit, near the one-thread core, and the history says how many ran', async () => {
  const d = countOnes({ samples: 2000, length: 20, rng: new RandomState(1) });
  const run = async (threads: number | undefined) => {
    const model = new LinearRNN({ wx: 0.09, wRec: 0.01 });
    try {
      const placed = threads === undefined ? model.place(d) : await model.placeThreaded(d, { threads });
      const history = await train(model, placed, { optimizer: rmsprop({ lr: 1e-2 }), epochs: 60 });
      return { weights: model.weights, loss: history.loss, threads: history.threads };
    } finally {
      model.dispose();
    }
  };
  const one = await run(1);
  const two = await run(2);
  const core = await run(undefined);
  expect([one.threads, two.threads, core.threads]).toEqual([1, 2, 1]);
  expect(two.weights).toEqual(one.weights);
  expect(two.loss).toEqual(one.loss);
  expect(one.weights.wx).not.toBe(Math.fround(0.09));
  expect(one.weights.wx).toBeCloseTo(core.weights.wx, 5);
  expect(one.weights.wRec).toBeCloseTo(core.weights.wRec, 5);
});

test("workers are gone after the placement's dispose and after the model's", async () => {
  const d = countOnes({ samples: 100, length: 5, rng: new RandomState(2) });
  await vi.waitFor(() => expect(liveWorkers()).toBe(0)); // the earlier tests' workers too
  const before = 0;
  const model = new LinearRNN();
  const a = await model.placeThreaded(d, { threads: 3 });
  const b = await model.placeThreaded(d, { threads: 2 });
  expect(liveWorkers()).toBe(before + 3);
  a.dispose();
  await vi.waitFor(() => expect(liveWorkers()).toBe(before + 1));
  expect(() => model.lossAndGrad(a)).toThrow(DisposedError);
  model.dispose();
  await vi.waitFor(() => expect(liveWorkers()).toBe(before));
  expect(b.live).toBe(false);
  await expect(model.placeThreaded(d, { threads: 2 })).rejects.toThrow(DisposedError);
});

test("threads: 'auto' keeps small data on one thread and puts large data on two; bad threads options are ConfigErrors before any work", async () => {
  const d = countOnes({ samples: 100, length: 10, rng: new RandomState(3) });
  const model = new LinearRNN();
  try {
    const placed = await model.placeThreaded(d);
    const history = await train(model, placed, { optimizer: rmsprop({ lr: 1e-2 }), epochs: 2 });
    expect(history.threads).toBe(1);
    // 2,622 × 100 = 262,200 sample-steps: past the threshold, two threads in Node (given two CPUs).
    const big = await model.placeThreaded(countOnes({ samples: 2622, length: 100, rng: new RandomState(4) }));
    expect((await train(model, big, { optimizer: rmsprop({ lr: 1e-3 }), epochs: 2 })).threads).toBe(availableParallelism() >= 2 ? 2 : 1);
    for (const threads of [0, 1.5, 65, '2', null]) {
      await expect(model.placeThreaded(d, { threads: threads as number })).rejects.toThrow(ConfigError);
    }
    await expect(model.placeThreaded(d, { threads: 2, extra: 1 } as { threads: number })).rejects.toThrow(ConfigError);
    await expect(new LinearRNN({ backend: 'js' }).placeThreaded(d, { threads: 2 })).rejects.toThrow(/backend 'js'/);
  } finally {
    model.dispose();
  }
});

test("'auto' takes two threads only with two CPUs or more; an explicit count is the caller's", () => {
  expect(cpuCount()).toBe(availableParallelism());
  expect(threadPlan('auto', 1 << 30, AUTO_MIN_WORK, 1)).toBe(0);
  expect(threadPlan('auto', 1 << 30, AUTO_MIN_WORK, 2)).toBe(2);
  expect(threadPlan('auto', AUTO_MIN_WORK - 1, AUTO_MIN_WORK, 8)).toBe(0);
  expect(threadPlan(3, 1, AUTO_MIN_WORK, 1)).toBe(3);
});
