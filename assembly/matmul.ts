// Dense f32 matrix products over byte offsets, row-major with strides in floats: the batched
// products of assembly/elman.ts. f32x4 over columns with register blocks of 4 rows × 8 columns;
// the row and column tails run one row at a time (f32x4, then scalar). Nothing here allocates.
// Scalars are broadcast with v128.load32_splat, which V8 emits as one load (vbroadcastss from
// memory); f32x4.splat(load) became a load plus a register shuffle that competes with the multiplies
// and adds for the same pipes (hidden 128: 73–81% of peak before, 88% after).

type float = f32;

/**
 * c + a·b on four lanes: f32x4.relaxed_madd in the relaxed-SIMD core (build/elman.relaxed.wasm,
 * asconfig.relaxed.json), fused or not as the engine decides (V8 fuses where the CPU has FMA), else
 * a multiply and an add, each rounded. Every vector product of this file and ./elman.ts goes through it.
 */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * C[M][N] = (acc ? C : 0) + A[M][K]·Bm[K][N]; strides in floats. Blocks of 4 rows × 8 columns keep
 * eight f32x4 sums in registers and load each row of Bm once for four rows of A; tails go to mmRows.
 */
export function mm(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, K: i32, N: i32, acc: bool): void {
  const m4 = M & ~3, n8 = N & ~7;
  const sa = <usize>lda << 2, sb = <usize>ldb << 2, sc = <usize>ldc << 2;
  for (let m = 0; m < m4; m += 4) {
    const a = A + (<usize>(m * lda) << 2);
    const c = C + (<usize>(m * ldc) << 2);
    for (let n = 0; n < n8; n += 8) {
      const cn = c + (<usize>n << 2);
      let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      if (acc) {
        c00 = v128.load(cn); c01 = v128.load(cn, 16);
        c10 = v128.load(cn + sc); c11 = v128.load(cn + sc, 16);
        c20 = v128.load(cn + 2 * sc); c21 = v128.load(cn + 2 * sc, 16);
        c30 = v128.load(cn + 3 * sc); c31 = v128.load(cn + 3 * sc, 16);
      }
      let b = Bm + (<usize>n << 2), ak = a;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(b), b1 = v128.load(b, 16);
        const a0 = v128.load32_splat(ak), a1 = v128.load32_splat(ak + sa);
        const a2 = v128.load32_splat(ak + 2 * sa), a3 = v128.load32_splat(ak + 3 * sa);
        c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
        c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
        c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
        c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
        b += sb; ak += 4;
      }
      v128.store(cn, c00); v128.store(cn, c01, 16);
      v128.store(cn + sc, c10); v128.store(cn + sc, c11, 16);
      v128.store(cn + 2 * sc, c20); v128.store(cn + 2 * sc, c21, 16);
      v128.store(cn + 3 * sc, c30); v128.store(cn + 3 * sc, c31, 16);
    }
    if (n8 < N) mmRows(A, lda, Bm, ldb, C, ldc, m, m + 4, K, n8, N, acc);
  }
  mmRows(A, lda, Bm, ldb, C, ldc, m4, M, K, 0, N, acc);
}

/** Rows m0..m1, columns n0..N of mm, one row at a time: f32x4 over 4 columns, then scalar. */
function mmRows(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, m0: i32, m1: i32, K: i32, n0: i32, N: i32, acc: bool): void {
  const n4 = n0 + ((N - n0) & ~3);
  const sb = <usize>ldb << 2;
  for (let m = m0; m < m1; m++) {
    const a = A + (<usize>(m * lda) << 2);
    const c = C + (<usize>(m * ldc) << 2);
    let n = n0;
    for (; n < n4; n += 4) {
      const cn = c + (<usize>n << 2);
      let c0 = acc ? v128.load(cn) : f32x4.splat(0);
      let bk = Bm + (<usize>n << 2);
      for (let k = 0; k < K; k++) {
        c0 = madd(v128.load32_splat(a + (<usize>k << 2)), v128.load(bk), c0);
        bk += sb;
      }
      v128.store(cn, c0);
    }
    for (; n < N; n++) {
      const cn = c + (<usize>n << 2);
      let s: float = acc ? load<float>(cn) : 0;
      for (let k = 0; k < K; k++) s += load<float>(a + (<usize>k << 2)) * load<float>(Bm + (<usize>(k * ldb + n) << 2));
      store<float>(cn, s);
    }
  }
}

