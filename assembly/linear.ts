// The tutorial's two-weight counter over time-major data (x[k][n] at x + size·(k·n + i)):
//   s[0] = 0,  s[k] = x[k]·wx + s[k-1]·wRec,  y = s[T],  e = y - t
//   BPTT:  g[T] = c·e;  for k = T..1:  gx += g[k]·x[k],  gr += g[k]·s[k-1],  g[k-1] = g[k]·wRec
// with c = dL/dy per unit error: 2 for sse, 2/n for mse.
// Every pointer is a byte offset into the one memory the host owns; nothing here allocates.
// Per sample the sums over k run in f32 (the core's precision); the sums over samples run in
// f64, so a large batch loses no digits to the order in which samples are added.
// Inputs are f32, or u8 for 0/1 data (a quarter of the memory and of the bytes read per epoch);
// u8 inputs give the same results bit for bit (see xTimes). Each kernel is generic over the input
// type X and exported once per type. 0/1 inputs may also be laid out group-major (linearPackGroups):
// groups of 16 samples, each group's T steps one 16-byte row after another, the last group padded,
// so a group's pass reads one contiguous block instead of one line from each of T rows. These are
// i8 holding −x (0 or −1, all ones): sign-extended, a byte is already the mask xTimes applies.

import { GROUP } from '../src/abi/codes';

type float = f32;

const BLOCK_BYTES: i32 = 128 << 10; // inputs of one block of groups: an eighth of this machine's 1 MiB L2 (64-512 KiB measured; 128 best)
const CACHED_BYTES: i32 = 1 << 20; // inputs up to this size stay in cache from one epoch to the next
const CHECK: i32 = 16; // steps between the backward pass's checks for an early end (each check at every step cost a third)

/** One input as f32: X is f32, u8 holding 0 or 1, or i8 holding 0 or −1 for 0 or 1. */
// @ts-ignore: decorator
@inline function xAt<X>(p: usize): float {
  return isInteger<X>() ? (isSigned<X>() ? <float>(-<i32>load<i8>(p)) : <float>load<u8>(p)) : load<float>(p);
}

/**
 * x·w for inputs j·4 .. j·4+3 from p. For u8 0/1 inputs the product is w or +0, taken with a mask
 * instead of a multiply (the scarce operation here): it differs from x·w only in the sign of a
 * zero, which never reaches the sums (they start at +0, and ±0 added to a value leaves it as is).
 * The mask: 16-bit lanes that are all ones where x is 0, widened by pairing each lane with itself,
 * then w with those lanes cleared (three instructions per four inputs, the load shared by eight).
 */
// @ts-ignore: decorator
@inline function xTimes<X>(p: usize, j: i32, w: v128): v128 {
  if (!isInteger<X>()) return f32x4.mul(v128.load(p + (<usize>j << 4)), w);
  if (isSigned<X>()) {
    // i8 masks: sign-extended to 16-bit lanes by the load, widened by pairing (two instructions per four).
    const one = v128.load8x8_s(p + (<usize>(j >> 1) << 3));
    return v128.and(w, j & 1 ? v128.shuffle<i16>(one, one, 4, 4, 5, 5, 6, 6, 7, 7) : v128.shuffle<i16>(one, one, 0, 0, 1, 1, 2, 2, 3, 3));
  }
  const zero = i16x8.eq(v128.load8x8_u(p + (<usize>(j >> 1) << 3)), i16x8.splat(0));
  const m = j & 1 ? v128.shuffle<i16>(zero, zero, 4, 4, 5, 5, 6, 6, 7, 7) : v128.shuffle<i16>(zero, zero, 0, 0, 1, 1, 2, 2, 3, 3);
  return v128.andnot(w, m);
}

/** Byte offset of sample i's step-1 input from x: time-major (`rows` samples a row) or group-major (T steps). */
// @ts-ignore: decorator
@inline function colOf<X>(i: i32, rows: i32, T: i32, grouped: bool): usize {
  return grouped ? <usize>(i >> 4) * GROUP * T + <usize>(i & (GROUP - 1)) : <usize>i * sizeof<X>();
}

// @ts-ignore: decorator
@inline function stepOf<X>(rows: i32, grouped: bool): usize {
  return grouped ? <usize>GROUP : <usize>rows * sizeof<X>();
}

