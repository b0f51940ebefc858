// Dense f32 matrix products over byte offsets, row-major with strides in floats: the batched
// products of the recurrent layers and the head. f32x4 over columns with register blocks of 4 rows × 8 columns;
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

/** 32 zero bytes: the starting sums of a product that does not accumulate. */
const ZERO = memory.data(32, 16);

/**
 * The register block every product here runs: four rows of eight columns, c[j] = init[j] (rows si
 * bytes apart) + Σk a[j][k]·b[k], k in order, stored at c (rows sc bytes apart). Eight f32x4 sums
 * stay in registers; each step loads one row of b (two vectors; rows sb bytes apart) for the four
 * rows and broadcasts one value of each row of a: row j's at a + j·aj, the next step's at a + ak
 * (mm: aj = a row, ak = 4 bytes; mmT, which runs down the columns of Aᵀ, the other way round).
 */
// @ts-ignore: decorator
@inline function block(a: usize, aj: usize, ak: usize, b: usize, sb: usize, K: i32, init: usize, si: usize, c: usize, sc: usize): void {
  let c00 = v128.load(init), c01 = v128.load(init, 16);
  let c10 = v128.load(init + si), c11 = v128.load(init + si, 16);
  let c20 = v128.load(init + 2 * si), c21 = v128.load(init + 2 * si, 16);
  let c30 = v128.load(init + 3 * si), c31 = v128.load(init + 3 * si, 16);
  for (let k = 0; k < K; k++) {
    const v0 = v128.load(b), v1 = v128.load(b, 16);
    const x0 = v128.load32_splat(a), x1 = v128.load32_splat(a + aj);
    const x2 = v128.load32_splat(a + 2 * aj), x3 = v128.load32_splat(a + 3 * aj);
    c00 = madd(x0, v0, c00); c01 = madd(x0, v1, c01);
    c10 = madd(x1, v0, c10); c11 = madd(x1, v1, c11);
    c20 = madd(x2, v0, c20); c21 = madd(x2, v1, c21);
    c30 = madd(x3, v0, c30); c31 = madd(x3, v1, c31);
    b += sb; a += ak;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + sc, c10); v128.store(c + sc, c11, 16);
  v128.store(c + 2 * sc, c20); v128.store(c + 2 * sc, c21, 16);
  v128.store(c + 3 * sc, c30); v128.store(c + 3 * sc, c31, 16);
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
      block(a, sa, 4, Bm + (<usize>n << 2), sb, K, acc ? cn : ZERO, acc ? sc : 0, cn, sc);
    }
    if (n8 < N) mmRows(A, lda, Bm, ldb, C, ldc, m, m + 4, K, n8, N, acc);
  }
  mmRows(A, lda, Bm, ldb, C, ldc, m4, M, K, 0, N, acc);
}

/**
 * The column panels of B that mmPanels reads: P[j][k][0..8) = Bm[k][8j..8j+8)
 * for the N/8 full panels (K·8 floats each, contiguous); the last N mod 8 columns stay in Bm. A copy:
 * no rounding. Rows of B 2 KiB apart (hidden 512) fall into two of L1's 64 sets, so an unpacked
 * panel never stays in L1 and every 4-row block streamed all of B from L2 or beyond.
 */
export function packPanels(Bm: usize, ldb: i32, K: i32, N: i32, P: usize): void {
  packGroups(Bm, ldb, K, N & ~7, 8, P);
}

/** Whether a product of M rows by N columns reads B from panels: at least two panels, and blocks enough to pay for the copy. */
// @ts-ignore: decorator
@inline export function usePanels(M: i32, N: i32): bool {
  return N >= 16 && M >= 8;
}

/**
 * mm with B's full column panels read from P (packPanels of Bm): each panel (K·32 bytes, contiguous)
 * serves every 4-row block of A in turn while it sits in L1. Same blocks, same sums: same bits as mm.
 * The column and row tails read Bm.
 */
