import type { Sequences } from '../../data/sequences.js';
import { core } from './core.js';

/**
 * The counter's loss over a grid in the core (assembly/surface.ts): `loss[j·nx + i]` at
 * (wx[i], wRec[j]), both axes rounded to float32, times `scale`. Memory is released before returning.
 */
export function wasmSurface(data: Sequences, wx: ArrayLike<number>, wRec: ArrayLike<number>, scale: number): Float32Array {
  const { arena, exports } = core();
  const n = data.samples;
  const sizes = [n * data.steps * 4, n * 4, wx.length * 4, wRec.length * 4, wx.length * wRec.length * 4];
  const blocks: number[] = [];
  try {
    for (const bytes of sizes) blocks.push(arena.alloc(bytes, 'grid'));
    const [x, t, ax, ar, out] = blocks as [number, number, number, number, number];
    const f32 = arena.f32;
    f32.set(data.x.subarray(0, n * data.steps), x >>> 2);
    f32.set(data.targets.subarray(0, n), t >>> 2);
    f32.set(wx, ax >>> 2);
    f32.set(wRec, ar >>> 2);
    exports.linearSurface(x, t, n, data.steps, ax, wx.length, ar, wRec.length, scale, out);
    return arena.f32.slice(out >>> 2, (out >>> 2) + wx.length * wRec.length);
  } finally {
    for (const b of blocks) arena.release(b);
  }
}