function states<X>(x: usize, n: i32, T: i32, wx: float, wRec: float, s: usize, grouped: bool = false): void {
  memory.fill(s, 0, <usize>n << 2);
  const step = stepOf<X>(n, grouped);
  for (let k = 1; k <= T; k++) {
    const xk = x + <usize>(k - 1) * step;
    const sp = s + (<usize>(k - 1) * n << 2);
    const sk = s + (<usize>k * n << 2);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      store<float>(sk + o, xAt<X>(xk + colOf<X>(i, n, T, grouped)) * wx + load<float>(sp + o) * wRec);
    }
  }
}

/** States of every sample at every step: s is f32[T+1][n], row 0 zeros; x f32[T][n]. */
export function linearStates(x: usize, n: i32, T: i32, wx: float, wRec: float, s: usize): void {
  states<f32>(x, n, T, wx, wRec, s);
}

/** linearStates for 0/1 inputs stored as u8[T][n]. */
export function linearStatesBytes(x: usize, n: i32, T: i32, wx: float, wRec: float, s: usize): void {
  states<u8>(x, n, T, wx, wRec, s);
}

/** linearStatesBytes for 0/1 inputs laid out group-major (linearPackGroups). */
export function linearStatesGroups(x: usize, n: i32, T: i32, wx: float, wRec: float, s: usize): void {
  states<i8>(x, n, T, wx, wRec, s, true);
}

/** One sample's forward, loss and backward; its states go to scratch f32[T+1]. Adds to out f64[3]. Its inputs: x + col, stride bytes apart. */
// @ts-ignore: decorator
@inline function sampleScalar<X>(x: usize, t: usize, col: usize, stride: usize, T: i32, wx: float, wRec: float, c: float, scratch: usize, i: i32, out: usize): void {
  let s: float = 0;
  store<float>(scratch, 0);
  for (let k = 1; k <= T; k++) {
    s = xAt<X>(x + <usize>(k - 1) * stride + col) * wx + s * wRec;
    store<float>(scratch + (<usize>k << 2), s);
  }
  const e: float = s - load<float>(t + (<usize>i << 2));
  let g: float = c * e;
  let gx: float = 0;
  let gr: float = 0;
  for (let k = T; k >= 1; k--) {
    gx += g * xAt<X>(x + <usize>(k - 1) * stride + col);
    gr += g * load<float>(scratch + (<usize>(k - 1) << 2));
    g *= wRec;
  }
  store<f64>(out, load<f64>(out) + <f64>(e * e));
  store<f64>(out, load<f64>(out, 8) + <f64>gx, 8);
  store<f64>(out, load<f64>(out, 16) + <f64>gr, 16);
}

function lossGradScalar<X>(x: usize, t: usize, n: i32, T: i32, wx: float, wRec: float, c: float, scratch: usize, out: usize): void {
  store<f64>(out, 0); store<f64>(out, 0, 8); store<f64>(out, 0, 16);
  for (let i = 0; i < n; i++) sampleScalar<X>(x, t, <usize>i * sizeof<X>(), <usize>n * sizeof<X>(), T, wx, wRec, c, scratch, i, out);
}

/** Scalar fused epoch: out f64[3] = [Σ e², ∂L/∂wx, ∂L/∂wRec]; scratch holds f32[T+1]. */
export function linearLossGradScalar(x: usize, t: usize, n: i32, T: i32, wx: float, wRec: float, c: float, scratch: usize, out: usize): void {
  lossGradScalar<f32>(x, t, n, T, wx, wRec, c, scratch, out);
}

/** linearLossGradScalar for 0/1 inputs stored as u8[T][n]. */
export function linearLossGradBytesScalar(x: usize, t: usize, n: i32, T: i32, wx: float, wRec: float, c: float, scratch: usize, out: usize): void {
  lossGradScalar<u8>(x, t, n, T, wx, wRec, c, scratch, out);
}

/** Sum the four lanes of an f32x4 in f64, low lanes first. */
// @ts-ignore: decorator
@inline export function sumLanes(v: v128): f64 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
  const p = f64x2.add(lo, hi);
  return f64x2.extract_lane(p, 0) + f64x2.extract_lane(p, 1);
}

/** Every lane of the four registers finite (x − x is 0 for finite x, NaN for ±∞ and NaN). */
// @ts-ignore: decorator
@inline function allFinite(a: v128, b: v128, c: v128, d: v128): bool {
  const z = f32x4.add(f32x4.add(f32x4.sub(a, a), f32x4.sub(b, b)), f32x4.add(f32x4.sub(c, c), f32x4.sub(d, d)));
  return i32x4.all_true(f32x4.eq(z, z)); // NaN ≠ NaN
}

