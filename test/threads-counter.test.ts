import { expect, test } from 'vitest';
import { countOnes, RandomState } from '../src/index.js';

// The threads prototype through its built files (dist/threads/, build/elman.threads.wasm): workers
// need JavaScript files, and the core built with shared memory.
import type { counterThreads as CounterThreadsFn } from '../src/threads/pool.js';

const { counterThreads } = (await import('../dist/threads/' + 'pool.js')) as { counterThreads: typeof CounterThreadsFn };

/** The counter's loss and gradient in float64, straight from the formula. */
function reference(x: Float32Array, t: Float32Array, n: number, T: number, wx: number, wRec: number) {
  let loss = 0, gx = 0, gRec = 0;
  for (let i = 0; i < n; i++) {
    const s = [0];
    for (let k = 1; k <= T; k++) s.push(x[(k - 1) * n + i]! * wx + s[k - 1]! * wRec);
    const e = s[T]! - t[i]!;
    loss += e * e;
    let d = 2 * e;
    for (let k = T; k >= 1; k--) {
      gx += d * x[(k - 1) * n + i]!;
      gRec += d * s[k - 1]!;
      d *= wRec;
    }
  }
  return { loss, gx, gRec };
}

test('one, two and three threads give the same bits, and the float64 formula within float32 rounding', async () => {
  // 3,001 samples in blocks of 64: a short last block, blocks split unevenly between threads, and
  // samples that fall outside the groups of four.
  const d = countOnes({ samples: 3001, length: 37, rng: new RandomState(5) });
  const results: Array<Array<{ loss: number; gx: number; gRec: number }>> = [];
  for (const threads of [1, 2, 3]) {
    const pool = await counterThreads(d, { threads, block: 64 });
    try {
      results.push([0.9, 1.01, -0.4].map((wRec) => pool.lossGrad(0.7, wRec, 2)));
    } finally {
      await pool.dispose();
    }
  }
  expect(results[1]).toEqual(results[0]);
  expect(results[2]).toEqual(results[0]);
  [0.9, 1.01, -0.4].forEach((wRec, i) => {
    const ref = reference(d.x, d.targets, d.samples, d.steps, Math.fround(0.7), Math.fround(wRec));
    const got = results[0]![i]!;
    for (const k of ['loss', 'gx', 'gRec'] as const) expect(Math.abs(got[k] - ref[k]), k).toBeLessThan(1e-5 * Math.abs(ref[k]) + 1e-3);
  });
});

test('RMSProp steps driven by two threads follow the one-thread run bit for bit', async () => {
  const d = countOnes({ samples: 2000, length: 20, rng: new RandomState(1) });
  const run = async (threads: number) => {
    const pool = await counterThreads(d, { threads, block: 256 });
    let wx = 0.09, wRec = 0.01, msx = 0, msr = 0;
    try {
      for (let e = 0; e < 50; e++) {
        const g = pool.lossGrad(wx, wRec, 2);
        msx = 0.9 * msx + 0.1 * g.gx * g.gx;
        msr = 0.9 * msr + 0.1 * g.gRec * g.gRec;
        wx -= (1e-2 * g.gx) / Math.sqrt(msx + 1e-6);
        wRec -= (1e-2 * g.gRec) / Math.sqrt(msr + 1e-6);
      }
    } finally {
      await pool.dispose();
    }
    return [wx, wRec];
  };
  const one = await run(1);
  expect(await run(2)).toEqual(one);
  expect(one[0]).not.toBe(0.09);
});

test('a disposed pool refuses work', async () => {
  const d = countOnes({ samples: 10, length: 3, rng: new RandomState(2) });
  const pool = await counterThreads(d, { threads: 2 });
  await pool.dispose();
  expect(() => pool.lossGrad(1, 1, 2)).toThrow(/disposed/);
});