/**
 * C[K][N] += Σm A[m][k]·Bm[m][n] (Aᵀ·B over M rows), in chunks of rows whose A and B rows fit in
 * about 32 KiB (L1): every register block of C streams the chunk again, so long reductions (the weight
 * gradients over all steps × samples) would otherwise stream from L2 or L3 once per block (hidden 128,
 * 2,000 rows: 46% of peak unchunked, 62–72% in 128 KiB chunks, 80% in 32 KiB).
 * Each sum still runs over m in order (C is stored and reloaded exactly between chunks): same bits.
 */
export function mmT(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, K: i32, N: i32): void {
  const chunk = max<i32>(16, (8192 / (lda + ldb)) & ~7);
  for (let m0 = 0; m0 < M; m0 += chunk) {
    mmTChunk(A + (<usize>(m0 * lda) << 2), lda, Bm + (<usize>(m0 * ldb) << 2), ldb, C, ldc, min<i32>(chunk, M - m0), K, N);
  }
}

/** mmT over M rows at once; 4×8 register blocks, then row and column tails. */
function mmTChunk(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, K: i32, N: i32): void {
  const k4 = K & ~3, n8 = N & ~7, n4 = N & ~3;
  const sa = <usize>lda << 2, sb = <usize>ldb << 2, sc = <usize>ldc << 2;
  for (let k = 0; k < k4; k += 4) {
    const c = C + (<usize>(k * ldc) << 2);
    for (let n = 0; n < n8; n += 8) {
      const cn = c + (<usize>n << 2);
      let c00 = v128.load(cn), c01 = v128.load(cn, 16);
      let c10 = v128.load(cn + sc), c11 = v128.load(cn + sc, 16);
      let c20 = v128.load(cn + 2 * sc), c21 = v128.load(cn + 2 * sc, 16);
      let c30 = v128.load(cn + 3 * sc), c31 = v128.load(cn + 3 * sc, 16);
      let a = A + (<usize>k << 2), b = Bm + (<usize>n << 2);
      for (let m = 0; m < M; m++) {
        const b0 = v128.load(b), b1 = v128.load(b, 16);
        const a0 = v128.load32_splat(a), a1 = v128.load32_splat(a, 4);
        const a2 = v128.load32_splat(a, 8), a3 = v128.load32_splat(a, 12);
        c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
        c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
        c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
        c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
        a += sa; b += sb;
      }
      v128.store(cn, c00); v128.store(cn, c01, 16);
      v128.store(cn + sc, c10); v128.store(cn + sc, c11, 16);
      v128.store(cn + 2 * sc, c20); v128.store(cn + 2 * sc, c21, 16);
      v128.store(cn + 3 * sc, c30); v128.store(cn + 3 * sc, c31, 16);
    }
    mmTRows(A, lda, Bm, ldb, C, ldc, M, k, k + 4, n8, N);
  }
  mmTRows(A, lda, Bm, ldb, C, ldc, M, k4, K, 0, N);
}

/**
 * The tails of mmT: rows k0..k1 of C, columns n0..N, one row at a time: 8 columns in two f32x4 sums
 * (independent chains: one chain waited on each add's latency, which the input-weight gradient at
 * I = 2, wholly a tail, paid on every step), then 4, then scalar.
 */
function mmTRows(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, k0: i32, k1: i32, n0: i32, N: i32): void {
  const n8 = n0 + ((N - n0) & ~7), n4 = n0 + ((N - n0) & ~3);
  const sa = <usize>lda << 2, sb = <usize>ldb << 2;
  for (let k = k0; k < k1; k++) {
    const c = C + (<usize>(k * ldc) << 2);
    let n = n0;
    for (; n < n8; n += 8) {
      const cn = c + (<usize>n << 2);
      let c0 = v128.load(cn), c1 = v128.load(cn, 16);
      let a = A + (<usize>k << 2), b = Bm + (<usize>n << 2);
      for (let m = 0; m < M; m++) {
        const ak = v128.load32_splat(a);
        c0 = madd(ak, v128.load(b), c0);
        c1 = madd(ak, v128.load(b, 16), c1);
        a += sa; b += sb;
      }
      v128.store(cn, c0); v128.store(cn, c1, 16);
    }
    for (; n < n4; n += 4) {
      const cn = c + (<usize>n << 2);
      let c0 = v128.load(cn);
      let a = A + (<usize>k << 2), b = Bm + (<usize>n << 2);
      for (let m = 0; m < M; m++) {
        c0 = madd(v128.load32_splat(a), v128.load(b), c0);
        a += sa; b += sb;
      }
      v128.store(cn, c0);
    }
    for (; n < N; n++) {
      const cn = c + (<usize>n << 2);
      let s = load<float>(cn);
      let a = A + (<usize>k << 2), b = Bm + (<usize>n << 2);
      for (let m = 0; m < M; m++) {
        s += load<float>(a) * load<float>(b);
        a += sa; b += sb;
      }
      store<float>(cn, s);
    }
  }
}