/**
 * Lanes of a pass over 0/1 inputs that can end here, every later step leaving the sums' bits as
 * they are: with |wRec| ≤ 1 later gradients are no larger than g (f32 rounding is monotone), later
 * addends of gx are g or +0 (the mask) and of gr at most fl(|g|·S) (S bounds every state, see
 * lossGrad), and an addend a with |a|·2²⁶ < |acc| (acc finite, nonzero) is under half the gap from
 * acc to either neighbour, so acc + a = acc. NaN or an infinite g, S or sum never settles.
 */
// @ts-ignore: decorator
@inline function settled(g: v128, ax: v128, ar: v128, S: v128): v128 {
  const ag = f32x4.abs(g);
  const scale = f32x4.splat(67108864); // 2^26: exact scaling, to +inf at worst (then not settled)
  return v128.and(f32x4.lt(f32x4.mul(ag, scale), f32x4.abs(ax)), f32x4.lt(f32x4.mul(f32x4.mul(ag, S), scale), f32x4.abs(ar)));
}

/**
 * One group's loss and backward pass, added to out f64[3] as lossGrad's loop adds them (the same
 * bits): e0..e3 its errors, xe its inputs' end (step T + 1), se its step-T states, `row` bytes
 * from one step's states to the next's. Two passes of two registers, as in lossGrad.
 */
// @ts-ignore: decorator
@inline function groupBackward(e0: v128, e1: v128, e2: v128, e3: v128, c: float, wRec: float, settle: bool, vS: v128, xe: usize, se: usize, row: usize, T: i32, out: usize, ahead: usize): void {
  let touched = f32x4.splat(0);
  const vc = f32x4.splat(c), vwr = f32x4.splat(wRec);
  store<f64>(out, load<f64>(out) + (sumLanes(f32x4.mul(e0, e0)) + sumLanes(f32x4.mul(e1, e1)) + sumLanes(f32x4.mul(e2, e2)) + sumLanes(f32x4.mul(e3, e3))));
  for (let h = 0; h < 2; h++) {
    let g0 = f32x4.mul(vc, h ? e2 : e0), g1 = f32x4.mul(vc, h ? e3 : e1);
    let x0 = f32x4.splat(0), x1 = x0, r0 = x0, r1 = x0;
    let xb = xe + <usize>(h << 3), sp = se + <usize>(h << 5);
    let pf = ahead + <usize>h * GROUP * T;
    for (let k = T; k >= 1; ) {
      for (const end = settle ? max(k - CHECK, 0) : 0; k > end; k--) {
        xb -= GROUP;
        sp -= row;
        if (ahead) {
          touched = v128.or(touched, v128.load(pf));
          pf += GROUP;
        }
        x0 = f32x4.add(x0, xTimes<i8>(xb, 0, g0));
        x1 = f32x4.add(x1, xTimes<i8>(xb, 1, g1));
        r0 = f32x4.add(r0, f32x4.mul(g0, v128.load(sp)));
        r1 = f32x4.add(r1, f32x4.mul(g1, v128.load(sp, 16)));
        g0 = f32x4.mul(g0, vwr); g1 = f32x4.mul(g1, vwr);
      }
      if (settle && i32x4.all_true(v128.and(settled(g0, x0, r0, vS), settled(g1, x1, r1, vS)))) break;
    }
    store<f64>(out, load<f64>(out, 8) + (sumLanes(x0) + sumLanes(x1)), 8);
    store<f64>(out, load<f64>(out, 16) + (sumLanes(r0) + sumLanes(r1)), 16);
  }
  if (ahead) v128.store(se, touched); // keeps the reads ahead alive (the states are spent)
}

/**
 * Groups q0 .. q1 − 1 (an even count) of group-major i8 masks (linearPackGroups), two at a time,
 * adding to out f64[3] in lossGrad's order (the same bits). The forward pass runs both groups'
 * eight registers at once: one group's four chains of a multiply and an add per step left the
 * pipes idle for most of each chain's latency. Scratch: f32[T+1][32], a step's two groups side by side.
 */
