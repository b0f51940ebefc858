/** Where one batch's outputs lie: f32 or f64 [steps][B][O] starting at `at` in `out`. */
export interface BatchOutputs {
  readonly out: Float32Array | Float64Array;
  readonly at: number;
}

/**
 * Outputs f32[steps][n][O] of every sample in the original order, computed in batches of at most
 * `maxBatch` samples: `run(n0, B)` computes samples [n0, n0 + B) and says where their outputs are.
 */
export function outputsInBatches(n: number, maxBatch: number, steps: number, O: number, run: (n0: number, B: number) => BatchOutputs): Float32Array {
  const y = new Float32Array(steps * n * O);
  for (let n0 = 0; n0 < n; n0 += maxBatch) {
    const B = Math.min(maxBatch, n - n0);
    const { out, at } = run(n0, B);
    for (let k = 0; k < steps; k++) y.set(out.subarray(at + k * B * O, at + (k + 1) * B * O), (k * n + n0) * O);
  }
  return y;
}
