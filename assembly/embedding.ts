// The embedding input layer: a table E f32[V][D] (Keras's `embeddings`) looked up by token ids.
//   forward   e[k][b] = E[x[k][b]]              (a gather)
//   backward  gE[x[k][b]] += de[k][b]           (a scatter-add into only the rows the batch used)
// Shapes: ids x f32[T][·] holding integers, step k's B ids at x + k·xs (floats); e, de f32[T][B][D].
// The host checks every id before any call; an id outside [0, V) traps here all the same.

type float = f32;

/** Row id of sample b at step k, checked against V. */
// @ts-ignore: decorator
@inline function id(x: usize, xs: i32, k: i32, b: i32, V: i32): i32 {
  const v = <i32>load<float>(x + (<usize>(k * xs + b) << 2));
  if (v < 0 || v >= V) unreachable();
  return v;
}

/** e[k][b] = E[x[k][b]] for T steps of B ids. */
export function embeddingForward(x: usize, xs: i32, B: i32, T: i32, E: usize, V: i32, D: i32, e: usize): void {
  const row = <usize>D << 2;
  for (let k = 0; k < T; k++) {
    for (let b = 0; b < B; b++) memory.copy(e + <usize>(k * B + b) * row, E + <usize>id(x, xs, k, b, V) * row, row);
  }
}

/** gE[x[k][b]] += de[k][b]: adds into the gradient rows of the ids the batch used, leaves every other row alone. */
export function embeddingBackward(x: usize, xs: i32, B: i32, T: i32, gE: usize, V: i32, D: i32, de: usize): void {
  const row = <usize>D << 2;
  for (let k = 0; k < T; k++) {
    for (let b = 0; b < B; b++) {
      const g = gE + <usize>id(x, xs, k, b, V) * row, d = de + <usize>(k * B + b) * row;
      for (let j = 0; j < D; j++) {
        const q = <usize>j << 2;
        store<float>(g + q, load<float>(g + q) + load<float>(d + q));
      }
    }
  }
}