function groupPairs(x: usize, t: usize, q0: i32, q1: i32, T: i32, wx: float, wRec: float, c: float, settle: bool, S: float, scratch: usize, out: usize): void {
  const vwx = f32x4.splat(wx);
  const vwr = f32x4.splat(wRec);
  const vS = f32x4.splat(S);
  const groupBytes = <usize>GROUP * T;
  for (let q = q0; q < q1; q += 2) {
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, u0 = s0, u1 = s0, u2 = s0, u3 = s0;
    for (let o = 0; o < 128; o += 16) v128.store(scratch + o, s0);
    let xa = x + <usize>q * groupBytes, sk = scratch;
    for (let k = 1; k <= T; k++) {
      const xb = xa + groupBytes;
      s0 = f32x4.add(xTimes<i8>(xa, 0, vwx), f32x4.mul(s0, vwr));
      s1 = f32x4.add(xTimes<i8>(xa, 1, vwx), f32x4.mul(s1, vwr));
      s2 = f32x4.add(xTimes<i8>(xa, 2, vwx), f32x4.mul(s2, vwr));
      s3 = f32x4.add(xTimes<i8>(xa, 3, vwx), f32x4.mul(s3, vwr));
      u0 = f32x4.add(xTimes<i8>(xb, 0, vwx), f32x4.mul(u0, vwr));
      u1 = f32x4.add(xTimes<i8>(xb, 1, vwx), f32x4.mul(u1, vwr));
      u2 = f32x4.add(xTimes<i8>(xb, 2, vwx), f32x4.mul(u2, vwr));
      u3 = f32x4.add(xTimes<i8>(xb, 3, vwx), f32x4.mul(u3, vwr));
      sk += 128;
      v128.store(sk, s0); v128.store(sk, s1, 16); v128.store(sk, s2, 32); v128.store(sk, s3, 48);
      v128.store(sk, u0, 64); v128.store(sk, u1, 80); v128.store(sk, u2, 96); v128.store(sk, u3, 112);
      xa += GROUP;
    }
    const tq = t + (<usize>(q * GROUP) << 2);
    groupBackward(f32x4.sub(s0, v128.load(tq)), f32x4.sub(s1, v128.load(tq, 16)), f32x4.sub(s2, v128.load(tq, 32)), f32x4.sub(s3, v128.load(tq, 48)), c, wRec, settle, vS, xa, sk, 128, T, out, q + 3 < q1 ? xa + groupBytes : 0);
    groupBackward(f32x4.sub(u0, v128.load(tq, 64)), f32x4.sub(u1, v128.load(tq, 80)), f32x4.sub(u2, v128.load(tq, 96)), f32x4.sub(u3, v128.load(tq, 112)), c, wRec, settle, vS, xa + groupBytes, sk + 64, 128, T, out, 0);
  }
}

/**
 * SIMD fused epoch, same contract as lossGradScalar; scratch holds f32[T+1][16 + 4]. The n samples are
 * the first n of rows of `rows` samples each (rows = n for a whole data set; more for a block of it).
 * Groups of 16 samples run in four interleaved f32x4 registers; their states stay in scratch
 * (L1-resident) between forward and backward; the n % 16 tail runs in groups of 4, then scalar.
 * A group reads one line from each of T rows, a pattern the hardware prefetchers do not follow, so
 * inputs too large for cache are first read into it a block of groups at a time, row by row
 * (sequential reads, many misses in flight); the block's groups then find their lines in L2.
 */
