// Kernel probes for bench/kernels.js (built separately; not part of the core): the Elman kernel's
// activations and matrix products called `reps` times over one block, so one host call times many.
import { activate } from '../activations';
import { mm, mmPanels, mmT, mmTPacked, packPanels } from '../matmul';

/** Apply activation `act` in place to len floats at p, reps times. */
export function activateReps(p: usize, len: i32, act: i32, reps: i32): void {
  for (let r = 0; r < reps; r++) activate(p, len, act);
}

/** C[M][N] += A[M][K]·B[K][N], reps times (contiguous, strides = widths). */
export function mmReps(A: usize, Bm: usize, C: usize, M: i32, K: i32, N: i32, reps: i32): void {
  for (let r = 0; r < reps; r++) mm(A, K, Bm, N, C, N, M, K, N, true);
}

/** mmReps through B's column panels at P, packed again before every 20 products (a 20-step call packs once). */
export function mmPanelsReps(A: usize, Bm: usize, P: usize, C: usize, M: i32, K: i32, N: i32, reps: i32): void {
  for (let r = 0; r < reps; r++) {
    if (r % 20 == 0) packPanels(Bm, N, K, N, P);
    mmPanels(A, K, Bm, N, P, C, N, M, K, N, true);
  }
}

/** C[K][N] += A[M][K]ᵀ·B[M][N], reps times. */
export function mmTReps(A: usize, Bm: usize, C: usize, M: i32, K: i32, N: i32, reps: i32): void {
  for (let r = 0; r < reps; r++) mmT(A, K, Bm, N, C, N, M, K, N);
}

/** mmTReps through packed chunks (scratch at S). */
export function mmTPackedReps(A: usize, Bm: usize, C: usize, M: i32, K: i32, N: i32, reps: i32, S: usize): void {
  for (let r = 0; r < reps; r++) mmTPacked(A, K, Bm, N, C, N, M, K, N, S);
}
