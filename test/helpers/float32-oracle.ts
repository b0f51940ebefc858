// Pieces of the float32 oracles that check the core's kernels bit for bit (test/cells/products-bits,
// gru-bits): every operation rounded with Math.fround, in the order the kernels promise.

const f = Math.fround;

/** A float32 stream of rough values (every bit of the mantissa in use), from a seeded LCG. */
export function rough(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return f((s / 2 ** 32 - 0.5) * 1.3);
  };
}

/** The linear head's outputs for one sample's last state h into y at y0: bo + Σj h[j]·Wo[j] with j in order (mm's sums). */
export function linearHead(h: readonly number[], Wo: readonly (readonly number[])[], bo: readonly number[], y: Float32Array, y0: number): void {
  for (let o = 0; o < bo.length; o++) {
    let c = bo[o]!;
    for (let j = 0; j < h.length; j++) c = f(c + f(h[j]! * Wo[j]![o]!));
    y[y0 + o] = c;
  }
}

/** Every place where `got`'s bits differ from the oracle's `want` (Object.is: −0 and NaN count), as `name[i] = got, oracle want`. */
export function bitDifferences(name: string, got: ArrayLike<number>, want: ArrayLike<number>): string[] {
  return Array.from(want, (w, i) => (Object.is(got[i], w) ? '' : `${name}[${i}] = ${got[i]}, oracle ${w}`)).filter((d) => d !== '');
}
