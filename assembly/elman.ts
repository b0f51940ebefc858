// The Elman network (Keras SimpleRNN + Dense) over one mini-batch of B samples, T steps:
//   h[0] = 0,  a[k] = x[k]·K + h[k-1]·R + b,  h[k] = act(a[k]),  z[k] = h[k]·Wo + bo,  y = outAct(z)
// with rows = samples (x[k] is [B][I], h[k] is [B][H]); outputs at every step (seq = 1) or at k = T.
// BPTT, k = T..1:  dh += dz[k]·Woᵀ;  da[k] = dh ⊙ act'(h[k]);  dh = da[k]·Rᵀ  (0 at a window edge)
//   gK += Σk x[k]ᵀ·da[k],  gR += Σk h[k-1]ᵀ·da[k],  gb += Σ da,  gWo += Σk h[k]ᵀ·dz[k],  gbo += Σ dz
// Params p and grads g are flat f32 in the Keras order [K | R | b | Wo | bo]. Every pointer is a byte
// offset into the host's memory; `work` is one scratch block laid out below (elmanWorkFloats).
// Matrix products are f32 (f32x4 over the output columns); only the loss is summed in f64.

import { activate, activateBack } from './activations';
import { colSum, fillRows, mm, mmT, transpose } from './matmul';
import { lossRow, outputRow } from './head';
import {
  EJ_ACT, EJ_B, EJ_GRADS, EJ_H, EJ_I, EJ_LOSS, EJ_O, EJ_OUT, EJ_OUT_ACT, EJ_PARAMS, EJ_SCALE, EJ_SEQ, EJ_STEPS, EJ_T,
  EJ_T_STRIDE, EJ_WINDOW, EJ_WORK, EJ_X, EJ_X_STRIDE,
} from '../src/abi/elman';

type float = f32;

// Codes from src/abi/codes.ts: hidden activations are decoded in ./activations, output
// activations and losses in ./head (shared with the layer stacks). Both kernels take one parameter
// block laid out in src/abi/elman.ts.

// @ts-ignore: decorator
@inline function up4(n: i32): i32 {
  return (n + 3) & ~3;
}

/**
 * Floats of scratch one call needs: h f32[T+1][B][H], da f32[T][B][H], z/dz f32[T][B][O], dh, Rᵀ, Woᵀ.
 * Computed in f64 (exact below 2^53) so the host can refuse a job beyond 4 GiB before any call;
 * the kernels' own i32 offsets are safe once that check passed (every offset is below 2^30 floats).
 */
export function elmanWorkFloats(B: f64, T: f64, H: f64, O: f64): f64 {
  return up4f((T + 1) * B * H) + up4f(T * B * H) + up4f(T * B * O) + up4f(B * H) + up4f(H * H) + up4f(O * H);
}

// @ts-ignore: decorator
@inline function up4f(n: f64): f64 {
  return Math.ceil(n / 4) * 4;
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
    fillRows(hk, H, B, b, H);
    mm(x + (<usize>((k - 1) * xs) << 2), I, p, H, hk, H, B, I, H, true);
    mm(hp, H, R, H, hk, H, B, H, H, true);
    activate(hk, BH, act);
  }
}

// @ts-ignore: decorator
@inline function int(job: usize, i: i32): i32 {
  return load<i32>(job + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function ptr(job: usize, i: i32): usize {
  return <usize>load<u32>(job + (<usize>i << 2));
}

/** Outputs only: y f32[Tout][B][O] at job[EJ_OUT] (Tout = T when seq, else 1) for B samples whose x starts at job[EJ_X]. */
export function elmanForward(job: usize): void {
  const x = ptr(job, EJ_X), xs = int(job, EJ_X_STRIDE), B = int(job, EJ_B), T = int(job, EJ_STEPS);
  const I = int(job, EJ_I), H = int(job, EJ_H), O = int(job, EJ_O), act = int(job, EJ_ACT), outAct = int(job, EJ_OUT_ACT);
  const seq = int(job, EJ_SEQ), p = ptr(job, EJ_PARAMS), work = ptr(job, EJ_WORK), y = ptr(job, EJ_OUT);
  forward(x, xs, B, T, I, H, act, p, work);
  const Wo = p + (<usize>(I * H + H * H + H) << 2);
  const bo = Wo + (<usize>(H * O) << 2);
  const k0 = seq ? 1 : T;
  for (let k = k0; k <= T; k++) {
    const yk = y + (<usize>((k - k0) * B * O) << 2);
    fillRows(yk, O, B, bo, O);
    mm(work + (<usize>(k * B * H) << 2), H, Wo, O, yk, O, B, H, O, true);
    for (let r = 0; r < B; r++) outputRow(yk + (<usize>(r * O) << 2), O, outAct);
  }
}

/**
 * Fused forward, loss and BPTT for one mini-batch: grads g are overwritten, out f64[1] gets the loss.
 * x: the batch's first sample at step 0, step stride xs floats (rows of I); t likewise with stride ts
 * (seq) or one row of O per sample; s scales the loss (1 or 1/count); window > 0 truncates BPTT.
 */
export function elmanLossGrad(job: usize): void {
  const x = ptr(job, EJ_X), xs = int(job, EJ_X_STRIDE), t = ptr(job, EJ_T), ts = int(job, EJ_T_STRIDE);
  const B = int(job, EJ_B), T = int(job, EJ_STEPS), I = int(job, EJ_I), H = int(job, EJ_H), O = int(job, EJ_O);
  const act = int(job, EJ_ACT), outAct = int(job, EJ_OUT_ACT), loss = int(job, EJ_LOSS), seq = int(job, EJ_SEQ);
  const s = load<float>(job + (<usize>EJ_SCALE << 2)), window = int(job, EJ_WINDOW);
  const p = ptr(job, EJ_PARAMS), g = ptr(job, EJ_GRADS), work = ptr(job, EJ_WORK), out = ptr(job, EJ_OUT);
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
    fillRows(zk, O, B, bo, O);
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
