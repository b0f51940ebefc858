// The layout of one threaded placement in its shared memory, and the rules that fix the result:
// the blocks depend only on the data's size, a thread's run of blocks only on the counts. Shared by
// the pool (./pool.ts) and its workers (./worker.ts).
import { GROUP } from '../../abi/codes.js';

/** Control words (Int32 indices at `ctrl`): generation, command, threads done, a worker's failure. */
export const GEN = 0, CMD = 1, DONE = 2, FAILED = 3;
export const RUN = 1, STOP = 2;

/** At most this many blocks: enough to share out evenly over a few threads, few enough that summing them costs nothing. */
export const MAX_BLOCKS = 64;

/** Byte offsets of one placement's regions in the shared memory, and the sizes they were made for. */
export interface PoolLayout {
  readonly ctrl: number; // 16 bytes of Int32 control words, then f32 wx, wRec, c
  readonly x: number;
  readonly t: number;
  readonly scratch: number; // one f32[T+1][16] per thread
  readonly out: number; // f64[3] per block
  readonly end: number;
  readonly n: number;
  readonly T: number;
  readonly bytes: boolean;
  readonly block: number;
  readonly blocks: number;
  readonly threads: number;
}

/** Samples per block: whole groups of the kernel, at most MAX_BLOCKS blocks; a function of n alone. */
export function blockSize(n: number): number {
  return GROUP * Math.max(1, Math.ceil(Math.ceil(n / GROUP) / MAX_BLOCKS));
}

/** The contiguous run of blocks thread `p` of `threads` takes. */
export function blockRange(l: PoolLayout, p: number): [number, number] {
  return [Math.floor((p * l.blocks) / l.threads), Math.floor(((p + 1) * l.blocks) / l.threads)];
}

/** Lay a placement out from byte `base`, every region 16-aligned; u8 inputs get 8 bytes of slack (the kernel reads 8 at a time). */
export function layout(base: number, n: number, T: number, bytes: boolean, threads: number): PoolLayout {
  const up = (v: number) => Math.ceil(v / 16) * 16;
  const ctrl = up(base);
  const x = ctrl + 32;
  const t = up(x + (bytes ? n * T + 8 : 4 * n * T));
  const scratch = up(t + 4 * n);
  const out = up(scratch + threads * 64 * (T + 1));
  const block = blockSize(n);
  const blocks = Math.ceil(n / block);
  return { ctrl, x, t, scratch, out, end: out + 24 * blocks, n, T, bytes, block, blocks, threads };
}
