// The threads prototype's memory layout, shared by the pool (src/threads/pool.ts) and its workers.

/** Control words (Int32 indices at `ctrl`): generation, command, threads done. */
export const GEN = 0, CMD = 1, DONE = 2;
export const RUN = 1, STOP = 2;

/** Byte offsets of one pool's blocks in the shared memory and the sizes they were made for. */
export interface PoolLayout {
  readonly ctrl: number; // 16 bytes of Int32 control words, then f32 wx, wRec, c
  readonly x: number;
  readonly t: number;
  readonly scratch: number; // one f32x4[T+1] per thread
  readonly out: number; // f64[3] per block
  readonly end: number;
  readonly n: number;
  readonly T: number;
  readonly block: number;
  readonly blocks: number;
  readonly threads: number;
}

/** The contiguous run of blocks thread `p` of `threads` takes: fixed by the counts alone. */
export function blockRange(l: PoolLayout, p: number): [number, number] {
  return [Math.floor((p * l.blocks) / l.threads), Math.floor(((p + 1) * l.blocks) / l.threads)];
}

/** Lay a pool out from byte `base` (16-aligned), every block 16-aligned. */
export function layout(base: number, n: number, T: number, block: number, threads: number): PoolLayout {
  const up = (v: number) => Math.ceil(v / 16) * 16;
  const ctrl = up(base);
  const x = ctrl + 32;
  const t = up(x + 4 * n * T);
  const scratch = up(t + 4 * n);
  const out = up(scratch + threads * 16 * (T + 1));
  const blocks = Math.ceil(n / block);
  return { ctrl, x, t, scratch, out, end: out + 24 * blocks, n, T, block, blocks, threads };
}