export function lossGrad<X>(x: usize, t: usize, n: i32, rows: i32, T: i32, wx: float, wRec: float, c: float, scratch: usize, out: usize, grouped: bool = false): void {
  store<f64>(out, 0); store<f64>(out, 0, 8); store<f64>(out, 0, 16); // stores, not memory.fill: a call out of the compiled code
  const size = <i32>sizeof<X>();
  const stride = stepOf<X>(rows, grouped);
  const groupBytes: usize = grouped ? <usize>GROUP * T : <usize>(GROUP * size); // from one group's first input to the next's
  const vwx = f32x4.splat(wx);
  const vwr = f32x4.splat(wRec);
  const vc = f32x4.splat(c);
  let loss: f64 = 0, gradX: f64 = 0, gradR: f64 = 0;
  const groups = n / GROUP;
  // Group-major inputs are read front to back: nothing to gather into cache first.
  const block = !grouped && <i64>rows * T * size > CACHED_BYTES ? max(1, min(groups, BLOCK_BYTES / (T * GROUP * size))) : groups + 1;
  let touched = f32x4.splat(0);
  // A backward pass may end early, its sums' bits unchanged: over 0/1 inputs once `settled` in every
  // lane; over f32 inputs once every lane's g is ±0 and the group's states are finite (a finite
  // s[T] means every state and x·wx was: NaN and ±∞ propagate), so later addends are ±0, and a sum
  // that starts at +0 is never −0. |wRec| ≤ 1 is what the bound needs; above 3/4 a pass rarely
  // settles within a sequence and the checks would only cost. S = 4·T·|wx| bounds |s[k]| ≤
  // k·|wx|·(1 + 2⁻²⁴)^2k for T ≤ 2²⁰ (rounding it to f32 included); +inf when that overflows.
  const bound = isInteger<X>();
  const settle = abs(wRec) <= 0.75 && (!bound || T <= 1 << 20);
  const vS = f32x4.splat(<float>(<f64>T * 4 * abs<f64>(wx)));
  // With four or more samples past the last group, the first four run beside that group: their
  // forward pass as a fifth register of its forward pass (states after the group's rows: scratch
  // f32[T+1][16] then f32[T+1][4]), their backward beside its second backward pass (whose chains
  // leave room for one more), their sums added after the group's as the tail's own loop adds them.
  // At the tutorial's 20 samples, four chains of T steps run one after another instead of five.
  const fuse = groups > 0 && n - groups * GROUP >= 4;
  const xt0 = x + <usize>groups * groupBytes;
  const tailStates = scratch + (<usize>(T + 1) << 6);
  let q = 0;
  if (isSigned<X>()) {
    // Group-major masks: groups two at a time in groupPairs; an odd one left and the one that carries the fused tail here.
    q = (fuse ? groups - 1 : groups) & ~1;
    groupPairs(x, t, 0, q, T, wx, wRec, c, settle, <float>(<f64>T * 4 * abs<f64>(wx)), scratch, out);
    loss = load<f64>(out); gradX = load<f64>(out, 8); gradR = load<f64>(out, 16);
  }
  for (; q < groups; q++) {
    const col = <usize>q * groupBytes;
    if (q % block == 0 && block <= groups) {
      const end = <usize>min(q + block, groups) * groupBytes;
      for (let k = 0; k < T; k++) {
        const row = x + <usize>k * stride;
        for (let b = col; b < end; b += 64) touched = v128.or(touched, v128.load(row + b));
      }
    }
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    v128.store(scratch, s0); v128.store(scratch, s0, 16); v128.store(scratch, s0, 32); v128.store(scratch, s0, 48);
    // Pointers stepped, not recomputed: the host compiler keeps every instruction it is given, and
    // at one step per few cycles the instruction count, not the arithmetic, sets the pace.
    const last = fuse && q == groups - 1;
    let sTail = s0, xt = xt0, st = tailStates;
    if (last) v128.store(st, sTail);
    let xk = x + col, sk = scratch;
    for (let k = 1; k <= T; k++) {
      s0 = f32x4.add(xTimes<X>(xk, 0, vwx), f32x4.mul(s0, vwr));
      s1 = f32x4.add(xTimes<X>(xk, 1, vwx), f32x4.mul(s1, vwr));
      s2 = f32x4.add(xTimes<X>(xk, 2, vwx), f32x4.mul(s2, vwr));
      s3 = f32x4.add(xTimes<X>(xk, 3, vwx), f32x4.mul(s3, vwr));
      sk += 64;
      v128.store(sk, s0); v128.store(sk, s1, 16); v128.store(sk, s2, 32); v128.store(sk, s3, 48);
      xk += stride;
      if (last) {
        sTail = f32x4.add(xTimes<X>(xt, 0, vwx), f32x4.mul(sTail, vwr));
        st += 16;
        v128.store(st, sTail);
        xt += stride;
      }
    }
    const tq = t + (<usize>(q * GROUP) << 2);
    const e0 = f32x4.sub(s0, v128.load(tq)), e1 = f32x4.sub(s1, v128.load(tq, 16));
    const e2 = f32x4.sub(s2, v128.load(tq, 32)), e3 = f32x4.sub(s3, v128.load(tq, 48));
    // Backward in two passes of two registers each: six chains in flight fit the 15 registers the
    // host compiler gives a loop; all twelve at once spill accumulators to the stack.
    loss += sumLanes(f32x4.mul(e0, e0)) + sumLanes(f32x4.mul(e1, e1)) + sumLanes(f32x4.mul(e2, e2)) + sumLanes(f32x4.mul(e3, e3));
    const finite = settle && (bound || allFinite(s0, s1, s2, s3));
    const eT = last ? f32x4.sub(sTail, v128.load(t + (<usize>(groups * GROUP) << 2))) : sTail; // the tail's targets exist only when it does
    for (let h = 0; h < 2; h++) {
      let g0 = f32x4.mul(vc, h ? e2 : e0), g1 = f32x4.mul(vc, h ? e3 : e1);
      let x0 = f32x4.splat(0), x1 = x0, r0 = x0, r1 = x0;
      let xb = xk + <usize>(h << 3) * size, sp = sk + <usize>(h << 5);
      const tail = last && h == 1;
      const stop = finite && !tail;
      let gT = f32x4.mul(vc, eT), xT = x0, rT = x0;
      for (let k = T; k >= 1; ) {
        for (const end = stop ? max(k - CHECK, 0) : 0; k > end; k--) { // CHECK steps, or all when no early end
          xb -= stride;
          sp -= 64;
          x0 = f32x4.add(x0, xTimes<X>(xb, 0, g0));
          x1 = f32x4.add(x1, xTimes<X>(xb, 1, g1));
          r0 = f32x4.add(r0, f32x4.mul(g0, v128.load(sp)));
          r1 = f32x4.add(r1, f32x4.mul(g1, v128.load(sp, 16)));
          g0 = f32x4.mul(g0, vwr); g1 = f32x4.mul(g1, vwr);
          if (tail) {
            xt -= stride;
            st -= 16;
            xT = f32x4.add(xT, xTimes<X>(xt, 0, gT));
            rT = f32x4.add(rT, f32x4.mul(gT, v128.load(st)));
            gT = f32x4.mul(gT, vwr);
          }
        }
        if (stop && (bound ? i32x4.all_true(v128.and(settled(g0, x0, r0, vS), settled(g1, x1, r1, vS))) : !v128.any_true(i32x4.shl(v128.or(g0, g1), 1)))) break;
      }
      gradX += sumLanes(x0) + sumLanes(x1);
      gradR += sumLanes(r0) + sumLanes(r1);
      if (tail) {
        loss += sumLanes(f32x4.mul(eT, eT));
        gradX += sumLanes(xT);
        gradR += sumLanes(rT);
      }
    }
  }
  // Then groups of 4 samples in one register (the first one already run beside the last group
  // when fused), then single samples.
  let i = groups * GROUP + (fuse ? 4 : 0);
  for (; i + 4 <= n; i += 4) {
    const col = colOf<X>(i, rows, T, grouped);
    let s = f32x4.splat(0);
    v128.store(scratch, s);
    for (let k = 1; k <= T; k++) {
      s = f32x4.add(xTimes<X>(x + <usize>(k - 1) * stride + col, 0, vwx), f32x4.mul(s, vwr));
      v128.store(scratch + (<usize>k << 4), s);
    }
    const e = f32x4.sub(s, v128.load(t + (<usize>i << 2)));
    let g = f32x4.mul(vc, e);
    let gx = f32x4.splat(0), gr = gx;
    for (let k = T; k >= 1; k--) {
      gx = f32x4.add(gx, xTimes<X>(x + <usize>(k - 1) * stride + col, 0, g));
      gr = f32x4.add(gr, f32x4.mul(g, v128.load(scratch + (<usize>(k - 1) << 4))));
      g = f32x4.mul(g, vwr);
    }
    loss += sumLanes(f32x4.mul(e, e));
    gradX += sumLanes(gx);
    gradR += sumLanes(gr);
  }
  store<f64>(out, loss);
  store<f64>(out, gradX, 8);
  store<f64>(out, gradR, 16);
  for (; i < n; i++) sampleScalar<X>(x, t, colOf<X>(i, rows, T, grouped), stride, T, wx, wRec, c, scratch, i, out);
  v128.store(scratch, touched); // keeps the touching loads of large inputs alive (scratch is free by now)
}

