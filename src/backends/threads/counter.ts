// The counter's loss and gradient over a thread pool (./pool.ts): the data copied once into the
// pool's memory, each epoch one round of KERNEL_LINEAR_LOSS_GRAD over blocks of samples fixed by
// the data's size alone, the blocks' f64 sums added in block order by the core: the same bits for
// every thread count.
import { GROUP } from '../../abi/codes.js';
import {
  KERNEL_LINEAR_LOSS_GRAD, TK_BLOCK, TK_BLOCKS, TK_ITEMS, TK_KERNEL, TK_OUT, TK_OUT_STRIDE, TK_RESULT, TK_SCRATCH,
  TK_SCRATCH_STRIDE, TK_THREADS, TK_WORDS, TL_BYTES, TL_C, TL_STEPS, TL_T, TL_WREC, TL_WX, TL_X,
} from '../../abi/threads.js';
import type { Sequences } from '../../data/sequences.js';
import { BYTES_FROM } from '../wasm/linear.js';
import { startPool, writeTask } from './pool.js';

/** Scratch bytes per step per thread: a group's 16 states and a 4-sample tail's beside them (assembly/linear.ts lossGrad). */
const SCRATCH_ROW = 4 * (GROUP + 4);

/** At most this many blocks: enough to share out evenly over a few threads, few enough that summing them costs nothing. */
export const MAX_BLOCKS = 64;

/** Samples per block: whole groups of the kernel, at most MAX_BLOCKS blocks; a function of n alone. */
export function blockSize(n: number): number {
  return GROUP * Math.max(1, Math.ceil(Math.ceil(n / GROUP) / MAX_BLOCKS));
}

/** A placement's threads: `lossGrad` is synchronous (the calling thread runs its share, then waits). */
export interface CounterPool {
  readonly threads: number;
  /** Whether the inputs are held as u8 (0/1 data). */
  readonly bytes: boolean;
  /** Writes [Σ e², ∂L/∂wx, ∂L/∂wRec] at (wx, wRec) into `out`, dL/dy = c·e. */
  lossGrad(wx: number, wRec: number, c: number, out: Float64Array): void;
  dispose(): void;
  readonly closed: Promise<void>;
}

/** True when every value is 0 or 1 (−0 counts as 0). */
function zeroOne(x: Float32Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0 && x[i] !== 1) return false;
  return true;
}

/** Copy `data` into a fresh pool of `threads` threads. */
export async function counterPool(data: Sequences, threads: number): Promise<CounterPool> {
  const { samples: n, steps: T } = data;
  const x = data.x.subarray(0, n * T);
  const bytes = x.length * 4 > BYTES_FROM && zeroOne(x);
  const block = blockSize(n);
  const blocks = Math.ceil(n / block);
  // u8 inputs get 8 bytes of slack: the kernel reads 8 at a time.
  const sizes = [TK_WORDS * 4, bytes ? n * T + 8 : 4 * n * T, 4 * n, threads * SCRATCH_ROW * (T + 1), 24 * blocks, 24];
  const pool = await startPool(threads, sizes.reduce((a, b) => a + b + 16, 0), 'data');
  const { arena, core } = pool;
  const [task, xAt, tAt, scratch, out, result] = arena.allocAll(sizes, 'data') as [number, number, number, number, number, number];
  if (bytes) new Uint8Array(arena.memory.buffer, xAt, x.length).set(x);
  else arena.f32.set(x, xAt >>> 2);
  arena.f32.set(data.targets.subarray(0, n), tAt >>> 2);
  const i32 = arena.i32, f32 = arena.f32;
  const w = task >>> 2;
  writeTask(i32, task, [[TK_KERNEL, KERNEL_LINEAR_LOSS_GRAD], [TK_THREADS, threads], [TK_BLOCKS, blocks], [TK_BLOCK, block], [TK_ITEMS, n],
    [TK_SCRATCH, scratch], [TK_SCRATCH_STRIDE, SCRATCH_ROW * (T + 1)], [TK_OUT, out], [TK_OUT_STRIDE, 24], [TK_RESULT, result],
    [TL_X, xAt], [TL_T, tAt], [TL_STEPS, T], [TL_BYTES, bytes ? 1 : 0]]);
  const sums = new Float64Array(arena.memory.buffer, result, 3);
  return {
    threads,
    bytes,
    closed: pool.closed,
    lossGrad(wx, wRec, c, o) {
      f32[w + TL_WX] = wx;
      f32[w + TL_WREC] = wRec;
      f32[w + TL_C] = c;
      pool.run(task);
      core.threadReduce(task);
      o.set(sums);
    },
    dispose: () => pool.dispose(),
  };
}
