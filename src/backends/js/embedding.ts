// The plain-TypeScript twin of assembly/embedding.ts: a table E [V][D] looked up by token ids.
//   forward   e[k][b] = E[x[k][b]]              (a gather)
//   backward  gE[x[k][b]] += de[k][b]           (a scatter-add into only the rows the batch used)
// Shapes: ids x [T][·], step k's B ids at x[x0 + k·xs]; e, de [T][B][D]; E at p[p0], gE at g[g0]. Float64.

/** e[k][b] = E[x[k][b]] for T steps of B ids. */
export function embeddingForward(x: ArrayLike<number>, x0: number, xs: number, B: number, T: number, p: ArrayLike<number>, p0: number, D: number, e: Float64Array): void {
  for (let k = 0; k < T; k++) {
    for (let b = 0; b < B; b++) {
      const from = p0 + x[x0 + k * xs + b]! * D, to = (k * B + b) * D;
      for (let j = 0; j < D; j++) e[to + j] = p[from + j]!;
    }
  }
}

/** gE[x[k][b]] += de[k][b]: adds into the gradient rows of the ids the batch used, leaves every other row alone. */
export function embeddingBackward(x: ArrayLike<number>, x0: number, xs: number, B: number, T: number, g: Float64Array, g0: number, D: number, de: Float64Array): void {
  for (let k = 0; k < T; k++) {
    for (let b = 0; b < B; b++) {
      const to = g0 + x[x0 + k * xs + b]! * D, from = (k * B + b) * D;
      for (let j = 0; j < D; j++) g[to + j]! += de[from + j]!;
    }
  }
}