/** The SIMD fused epoch over f32 inputs x f32[T][n]. */
export function linearLossGrad(x: usize, t: usize, n: i32, T: i32, wx: float, wRec: float, c: float, scratch: usize, out: usize): void {
  lossGrad<f32>(x, t, n, n, T, wx, wRec, c, scratch, out);
}

/** The SIMD fused epoch over 0/1 inputs laid out group-major (linearPackGroups). */
export function linearLossGradGroups(x: usize, t: usize, n: i32, T: i32, wx: float, wRec: float, c: float, scratch: usize, out: usize): void {
  lossGrad<i8>(x, t, n, n, T, wx, wRec, c, scratch, out, true);
}


// A value packs when it compares equal to 1 or to 0 (−0 == 0; NaN equals nothing; no other float
// equals either): per sixteen values the lanes equal to 1 and those equal to 0 are narrowed to bytes,
// the first are the bytes packed, and their OR must have every byte set. Judged once per call.

/** The 16 bytes of −1 or 0 where values a..d (four f32x4) equal v. */
// @ts-ignore: decorator
@inline function equalBytes(a: v128, b: v128, c: v128, d: v128, v: f32): v128 {
  const s = f32x4.splat(v);
  // Masks are 0 or −1: narrowing −1 saturates to −1 (0xff) in i16 then i8 with signed narrows.
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(f32x4.eq(a, s), f32x4.eq(b, s)), i16x8.narrow_i32x4_s(f32x4.eq(c, s), f32x4.eq(d, s)));
}