export function mmPanels(A: usize, lda: i32, Bm: usize, ldb: i32, P: usize, C: usize, ldc: i32, M: i32, K: i32, N: i32, acc: bool): void {
  const m4 = M & ~3, n8 = N & ~7;
  const sa = <usize>lda << 2, sc = <usize>ldc << 2, sp = <usize>K << 5;
  for (let n = 0; n < n8; n += 8) {
    const p = P + <usize>(n >> 3) * sp;
    for (let m = 0; m < m4; m += 4) {
      const cn = C + (<usize>(m * ldc + n) << 2);
      block(A + (<usize>(m * lda) << 2), sa, 4, p, 32, K, acc ? cn : ZERO, acc ? sc : 0, cn, sc);
    }
  }
  if (n8 < N) mmRows(A, lda, Bm, ldb, C, ldc, 0, m4, K, n8, N, acc);
  mmRows(A, lda, Bm, ldb, C, ldc, m4, M, K, 0, N, acc);
}

/**
 * C[M][N] = bias[N] + A1[M][K1]·B1[K1][N] + A2[M][K2]·B2[K2][N], B1 and B2 with rows of ldb floats, C
 * of ldc: a layer's pre-activation x·K + h·R + b. Each register block starts from the bias, adds
 * the K1 terms, is stored and read straight back (store forwarding) for the K2 terms: the sums
 * fillRows + mm + mm make (same bits), without their passes over C (hidden 8: 8–10% of the Elman
 * batch; one block for both sources measured 4–6% slower in mm at hidden 8: V8 kept fewer of the
 * sums in registers). The tails run exactly fillRows + mm + mm.
 */
export function mmAffine(A1: usize, lda1: i32, B1: usize, K1: i32, A2: usize, lda2: i32, B2: usize, K2: i32, ldb: i32, bias: usize, C: usize, ldc: i32, M: i32, N: i32): void {
  const m4 = M & ~3, n8 = N & ~7;
  const s1 = <usize>lda1 << 2, s2 = <usize>lda2 << 2, sb = <usize>ldb << 2, sc = <usize>ldc << 2;
  for (let m = 0; m < m4; m += 4) {
    const a1 = A1 + (<usize>(m * lda1) << 2), a2 = A2 + (<usize>(m * lda2) << 2);
    const c = C + (<usize>(m * ldc) << 2);
    for (let n = 0; n < n8; n += 8) {
      const bn = <usize>n << 2, cn = c + bn;
      block(a1, s1, 4, B1 + bn, sb, K1, bias + bn, 0, cn, sc);
      block(a2, s2, 4, B2 + bn, sb, K2, cn, sc, cn, sc); // C read back as it was stored (store forwarding)
    }
    if (n8 < N) {
      fillRows(c + (<usize>n8 << 2), ldc, 4, bias + (<usize>n8 << 2), N - n8);
      mmRows(A1, lda1, B1, ldb, C, ldc, m, m + 4, K1, n8, N, true);
      mmRows(A2, lda2, B2, ldb, C, ldc, m, m + 4, K2, n8, N, true);
    }
  }
  if (m4 < M) {
    fillRows(C + (<usize>(m4 * ldc) << 2), ldc, M - m4, bias, N);
    mmRows(A1, lda1, B1, ldb, C, ldc, m4, M, K1, 0, N, true);
    mmRows(A2, lda2, B2, ldb, C, ldc, m4, M, K2, 0, N, true);
  }
}

/**
 * Rows m0..m1, columns n0..N of mm, one row at a time: 16 columns in four f32x4 sums (independent
 * chains: a batch of one is wholly this tail, and one chain waited on each add's latency), then 8,
 * 4, scalar. Each column still sums over k in order: the same bits whatever the width.
 */
