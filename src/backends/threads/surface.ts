// The counter's loss surface over a thread pool (./pool.ts): one round of KERNEL_LINEAR_SURFACE whose
// blocks are the grid's rows; every point is computed on its own by the same kernel as on one
// thread, so the grid is the same bits for any thread count, and nothing is summed across threads.
import {
  KERNEL_LINEAR_SURFACE, TK_BLOCK, TK_BLOCKS, TK_ITEMS, TK_KERNEL, TK_RESULT, TK_THREADS, TK_WORDS, TS_N, TS_NX, TS_SCALE,
  TS_STEPS, TS_T, TS_WREC, TS_WX, TS_X,
} from '../../abi/threads.js';
import type { Sequences } from '../../data/sequences.js';
import { startPool, writeTask } from './pool.js';

/** `loss[j·nx + i]` at (wx[i], wRec[j]) times `scale`, rows shared out over `threads` threads; the pool lives for this call. */
export async function threadedSurface(data: Sequences, wx: ArrayLike<number>, wRec: ArrayLike<number>, scale: number, threads: number): Promise<Float32Array> {
  const { samples: n, steps: T } = data;
  const nx = wx.length, nr = wRec.length;
  const sizes = [TK_WORDS * 4, n * T * 4, n * 4, nx * 4, nr * 4, nx * nr * 4];
  const pool = await startPool(threads, sizes.reduce((a, b) => a + b + 16, 0), 'grid');
  try {
    const { arena } = pool;
    const [task, x, t, ax, ar, out] = arena.allocAll(sizes, 'grid') as [number, number, number, number, number, number];
    const f32 = arena.f32, i32 = arena.i32;
    f32.set(data.x.subarray(0, n * T), x >>> 2);
    f32.set(data.targets.subarray(0, n), t >>> 2);
    f32.set(wx, ax >>> 2);
    f32.set(wRec, ar >>> 2);
    writeTask(i32, task, [[TK_KERNEL, KERNEL_LINEAR_SURFACE], [TK_THREADS, threads], [TK_BLOCKS, nr], [TK_BLOCK, 1], [TK_ITEMS, nr], [TK_RESULT, out],
      [TS_X, x], [TS_T, t], [TS_N, n], [TS_STEPS, T], [TS_WX, ax], [TS_NX, nx], [TS_WREC, ar]]);
    arena.f64[(task >>> 3) + TS_SCALE / 2] = scale;
    pool.run(task);
    return arena.f32.slice(out >>> 2, (out >>> 2) + nx * nr);
  } finally {
    pool.dispose();
  }
}