/** One f32 value as a byte at dst (`one` for 1) when it is 0, −0 or 1; false otherwise. */
// @ts-ignore: decorator
@inline function packOne(src: usize, dst: usize, one: i8): bool {
  const b = load<u32>(src);
  if (b == 0x3f800000) store<i8>(dst, one);
  else if ((b & 0x7fffffff) == 0) store<u8>(dst, 0);
  else return false;
  return true;
}

/**
 * Copy `count` f32 inputs at src to bytes at dst when each is 0 or 1 (−0 counts as 0); returns
 * false, with dst written, when any other value is among them. Sixteen values per step.
 */
export function linearPackBytes(src: usize, dst: usize, count: i32): bool {
  let ok = i8x16.splat(-1);
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const p = src + (<usize>i << 2);
    const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
    const ones = equalBytes(a, b, c, d, 1);
    ok = v128.and(ok, v128.or(ones, equalBytes(a, b, c, d, 0)));
    v128.store(dst + <usize>i, v128.and(ones, i8x16.splat(1)));
  }
  if (!i8x16.all_true(ok)) return false;
  for (; i < count; i++) if (!packOne(src + (<usize>i << 2), dst + <usize>i, 1)) return false;
  return true;
}

/**
 * linearPackBytes into the group-major layout as i8 masks (see the top of this file): `count` inputs of step k
 * (0-based) of samples i0, i0 + 1, … (i0 a multiple of 16) from src, into dst laid out for T steps.
 */
export function linearPackGroups(src: usize, dst: usize, T: i32, k: i32, i0: i32, count: i32): bool {
  let ok = i8x16.splat(-1);
  const row = dst + <usize>k * GROUP, group = <usize>GROUP * T;
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const p = src + (<usize>i << 2);
    const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
    const ones = equalBytes(a, b, c, d, 1);
    ok = v128.and(ok, v128.or(ones, equalBytes(a, b, c, d, 0)));
    v128.store(row + <usize>((i0 + i) >> 4) * group, ones);
  }
  if (!i8x16.all_true(ok)) return false;
  for (; i < count; i++) {
    const j = i0 + i;
    if (!packOne(src + (<usize>i << 2), row + <usize>(j >> 4) * group + <usize>(j & (GROUP - 1)), -1)) return false;
  }
  return true;
}

/** Index of the first of `count` f32 values at p that is NaN or ±∞, or −1: sixteen values per step, x − x being NaN exactly for those. */
export function firstNonFinite(p: usize, count: i32): i32 {
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const q = p + (<usize>i << 2);
    const a = v128.load(q), b = v128.load(q, 16), c = v128.load(q, 32), d = v128.load(q, 48);
    const z = f32x4.add(f32x4.add(f32x4.sub(a, a), f32x4.sub(b, b)), f32x4.add(f32x4.sub(c, c), f32x4.sub(d, d)));
    if (!i32x4.all_true(f32x4.eq(z, z))) break; // NaN ≠ NaN: the first such value is in these sixteen
  }
  for (; i < count; i++) {
    const v = load<f32>(p + (<usize>i << 2));
    if (v - v != 0) return i;
  }
  return -1;
}
