// The Elman network (Keras SimpleRNN + Dense) over one mini-batch of B samples, T steps:
//   h[0] = 0,  a[k] = x[k]·K + h[k-1]·R + b,  h[k] = act(a[k]),  z[k] = h[k]·Wo + bo,  y = outAct(z)
// with rows = samples (x[k] is [B][I], h[k] is [B][H]); outputs at every step (seq = 1) or at k = T.
// BPTT, k = T..1:  dh += dz[k]·Woᵀ;  da[k] = dh ⊙ act'(h[k]);  dh = da[k]·Rᵀ  (0 at a window edge)
//   gK += Σk x[k]ᵀ·da[k],  gR += Σk h[k-1]ᵀ·da[k],  gb += Σ da,  gWo += Σk h[k]ᵀ·dz[k],  gbo += Σ dz
// Params p and grads g are flat f32 in the Keras order [K | R | b | Wo | bo]. Every pointer is a byte
// offset into the host's memory; `work` is one scratch block laid out below (elmanWorkFloats).
// Matrix products are f32 (f32x4 over the output columns); only the loss is summed in f64.

type float = f32;

// Activation codes shared with src/backends/wasm/elman.ts.
const LINEAR = 0, TANH = 1, RELU = 2, SIGMOID = 3; // hidden; output: 0 linear, 1 sigmoid, 2 softmax
const OUT_SIGMOID = 1, OUT_SOFTMAX = 2;
const SQUARED = 0, BCE = 1; // loss codes; 2 = softmax cross-entropy

// @ts-ignore: decorator
@inline function up4(n: i32): i32 {
  return (n + 3) & ~3;
}

/** Floats of scratch one call needs: h f32[T+1][B][H], da f32[T][B][H], z/dz f32[T][B][O], dh, Rᵀ, Woᵀ. */
export function elmanWorkFloats(B: i32, T: i32, H: i32, O: i32): i32 {
  return up4((T + 1) * B * H) + up4(T * B * H) + up4(T * B * O) + up4(B * H) + up4(H * H) + up4(O * H);
}

/**
 * C[M][N] = (acc ? C : 0) + A[M][K]·Bm[K][N]; strides in floats. Blocks of 4 rows × 8 columns keep
 * eight f32x4 sums in registers and load each row of Bm once for four rows of A; tails go to mmRows.
 */
function mm(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, K: i32, N: i32, acc: bool): void {
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
        const a0 = f32x4.splat(load<float>(ak)), a1 = f32x4.splat(load<float>(ak + sa));
        const a2 = f32x4.splat(load<float>(ak + 2 * sa)), a3 = f32x4.splat(load<float>(ak + 3 * sa));
        c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
        c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
        c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
        c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
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
        c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<float>(a + (<usize>k << 2))), v128.load(bk)));
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

/** C[K][N] += Σm A[m][k]·Bm[m][n] (Aᵀ·B over M rows); 4×8 register blocks, then row and column tails. */
function mmT(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, K: i32, N: i32): void {
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
        const a0 = f32x4.splat(load<float>(a)), a1 = f32x4.splat(load<float>(a, 4));
        const a2 = f32x4.splat(load<float>(a, 8)), a3 = f32x4.splat(load<float>(a, 12));
        c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
        c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
        c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
        c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
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

/** The tails of mmT: rows k0..k1 of C, columns n0..N, one row at a time (f32x4, then scalar). */
function mmTRows(A: usize, lda: i32, Bm: usize, ldb: i32, C: usize, ldc: i32, M: i32, k0: i32, k1: i32, n0: i32, N: i32): void {
  const n4 = n0 + ((N - n0) & ~3);
  const sa = <usize>lda << 2, sb = <usize>ldb << 2;
  for (let k = k0; k < k1; k++) {
    const c = C + (<usize>(k * ldc) << 2);
    let n = n0;
    for (; n < n4; n += 4) {
      const cn = c + (<usize>n << 2);
      let c0 = v128.load(cn);
      let a = A + (<usize>k << 2), b = Bm + (<usize>n << 2);
      for (let m = 0; m < M; m++) {
        c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<float>(a)), v128.load(b)));
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
function colSum(A: usize, M: i32, N: i32, c: usize): void {
  const n4 = N & ~3;
  for (let m = 0; m < M; m++) {
    const a = A + (<usize>(m * N) << 2);
    let n = 0;
    for (; n < n4; n += 4) v128.store(c + (<usize>n << 2), f32x4.add(v128.load(c + (<usize>n << 2)), v128.load(a + (<usize>n << 2))));
    for (; n < N; n++) store<float>(c + (<usize>n << 2), load<float>(c + (<usize>n << 2)) + load<float>(a + (<usize>n << 2)));
  }
}

/** dst[c][r] = src[r][c] for a rows × cols matrix. */
function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    store<float>(dst + (<usize>(c * rows + r) << 2), load<float>(src + (<usize>(r * cols + c) << 2)));
  }
}

