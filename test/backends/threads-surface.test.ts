import { beforeAll, expect, test, vi } from 'vitest';
import { ConfigError, countOnes, lossSurface, lossSurfaceThreaded, RandomState, type Sequences } from '../../src/index.js';
import { liveWorkers } from '../../src/backends/threads/pool.js';
import { init } from '../../src/backends/wasm/core.js';

// The loss-surface grid with its rows shared out over threads: every point computed on its own.

beforeAll(() => init());

// Real-valued inputs (the f32 path), 37 rows (uneven over 2 and 3 threads) × 23 columns, and a
// recurrent axis reaching |wRec| = 4 so the steep walls saturate at F32_MAX over 60 steps.
const counts = countOnes({ samples: 301, length: 60, rng: new RandomState(8) });
const data: Sequences = { ...counts, x: counts.x.map((v, i) => v * 0.9 + (i % 5) * 0.02) };
const options = { wx: { min: -2, max: 2, count: 23 }, wRec: { min: -4, max: 4, count: 37 }, loss: 'mse' as const };

test('threads 1, 2 and 3 give the bits of the one-thread lossSurface; the float64 js backend agrees to float32 rounding', async () => {
  const one = lossSurface(data, options);
  for (const threads of [1, 2, 3]) {
    const got = await lossSurfaceThreaded(data, { ...options, threads });
    expect(got.wx).toEqual(one.wx);
    expect(got.wRec).toEqual(one.wRec);
    expect(got.loss).toEqual(one.loss);
  }
  const js = lossSurface(data, { ...options, backend: 'js' });
  let saturated = 0;
  for (let k = 0; k < js.loss.length; k++) {
    if (js.loss[k] === 3.4028234663852886e38) saturated++;
    else expect(Math.abs(one.loss[k]! - js.loss[k]!)).toBeLessThanOrEqual(1e-4 * js.loss[k]!);
  }
  expect(saturated).toBeGreaterThan(0); // the walls are in the picture, and saturate alike
  expect(one.loss.filter((v) => v === 3.4028234663852886e38).length).toBe(saturated);
  await vi.waitFor(() => expect(liveWorkers()).toBe(0)); // each call's pool is gone when it returns
});

test("'auto' computes a small grid on one thread with the same result; bad options are ConfigErrors before any work", async () => {
  const small = { wx: { min: -1, max: 1, count: 4 }, wRec: { min: -1, max: 1, count: 3 } };
  expect(await lossSurfaceThreaded(data, small)).toEqual(lossSurface(data, small));
  expect(await lossSurfaceThreaded(data, { ...small, backend: 'js' })).toEqual(lossSurface(data, { ...small, backend: 'js' }));
  for (const threads of [0, 2.5, 65, '2', null]) await expect(lossSurfaceThreaded(data, { ...small, threads: threads as number })).rejects.toThrow(ConfigError);
  await expect(lossSurfaceThreaded(data, { ...small, threads: 2, backend: 'js' })).rejects.toThrow(/backend 'js'/);
  await expect(lossSurfaceThreaded(data, { wx: { min: 1, max: 0, count: 3 }, threads: 2 })).rejects.toThrow(ConfigError);
});