/** c[n] += Σm A[m][n] over M contiguous rows of N floats. */
export function colSum(A: usize, M: i32, N: i32, c: usize): void {
  colSumS(A, N, M, N, c);
}

/**
 * c[n] += Σm A[m][n] over M rows of stride lda floats: each sum runs over m in order, in registers
 * over blocks of 16, 8, 4 columns (independent chains; adding into c in memory row by row waited on
 * a store and a reload per row: 11% of the hidden-8 Elman epoch), then one column at a time.
 */
export function colSumS(A: usize, lda: i32, M: i32, N: i32, c: usize): void {
  const sa = <usize>lda << 2;
  let n = 0;
  for (; n + 16 <= N; n += 16) {
    const cn = c + (<usize>n << 2);
    let s0 = v128.load(cn), s1 = v128.load(cn, 16), s2 = v128.load(cn, 32), s3 = v128.load(cn, 48);
    let a = A + (<usize>n << 2);
    for (let m = 0; m < M; m++) {
      s0 = f32x4.add(s0, v128.load(a)); s1 = f32x4.add(s1, v128.load(a, 16));
      s2 = f32x4.add(s2, v128.load(a, 32)); s3 = f32x4.add(s3, v128.load(a, 48));
      a += sa;
    }
    v128.store(cn, s0); v128.store(cn, s1, 16); v128.store(cn, s2, 32); v128.store(cn, s3, 48);
  }
  for (; n + 8 <= N; n += 8) {
    const cn = c + (<usize>n << 2);
    let s0 = v128.load(cn), s1 = v128.load(cn, 16);
    let a = A + (<usize>n << 2);
    for (let m = 0; m < M; m++) {
      s0 = f32x4.add(s0, v128.load(a)); s1 = f32x4.add(s1, v128.load(a, 16));
      a += sa;
    }
    v128.store(cn, s0); v128.store(cn, s1, 16);
  }
  for (; n + 4 <= N; n += 4) {
    const cn = c + (<usize>n << 2);
    let s0 = v128.load(cn);
    let a = A + (<usize>n << 2);
    for (let m = 0; m < M; m++) {
      s0 = f32x4.add(s0, v128.load(a));
      a += sa;
    }
    v128.store(cn, s0);
  }
  for (; n < N; n++) {
    const cn = c + (<usize>n << 2);
    let s = load<float>(cn);
    let a = A + (<usize>n << 2);
    for (let m = 0; m < M; m++) {
      s += load<float>(a);
      a += sa;
    }
    store<float>(cn, s);
  }
}

/** Every one of M rows (stride ld floats) starts with a copy of the N floats at b: the bias broadcast, f32x4 then scalar (memory.copy per row is a call out of the module in V8). */
export function fillRows(A: usize, ld: i32, M: i32, b: usize, N: i32): void {
  const n4 = N & ~3;
  for (let m = 0; m < M; m++) {
    const a = A + (<usize>(m * ld) << 2);
    let n = 0;
    for (; n < n4; n += 4) v128.store(a + (<usize>n << 2), v128.load(b + (<usize>n << 2)));
    for (; n < N; n++) store<float>(a + (<usize>n << 2), load<float>(b + (<usize>n << 2)));
  }
}

/** dst[c][r] = src[r][c] for a rows × cols matrix. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    store<float>(dst + (<usize>(c * rows + r) << 2), load<float>(src + (<usize>(r * cols + c) << 2)));
  }
}