/**
 * e^x on four lanes (Cephes' expf): x = n·ln2 + r with ln2 split in two for exactness, e^r by a
 * degree-6 polynomial, 2^n built in the exponent bits; inputs clamped to ±88.37 (f32's range).
 */
// @ts-ignore: decorator
@inline function exp4(v: v128): v128 {
  let x = f32x4.min(f32x4.max(v, f32x4.splat(-88.3762626647949)), f32x4.splat(88.3762626647949));
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), f32x4.splat(0.5)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(x, x)), x), f32x4.splat(1));
  const n = i32x4.trunc_sat_f32x4_s(fx);
  return f32x4.mul(y, i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23));
}

/**
 * tanh on four lanes: below |x| = 0.3 its odd Taylor series to x¹¹ (error < 1e-9 relative),
 * above it 1 − 2 / (e^{2|x|} + 1) with |x| clamped to 9 (tanh rounds to 1 in f32 there), sign restored.
 */
// @ts-ignore: decorator
@inline function tanh4(v: v128): v128 {
  const a = f32x4.abs(v);
  const z = f32x4.mul(v, v);
  let p = f32x4.splat(-1382.0 / 155925.0);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(62.0 / 2835.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-17.0 / 315.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.0 / 15.0));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-1.0 / 3.0));
  const small = f32x4.add(v, f32x4.mul(f32x4.mul(v, z), p));
  const e = exp4(f32x4.mul(f32x4.min(a, f32x4.splat(9)), f32x4.splat(2)));
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const signed = v128.or(big, v128.and(v, f32x4.splat(-0.0)));
  return v128.bitselect(small, signed, f32x4.lt(a, f32x4.splat(0.3)));
}

/** Apply the hidden activation in place to len floats (f32x4 for tanh, sigmoid and relu, scalar tail). */
function activate(p: usize, len: i32, act: i32): void {
  if (act == LINEAR) return;
  const n4 = len & ~3, zero = f32x4.splat(0), one = f32x4.splat(1);
  let i = 0;
  for (; i < n4; i += 4) {
    const q = p + (<usize>i << 2);
    const v = v128.load(q);
    v128.store(q, act == RELU ? f32x4.max(v, zero) : act == TANH ? tanh4(v) : f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(v)))));
  }
  for (; i < len; i++) {
    const q = p + (<usize>i << 2);
    const v = load<float>(q);
    store<float>(q, act == RELU ? max<float>(v, 0) : act == TANH ? Mathf.tanh(v) : <float>1 / (<float>1 + Mathf.exp(-v)));
  }
}

/** da = dh ⊙ act'(h), with act' written through h: 1 − h² (tanh), h(1 − h) (sigmoid), [h > 0] (relu). */
function activateBack(dh: usize, h: usize, len: i32, act: i32, da: usize): void {
  const n4 = len & ~3, one = f32x4.splat(1), zero = f32x4.splat(0);
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    const d = v128.load(dh + o), v = v128.load(h + o);
    let r = d;
    if (act == TANH) r = f32x4.mul(d, f32x4.sub(one, f32x4.mul(v, v)));
    else if (act == SIGMOID) r = f32x4.mul(d, f32x4.mul(v, f32x4.sub(one, v)));
    else if (act == RELU) r = v128.and(d, f32x4.gt(v, zero));
    v128.store(da + o, r);
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const d = load<float>(dh + o), v = load<float>(h + o);
    let r = d;
    if (act == TANH) r = d * (<float>1 - v * v);
    else if (act == SIGMOID) r = d * (v * (<float>1 - v));
    else if (act == RELU) r = v > 0 ? d : <float>0;
    store<float>(da + o, r);
  }
}

