import { beforeAll, expect, test, vi } from 'vitest';
import { KERNEL_LINEAR_SURFACE, TK_BLOCK, TK_BLOCKS, TK_ITEMS, TK_KERNEL, TK_RESULT, TK_THREADS, TK_WORDS, TS_N, TS_NX, TS_SCALE, TS_STEPS, TS_T, TS_WREC, TS_WX, TS_X } from '../../src/abi/threads.js';
import { liveWorkers, startPool } from '../../src/backends/threads/pool.js';
import { init } from '../../src/backends/wasm/core.js';
import { DisposedError, ElmanError } from '../../src/errors.js';

// The pool itself, through a task block written by hand: rows of the counter's loss surface (one
// row per block, row j computed by thread ⌊j·threads/blocks⌋), checked against the formula.

beforeAll(() => init());

test('a round shares the rows out; a worker that traps fails the round with an ElmanError and the next round runs; dispose stops the workers', async () => {
  const pool = await startPool(2, 4096, 'test');
  try {
    const { arena } = pool;
    // One sample of two steps: x = [1, 2], target 0, so the loss at (wx, wRec) is (2·wx + wx·wRec)².
    const [task, x, t, ax, ar, out] = arena.allocAll([TK_WORDS * 4, 8, 4, 8, 8, 16], 'test') as [number, number, number, number, number, number];
    arena.f32.set([1, 2], x >>> 2);
    arena.f32.set([0], t >>> 2);
    arena.f32.set([0.5, 1], ax >>> 2);
    arena.f32.set([0.25, -1], ar >>> 2);
    const w = task >>> 2;
    const write = (wRec: number) => {
      const i32 = arena.i32;
      for (const [k, v] of [[TK_KERNEL, KERNEL_LINEAR_SURFACE], [TK_THREADS, 2], [TK_BLOCKS, 2], [TK_BLOCK, 1], [TK_ITEMS, 2], [TK_RESULT, out],
        [TS_X, x], [TS_T, t], [TS_N, 1], [TS_STEPS, 2], [TS_WX, ax], [TS_NX, 2], [TS_WREC, wRec]] as const) i32[w + k] = v;
      arena.f64[(task >>> 3) + TS_SCALE / 2] = 1;
    };
    const expected = [0.25, -1].flatMap((r) => [0.5, 1].map((wx) => Math.fround((Math.fround(2 * wx) + Math.fround(Math.fround(wx) * r)) ** 2)));
    write(ar);
    pool.run(task);
    expect(Array.from(arena.f32.subarray(out >>> 2, (out >>> 2) + 4))).toEqual(expected);
    // Row 1 (the worker's) reads its wRec past the end of memory: only the worker traps.
    write(arena.memory.buffer.byteLength - 4);
    expect(() => pool.run(task)).toThrow(ElmanError);
    expect(() => pool.run(task)).toThrow(/a worker thread failed/);
    arena.f32.fill(0, out >>> 2, (out >>> 2) + 4);
    write(ar);
    pool.run(task);
    expect(Array.from(arena.f32.subarray(out >>> 2, (out >>> 2) + 4))).toEqual(expected);
  } finally {
    pool.dispose();
  }
  expect(() => pool.run(0)).toThrow(DisposedError);
  await pool.closed;
  await vi.waitFor(() => expect(liveWorkers()).toBe(0));
});