function mmRows(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, m0: i32, m1: i32, K: i32, n0: i32, N: i32, acc: bool): void {
  const n16 = n0 + ((N - n0) & ~15), n8 = n0 + ((N - n0) & ~7), n4 = n0 + ((N - n0) & ~3);
  const sb = <usize>ldb << 2;
  for (let m = m0; m < m1; m++) {
    const a = A + (<usize>(m * lda) << 2);
    const c = C + (<usize>(m * ldc) << 2);
    let n = n0;
    for (; n < n16; n += 16) {
      const cn = c + (<usize>n << 2);
      let c0 = acc ? v128.load(cn) : f32x4.splat(0), c1 = acc ? v128.load(cn, 16) : f32x4.splat(0);
      let c2 = acc ? v128.load(cn, 32) : f32x4.splat(0), c3 = acc ? v128.load(cn, 48) : f32x4.splat(0);
      let bk = Bm + (<usize>n << 2);
      for (let k = 0; k < K; k++) {
        const ak = v128.load32_splat(a + (<usize>k << 2));
        c0 = madd(ak, v128.load(bk), c0); c1 = madd(ak, v128.load(bk, 16), c1);
        c2 = madd(ak, v128.load(bk, 32), c2); c3 = madd(ak, v128.load(bk, 48), c3);
        bk += sb;
      }
      v128.store(cn, c0); v128.store(cn, c1, 16); v128.store(cn, c2, 32); v128.store(cn, c3, 48);
    }
    for (; n < n8; n += 8) {
      const cn = c + (<usize>n << 2);
      let c0 = acc ? v128.load(cn) : f32x4.splat(0), c1 = acc ? v128.load(cn, 16) : f32x4.splat(0);
      let bk = Bm + (<usize>n << 2);
      for (let k = 0; k < K; k++) {
        const ak = v128.load32_splat(a + (<usize>k << 2));
        c0 = madd(ak, v128.load(bk), c0); c1 = madd(ak, v128.load(bk, 16), c1);
        bk += sb;
      }
      v128.store(cn, c0); v128.store(cn, c1, 16);
    }
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

/**
 * mmT through packed copies of each chunk of rows, in scratch S of at least MT_CHUNK·(K + N) floats
 * the caller provides: A's columns in groups of 4 (SA[K/4][rows][4]) and B's in panels of 8
 * (SB[N/8][rows][8]), so every register block reads contiguous memory where rows 2 KiB apart (hidden
 * 512) fell into two L1 sets, and MT_CHUNK rows per pass over C instead of 16 (C is 1 MiB at 512:
 * each pass streams it from beyond L2). Each sum still runs over m in order: same bits as mmT.
 */
export function mmTPacked(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, K: i32, N: i32, S: usize): void {
  const k4 = K & ~3, n8 = N & ~7, sc = <usize>ldc << 2;
  for (let m0 = 0; m0 < M; m0 += MT_CHUNK) {
    const mc = min<i32>(MT_CHUNK, M - m0), a0 = A + (<usize>(m0 * lda) << 2), b0 = Bm + (<usize>(m0 * ldb) << 2);
    const SA = S, SB = S + (<usize>(mc * k4) << 2);
    packGroups(a0, lda, mc, k4, 4, SA);
    packGroups(b0, ldb, mc, n8, 8, SB);
    for (let n = 0; n < n8; n += 8) {
      const sb = SB + <usize>(n >> 3) * (<usize>mc << 5);
      for (let k = 0; k < k4; k += 4) {
        const cn = C + (<usize>(k * ldc + n) << 2);
        block(SA + <usize>(k >> 2) * (<usize>mc << 4), 4, 16, sb, 32, mc, cn, sc, cn, sc);
      }
    }
    if (n8 < N) mmTRows(a0, lda, b0, ldb, C, ldc, mc, 0, k4, n8, N);
    mmTRows(a0, lda, b0, ldb, C, ldc, mc, k4, K, 0, N);
  }
}

/** Rows per chunk of mmTPacked. */
export const MT_CHUNK = 64;

/** Whether mmT of a K × N result goes through mmTPacked: C of 256 KiB or more (M = 2,000 rows: hidden 256 −10 %, 512 −15 % CPU; 128 the same). */
// @ts-ignore: decorator
@inline export function useMtPacked(K: i32, N: i32): bool {
  return K * N >= 65536;
}

/** Columns 0..cols (a multiple of w = 4 or 8) of `rows` rows (stride ld floats) into S as groups [cols/w][rows][w]. A copy. */
function packGroups(X: usize, ld: i32, rows: i32, cols: i32, w: i32, S: usize): void {
  const sx = <usize>ld << 2;
  for (let c = 0; c < cols; c += w) {
    let x = X + (<usize>c << 2);
    if (w == 8) {
      for (let r = 0; r < rows; r++) {
        v128.store(S, v128.load(x)); v128.store(S, v128.load(x, 16), 16);
        S += 32; x += sx;
      }
    } else {
      for (let r = 0; r < rows; r++) {
        v128.store(S, v128.load(x));
        S += 16; x += sx;
      }
    }
  }
}

/** mmT over M rows at once; 4×8 register blocks, then row and column tails. */
function mmTChunk(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, K: i32, N: i32): void {
  const k4 = K & ~3, n8 = N & ~7;
  const sa = <usize>lda << 2, sb = <usize>ldb << 2, sc = <usize>ldc << 2;
  for (let k = 0; k < k4; k += 4) {
    const c = C + (<usize>(k * ldc) << 2);
    for (let n = 0; n < n8; n += 8) {
      const cn = c + (<usize>n << 2);
      block(A + (<usize>k << 2), 4, sa, Bm + (<usize>n << 2), sb, M, cn, sc, cn, sc);
    }
    mmTRows(A, lda, Bm, ldb, C, ldc, M, k, k + 4, n8, N);
  }
  mmTRows(A, lda, Bm, ldb, C, ldc, M, k4, K, 0, N);
}

/**
 * The tails of mmT: rows k0..k1 of C, columns n0..N. Two rows at a time over 8 columns (four
 * independent f32x4 chains: the input-weight gradient at I = 2 is wholly this tail, and one chain
 * waited on each add's latency), then one row at a time (mmTRow). Each sum still runs over m in order.
 */
function mmTRows(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, k0: i32, k1: i32, n0: i32, N: i32): void {
  const n8 = n0 + ((N - n0) & ~7);
  const sa = <usize>lda << 2, sb = <usize>ldb << 2, sc = <usize>ldc << 2;
  let k = k0;
  for (; k + 2 <= k1; k += 2) {
    const c = C + (<usize>(k * ldc) << 2);
    for (let n = n0; n < n8; n += 8) {
      const cn = c + (<usize>n << 2);
      let c0 = v128.load(cn), c1 = v128.load(cn, 16), d0 = v128.load(cn + sc), d1 = v128.load(cn + sc, 16);
      let a = A + (<usize>k << 2), b = Bm + (<usize>n << 2);
      for (let m = 0; m < M; m++) {
        const v0 = v128.load(b), v1 = v128.load(b, 16);
        const x0 = v128.load32_splat(a), x1 = v128.load32_splat(a, 4);
        c0 = madd(x0, v0, c0); c1 = madd(x0, v1, c1);
        d0 = madd(x1, v0, d0); d1 = madd(x1, v1, d1);
        a += sa; b += sb;
      }
      v128.store(cn, c0); v128.store(cn, c1, 16); v128.store(cn + sc, d0); v128.store(cn + sc, d1, 16);
    }
    mmTRow(A, lda, Bm, ldb, C, ldc, M, k, n8, N);
    mmTRow(A, lda, Bm, ldb, C, ldc, M, k + 1, n8, N);
  }
  for (; k < k1; k++) mmTRow(A, lda, Bm, ldb, C, ldc, M, k, n0, N);
}

/** Row k of C, columns n0..N of mmT: 8 columns in two f32x4 sums, then 4, then scalar. */
function mmTRow(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, k: i32, n0: i32, N: i32): void {
  const n8 = n0 + ((N - n0) & ~7), n4 = n0 + ((N - n0) & ~3);
  const sa = <usize>lda << 2, sb = <usize>ldb << 2;
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

/**
 * C[K][N] += Σ over T steps of A[t]ᵀ·Bm[t], where step t's B rows of A start `as` floats after step
 * t − 1's (rows lda apart) and Bm's T·B rows are ldb apart: the input-weight gradient of a layer.
 * One mmT over all rows when they are evenly spaced (one row per step, or steps packed), else a call
 * per step; each sum runs over the rows in the same order either way: same bits.
 */
export function mmTSteps(A: usize, lda: i32, as: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, T: i32, B: i32, K: i32, N: i32): void {
  if (B == 1 && as >= 0) mmT(A, as, Bm, ldb, C, ldc, T, K, N); // (a backward-reading direction, as < 0, goes step by step)
  else if (as == B * lda) mmT(A, lda, Bm, ldb, C, ldc, T * B, K, N);
  else for (let t = 0; t < T; t++) mmT(A + (<usize>(t * as) << 2), lda, Bm + (<usize>(t * B * ldb) << 2), ldb, C, ldc, B, K, N);
}

/**
 * C[t] = bias + A[t]·Bm for T steps of B rows (A's steps `as` floats apart, rows lda apart; C's T·B
 * rows ldc apart): every step's input part of a pre-activation at once, outside the recurrence.
 * Adding h·R afterwards with mm(…, acc) gives mmAffine's bits (bias, then the input terms, stored,
 * then the recurrent terms, each in order); one product when the rows are evenly spaced.
 */
export function mmBiasSteps(A: usize, lda: i32, as: i32, Bm: usize, ldb: i32, bias: usize, C: usize, ldc: i32, T: i32, B: i32, K: i32, N: i32): void {
  fillRows(C, ldc, T * B, bias, N);
  if (B == 1 && as >= 0) mm(A, as, Bm, ldb, C, ldc, T, K, N, true);
  else if (as == B * lda) mm(A, lda, Bm, ldb, C, ldc, T * B, K, N, true);
  else for (let t = 0; t < T; t++) mm(A + (<usize>(t * as) << 2), lda, Bm, ldb, C + (<usize>(t * B * ldc) << 2), ldc, B, K, N, true);
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

/**
 * dst[c][r] = src[r][c] for a rows × cols matrix: 4 × 4 tiles moved through registers (four row
 * loads, eight shuffles, four stores), the edges one float at a time. A copy: no rounding. Each
 * layer transposes its recurrent matrix per call, and a threaded batch once per block (hidden 128:
 * 16,384 floats, which one float at a time cost about as much as a tenth of the block's products).
 */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  const r4 = rows & ~3, c4 = cols & ~3;
  const ss = <usize>cols << 2, sd = <usize>rows << 2;
  for (let r = 0; r < r4; r += 4) {
    for (let c = 0; c < c4; c += 4) {
      const p = src + (<usize>(r * cols + c) << 2), q = dst + (<usize>(c * rows + r) << 2);
      const a = v128.load(p), b = v128.load(p + ss), e = v128.load(p + 2 * ss), f = v128.load(p + 3 * ss);
      const t0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), t1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(e, f, 0, 4, 1, 5), t3 = v128.shuffle<f32>(e, f, 2, 6, 3, 7);
      v128.store(q, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(q + sd, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      v128.store(q + 2 * sd, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      v128.store(q + 3 * sd, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
    for (let c = c4; c < cols; c++) for (let i = r; i < r + 4; i++) transposeOne(src, dst, rows, cols, i, c);
  }
  for (let r = r4; r < rows; r++) for (let c = 0; c < cols; c++) transposeOne(src, dst, rows, cols, r, c);
}

// @ts-ignore: decorator
@inline function transposeOne(src: usize, dst: usize, rows: i32, cols: i32, r: i32, c: i32): void {
  store<float>(dst + (<usize>(c * rows + r) << 2), load<float>(src + (<usize>(r * cols + c) << 2)));
}