/** Turn one row of logits z[O] into outputs in place: linear, sigmoid or softmax (max-shifted). */
// @ts-ignore: decorator
@inline function outputRow(z: usize, O: i32, outAct: i32): void {
  if (outAct == OUT_SIGMOID) {
    for (let o = 0; o < O; o++) store<float>(z + (<usize>o << 2), <float>1 / (<float>1 + Mathf.exp(-load<float>(z + (<usize>o << 2)))));
  } else if (outAct == OUT_SOFTMAX) {
    let mx = load<float>(z);
    for (let o = 1; o < O; o++) mx = max<float>(mx, load<float>(z + (<usize>o << 2)));
    let sum: float = 0;
    for (let o = 0; o < O; o++) {
      const e = Mathf.exp(load<float>(z + (<usize>o << 2)) - mx);
      store<float>(z + (<usize>o << 2), e);
      sum += e;
    }
    for (let o = 0; o < O; o++) store<float>(z + (<usize>o << 2), load<float>(z + (<usize>o << 2)) / sum);
  }
}

/**
 * Loss of one row and, in place, z[O] → dL/dz[O]. Squared: s·Σ(y − t)², chained through outAct;
 * BCE (sigmoid, fused): s·Σ max(z,0) − z·t + log(1 + e^−|z|), dz = s·(y − t);
 * softmax CE (fused): s·Σ t·(lse − z), dz = s·(y·Σt − t). Returns the row's loss (f64).
 */
function lossRow(z: usize, t: usize, O: i32, outAct: i32, loss: i32, s: float): f64 {
  let L: f64 = 0;
  if (loss == BCE) {
    for (let o = 0; o < O; o++) {
      const q = z + (<usize>o << 2);
      const v = load<float>(q), tv = load<float>(t + (<usize>o << 2));
      L += <f64>(max<float>(v, 0) - v * tv + Mathf.log1p(Mathf.exp(-Mathf.abs(v))));
      store<float>(q, s * (<float>1 / (<float>1 + Mathf.exp(-v)) - tv));
    }
    return L * <f64>s;
  }
  if (loss != SQUARED) {
    let mx = load<float>(z);
    for (let o = 1; o < O; o++) mx = max<float>(mx, load<float>(z + (<usize>o << 2)));
    let sum: float = 0, tsum: float = 0;
    for (let o = 0; o < O; o++) sum += Mathf.exp(load<float>(z + (<usize>o << 2)) - mx);
    const lse = mx + Mathf.log(sum);
    for (let o = 0; o < O; o++) {
      const tv = load<float>(t + (<usize>o << 2));
      L += <f64>(tv * (lse - load<float>(z + (<usize>o << 2))));
      tsum += tv;
    }
    for (let o = 0; o < O; o++) {
      const q = z + (<usize>o << 2);
      store<float>(q, s * (Mathf.exp(load<float>(q) - lse) * tsum - load<float>(t + (<usize>o << 2))));
    }
    return L * <f64>s;
  }
  outputRow(z, O, outAct);
  let dot: float = 0; // Σ dy·y, for the softmax Jacobian
  for (let o = 0; o < O; o++) {
    const q = z + (<usize>o << 2);
    const e = load<float>(q) - load<float>(t + (<usize>o << 2));
    L += <f64>(e * e);
    dot += <float>2 * s * e * load<float>(q);
  }
  for (let o = 0; o < O; o++) {
    const q = z + (<usize>o << 2);
    const y = load<float>(q);
    const dy = <float>2 * s * (y - load<float>(t + (<usize>o << 2)));
    store<float>(q, outAct == OUT_SIGMOID ? dy * y * (<float>1 - y) : outAct == OUT_SOFTMAX ? y * (dy - dot) : dy);
  }
  return L * <f64>s;
}

/** The forward pass into work's h block: h[k] = act(x[k]·K + h[k-1]·R + b) for k = 1..T. */
function forward(x: usize, xs: i32, B: i32, T: i32, I: i32, H: i32, act: i32, p: usize, hs: usize): void {
  const R = p + (<usize>(I * H) << 2);
  const b = R + (<usize>(H * H) << 2);
  const BH = B * H;
  memory.fill(hs, 0, <usize>BH << 2);
  for (let k = 1; k <= T; k++) {
    const hp = hs + (<usize>((k - 1) * BH) << 2);
    const hk = hp + (<usize>BH << 2);
    for (let r = 0; r < B; r++) memory.copy(hk + (<usize>(r * H) << 2), b, <usize>H << 2);
    mm(x + (<usize>((k - 1) * xs) << 2), I, p, H, hk, H, B, I, H, true);
    mm(hp, H, R, H, hk, H, B, H, H, true);
    activate(hk, BH, act);
  }
}

