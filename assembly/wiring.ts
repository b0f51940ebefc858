// The copies between layers that Keras's RepeatVector and Bidirectional need (the host wires them,
// src/backends/wasm/stack.ts): rows of floats in time-major arrays, pointers as byte offsets. The
// plain-TS twin is src/backends/js/wiring.ts.
//   merge:  y[t] = [hf[t] | hb[T-1-t]] (concat) or hf[t] + hb[T-1-t] (sum), rows of B·H
//   split:  dhf[t] = dy[t][:H], dhb[T-1-t] = dy[t][H:] (concat) or dhf[t] = dhb[T-1-t] = dy[t] (sum)
//   addReversed: dst[t] += src[T-1-t];  sumSteps: dst = Σt src[t]  (rows of n)

import { addTo, at } from './gates';

/** Merge a bidirectional layer's outputs: hf, hb f32[T][B][H] (the backward copy's in its own, reversed, time) into y f32[T][B][W]. */
export function biMerge(y: usize, hf: usize, hb: usize, T: i32, B: i32, H: i32, concat: i32): void {
  const BH = B * H;
  for (let t = 0; t < T; t++) {
    const f = at(hf, t * BH), b = at(hb, (T - 1 - t) * BH);
    if (concat) {
      for (let r = 0; r < B; r++) {
        const o = at(y, (t * B + r) * 2 * H);
        memory.copy(o, at(f, r * H), <usize>H << 2);
        memory.copy(at(o, H), at(b, r * H), <usize>H << 2);
      }
    } else {
      memory.copy(at(y, t * BH), f, <usize>BH << 2);
      addTo(at(y, t * BH), b, BH);
    }
  }
}

/** biMerge backwards: dy f32[T][B][W] into dhf, dhb f32[T][B][H] (overwritten). */
export function biSplit(dy: usize, dhf: usize, dhb: usize, T: i32, B: i32, H: i32, concat: i32): void {
  const BH = B * H;
  for (let t = 0; t < T; t++) {
    const f = at(dhf, t * BH), b = at(dhb, (T - 1 - t) * BH);
    if (concat) {
      for (let r = 0; r < B; r++) {
        const o = at(dy, (t * B + r) * 2 * H);
        memory.copy(at(f, r * H), o, <usize>H << 2);
        memory.copy(at(b, r * H), at(o, H), <usize>H << 2);
      }
    } else {
      memory.copy(f, at(dy, t * BH), <usize>BH << 2);
      memory.copy(b, at(dy, t * BH), <usize>BH << 2);
    }
  }
}

/** dst[t] += src[T-1-t] for T rows of n: the backward copy's dx, back in forward time. */
export function addReversed(dst: usize, src: usize, T: i32, n: i32): void {
  for (let t = 0; t < T; t++) addTo(at(dst, t * n), at(src, (T - 1 - t) * n), n);
}

/** dst[0..n) = Σt src[t] over T rows of n, in step order: RepeatVector's backward, every step's gradient into the one repeated row. */
export function sumSteps(dst: usize, src: usize, T: i32, n: i32): void {
  memory.copy(dst, src, <usize>n << 2);
  for (let t = 1; t < T; t++) addTo(dst, at(src, t * n), n);
}
