// The plain-TypeScript twin of assembly/wiring.ts: the copies between layers that RepeatVector and
// Bidirectional need, rows of floats in time-major arrays. Arithmetic is float64.
//   merge:  y[t] = [hf[t] | hb[T-1-t]] (concat) or hf[t] + hb[T-1-t] (sum), rows of B·H
//   split:  dhf[t] = dy[t][:H], dhb[T-1-t] = dy[t][H:] (concat) or dhf[t] = dhb[T-1-t] = dy[t] (sum)
//   addReversed: dst[t] += src[T-1-t];  sumSteps: dst = Σt src[t]  (rows of n)

/** Merge a bidirectional layer's outputs: hf, hb [T][B][H] (the backward copy's in its own, reversed, time) into y [T][B][W]. */
export function biMerge(y: Float64Array, hf: ArrayLike<number>, hb: ArrayLike<number>, T: number, B: number, H: number, concat: boolean): void {
  const W = concat ? 2 * H : H;
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < B; r++) {
      const o = (t * B + r) * W, f = (t * B + r) * H, b = ((T - 1 - t) * B + r) * H;
      for (let j = 0; j < H; j++) {
        if (concat) {
          y[o + j] = hf[f + j]!;
          y[o + H + j] = hb[b + j]!;
        } else y[o + j] = hf[f + j]! + hb[b + j]!;
      }
    }
  }
}

/** biMerge backwards: dy [T][B][W] into dhf, dhb [T][B][H] (overwritten). */
export function biSplit(dy: ArrayLike<number>, dhf: Float64Array, dhb: Float64Array, T: number, B: number, H: number, concat: boolean): void {
  const W = concat ? 2 * H : H;
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < B; r++) {
      const o = (t * B + r) * W, f = (t * B + r) * H, b = ((T - 1 - t) * B + r) * H;
      for (let j = 0; j < H; j++) {
        dhf[f + j] = dy[o + j]!;
        dhb[b + j] = dy[o + (concat ? H : 0) + j]!;
      }
    }
  }
}

/** dst[t] += src[T-1-t] for T rows of n: the backward copy's dx, back in forward time. */
export function addReversed(dst: Float64Array, src: ArrayLike<number>, T: number, n: number): void {
  for (let t = 0; t < T; t++) for (let e = 0; e < n; e++) dst[t * n + e]! += src[(T - 1 - t) * n + e]!;
}

/** dst[0..n) = Σt src[t] over T rows of n: RepeatVector's backward, every step's gradient into the one repeated row. */
export function sumSteps(dst: Float64Array, src: ArrayLike<number>, T: number, n: number): void {
  for (let e = 0; e < n; e++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += src[t * n + e]!;
    dst[e] = s;
  }
}