/** Outputs only: y f32[Tout][B][O] (Tout = T when seq, else 1) for B samples whose x starts at `x`. */
export function elmanForward(x: usize, xs: i32, B: i32, T: i32, I: i32, H: i32, O: i32, act: i32, outAct: i32, seq: i32, p: usize, work: usize, y: usize): void {
  forward(x, xs, B, T, I, H, act, p, work);
  const Wo = p + (<usize>(I * H + H * H + H) << 2);
  const bo = Wo + (<usize>(H * O) << 2);
  const k0 = seq ? 1 : T;
  for (let k = k0; k <= T; k++) {
    const yk = y + (<usize>((k - k0) * B * O) << 2);
    for (let r = 0; r < B; r++) memory.copy(yk + (<usize>(r * O) << 2), bo, <usize>O << 2);
    mm(work + (<usize>(k * B * H) << 2), H, Wo, O, yk, O, B, H, O, true);
    for (let r = 0; r < B; r++) outputRow(yk + (<usize>(r * O) << 2), O, outAct);
  }
}

/**
 * Fused forward, loss and BPTT for one mini-batch: grads g are overwritten, out f64[1] gets the loss.
 * x: the batch's first sample at step 0, step stride xs floats (rows of I); t likewise with stride ts
 * (seq) or one row of O per sample; s scales the loss (1 or 1/count); window > 0 truncates BPTT.
 */
export function elmanLossGrad(
  x: usize, xs: i32, t: usize, ts: i32, B: i32, T: i32, I: i32, H: i32, O: i32,
  act: i32, outAct: i32, loss: i32, seq: i32, s: float, window: i32, p: usize, g: usize, work: usize, out: usize,
): void {
  const BH = B * H;
  const hs = work;
  const das = hs + (<usize>up4((T + 1) * BH) << 2);
  const dzs = das + (<usize>up4(T * BH) << 2);
  const dh = dzs + (<usize>up4(T * B * O) << 2);
  const RT = dh + (<usize>up4(BH) << 2);
  const WoT = RT + (<usize>up4(H * H) << 2);
  const R = p + (<usize>(I * H) << 2);
  const Wo = R + (<usize>(H * H + H) << 2);
  const bo = Wo + (<usize>(H * O) << 2);
  const gR = g + (<usize>(I * H) << 2);
  const gb = gR + (<usize>(H * H) << 2);
  const gWo = gb + (<usize>H << 2);
  const gbo = gWo + (<usize>(H * O) << 2);
  memory.fill(g, 0, <usize>(I * H + H * H + H + H * O + O) << 2);
  transpose(R, H, H, RT);
  transpose(Wo, H, O, WoT);
  forward(x, xs, B, T, I, H, act, p, hs);

  // Outputs: z = h·Wo + bo, then the loss and dz in place, per output step.
  const k0 = seq ? 1 : T;
  let L: f64 = 0;
  for (let k = k0; k <= T; k++) {
    const zk = dzs + (<usize>((k - 1) * B * O) << 2);
    const tk = seq ? t + (<usize>((k - 1) * ts) << 2) : t;
    for (let r = 0; r < B; r++) memory.copy(zk + (<usize>(r * O) << 2), bo, <usize>O << 2);
    mm(hs + (<usize>(k * BH) << 2), H, Wo, O, zk, O, B, H, O, true);
    for (let r = 0; r < B; r++) L += lossRow(zk + (<usize>(r * O) << 2), tk + (<usize>(r * O) << 2), O, outAct, loss, s);
    mmT(hs + (<usize>(k * BH) << 2), H, zk, O, gWo, O, B, H, O);
    colSum(zk, B, O, gbo);
  }
  store<f64>(out, L);

  // Back through time: dh carries dL/dh[k] from step k+1; window edges cut it.
  memory.fill(dh, 0, <usize>BH << 2);
  for (let k = T; k >= 1; k--) {
    if (k >= k0) mm(dzs + (<usize>((k - 1) * B * O) << 2), O, WoT, H, dh, H, B, O, H, true);
    const dak = das + (<usize>((k - 1) * BH) << 2);
    activateBack(dh, hs + (<usize>(k * BH) << 2), BH, act, dak);
    if (window > 0 && (k - 1) % window == 0) memory.fill(dh, 0, <usize>BH << 2);
    else mm(dak, H, RT, H, dh, H, B, H, H, false);
  }

  // Weight gradients as long reductions over all (step, sample) rows.
  for (let k = 1; k <= T; k++) mmT(x + (<usize>((k - 1) * xs) << 2), I, das + (<usize>((k - 1) * BH) << 2), H, g, H, B, I, H);
  mmT(hs, H, das, H, gR, H, T * B, H, H);
  colSum(das, T * B, H, gb);
}
