// Keras SimpleRNN as a layer of a stack (its fused single-layer form is assembly/elman.ts).
// Shapes: x f32[T][B][I] (step stride xs), hs f32[T+1][B][H] with hs[0] the initial state,
// params [K I×H | R H×H | b H], dh f32[T][B][H] from above, dx f32[T][B][I] for the layer below.
// Every call takes one block of words laid out in src/abi/gated.ts.
//
// forward:   h[k] = act(x[k]·K + h[k-1]·R + b),  k = 1..T
// backward:  k = T..1:  g = dh[k] + carry;  da[k] = g ⊙ act′(h[k]);  carry = da[k]·Rᵀ (0 at a window edge)
//            gK += Σ x[k]ᵀ·da[k],  gR += Σ h[k-1]ᵀ·da[k],  gb += Σ da,  dx[k] = da[k]·Kᵀ

import { L_ACT, L_B, L_DH, L_DH_FROM, L_DX, L_G, L_H, L_HS, L_I, L_P, L_T, L_WINDOW, L_WORK, L_X, L_XS } from '../src/abi/gated';
import { actIn, at, dAct, dAct4, maskHold, maskRejoin, maskRoute, up4, word } from './gates';
import { colSum, mm, mmAffine, mmBiasSteps, mmPanels, mmT, mmTPacked, mmTSteps, packPanels, transpose, useMtPacked, usePanels } from './matmul';

// Scratch (src/cells/simple.ts sizes it): da f32[T][B][H], carry f32[B][H], Rᵀ f32[H][H], Kᵀ f32[H][I],
// panels f32[H][H] (R's column panels in the forward, Rᵀ's in the backward: ./matmul packPanels; then
// mmTPacked's chunks for the recurrent weights' gradient).

/** One step for B rows: hk = act(xk·K + hp·R + b); hk must not alias hp. */
// @ts-ignore: decorator
@inline function cell(xk: usize, hp: usize, hk: usize, B: i32, I: i32, H: i32, act: i32, p: usize): void {
  const R = at(p, I * H), b = at(R, H * H);
  mmAffine(xk, I, p, I, hp, H, R, H, H, b, hk, H, B, H);
  actIn(hk, B * H, act);
}

/** The panels' place in the scratch: after da, carry, Rᵀ and Kᵀ. */
// @ts-ignore: decorator
@inline function panels(blk: usize, T: i32, B: i32, I: i32, H: i32): usize {
  return at(<usize>word(blk, L_WORK), up4(T * B * H) + up4(B * H) + up4(H * H) + up4(H * I));
}

/** h[1..T] from h[0] and x; R read from its column panels (packed once per call) where they pay. */
export function simpleForward(blk: usize): void {
  const T = word(blk, L_T), B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H), act = word(blk, L_ACT);
  const x = <usize>word(blk, L_X), xs = word(blk, L_XS), hs = <usize>word(blk, L_HS), p = <usize>word(blk, L_P);
  const R = at(p, I * H), BH = B * H;
  if (B >= 8 && !usePanels(B, H)) {
    // Few units, many rows: each step's x·K and h·R in one register block (mmAffine). Every step's
    // rows of b + x·K made first outlive L1 (hidden 8, 100 rows: 64 KiB) and came back from L2 at
    // each step: the epoch 0.91–0.93× as long this way in alternating processes. Same bits.
    for (let k = 1; k <= T; k++) {
      cell(at(x, (k - 1) * xs), at(hs, (k - 1) * BH), at(hs, k * BH), B, I, H, act, p);
      maskHold(blk, k);
    }
    return;
  }
  // x·K + b for every step first (the recurrence does not need it step by step), then h·R per step: cell()'s bits.
  mmBiasSteps(x, I, xs, p, H, at(R, H * H), at(hs, BH), H, T, B, I, H);
  const P = usePanels(B, H) ? panels(blk, T, B, I, H) : 0;
  if (P) packPanels(R, H, H, H, P);
  for (let k = 1; k <= T; k++) {
    if (P) mmPanels(at(hs, (k - 1) * BH), H, R, H, P, at(hs, k * BH), H, B, H, H, true);
    else mm(at(hs, (k - 1) * BH), H, R, H, at(hs, k * BH), H, B, H, H, true);
    actIn(at(hs, k * BH), BH, act);
    maskHold(blk, k);
  }
}

/** One step in place: the state hs f32[B][H] becomes act(x·K + hs·R + b); x is f32[B][I]. */
export function simpleStep(blk: usize): void {
  const B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H);
  const hs = <usize>word(blk, L_HS), tmp = <usize>word(blk, L_WORK);
  cell(<usize>word(blk, L_X), hs, tmp, B, I, H, word(blk, L_ACT), <usize>word(blk, L_P));
  memory.copy(hs, tmp, <usize>(B * H) << 2);
}

/** da = (d + c) ⊙ act′(h) over len floats in one pass (the sum rounded first, as an add then a multiply); c = 0: d ⊙ act′(h). */
function gradIn(da: usize, d: usize, c: usize, h: usize, len: i32, act: i32): void {
  const n4 = len & ~3;
  let i = 0;
  if (c) {
    for (; i < n4; i += 4) v128.store(at(da, i), f32x4.mul(f32x4.add(v128.load(at(d, i)), v128.load(at(c, i))), dAct4(v128.load(at(h, i)), act)));
    for (; i < len; i++) store<f32>(at(da, i), (load<f32>(at(d, i)) + load<f32>(at(c, i))) * dAct(load<f32>(at(h, i)), act));
  } else {
    for (; i < n4; i += 4) v128.store(at(da, i), f32x4.mul(v128.load(at(d, i)), dAct4(v128.load(at(h, i)), act)));
    for (; i < len; i++) store<f32>(at(da, i), load<f32>(at(d, i)) * dAct(load<f32>(at(h, i)), act));
  }
}

/** BPTT through the layer after simpleForward on the same block: adds into the gradients, writes dx. */
export function simpleBackward(blk: usize): void {
  const T = word(blk, L_T), B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H), act = word(blk, L_ACT);
  const window = word(blk, L_WINDOW), x = <usize>word(blk, L_X), xs = word(blk, L_XS), hs = <usize>word(blk, L_HS);
  const p = <usize>word(blk, L_P), g = <usize>word(blk, L_G), dh = <usize>word(blk, L_DH), dx = <usize>word(blk, L_DX);
  const BH = B * H, from = word(blk, L_DH_FROM);
  const das = <usize>word(blk, L_WORK), carry = at(das, up4(T * BH)), RT = at(carry, up4(BH)), KT = at(RT, up4(H * H));
  transpose(at(p, I * H), H, H, RT);
  const P = usePanels(B, H) ? panels(blk, T, B, I, H) : 0;
  if (P) packPanels(RT, H, H, H, P);
  memory.fill(carry, 0, <usize>BH << 2);
  for (let k = T; k >= 1; k--) {
    const dk = at(dh, (k - 1) * BH), dak = at(das, (k - 1) * BH), cut = window > 0 && (k - 1) % window == 0;
    maskRoute(blk, k, carry, 0);
    if (k > from) gradIn(dak, dk, carry, at(hs, k * BH), BH, act);
    else gradIn(dak, carry, 0, at(hs, k * BH), BH, act); // no dh from above before step `from`: the carry alone
    if (cut) memory.fill(carry, 0, <usize>BH << 2);
    else if (P) mmPanels(dak, H, RT, H, P, carry, H, B, H, H, false);
    else mm(dak, H, RT, H, carry, H, B, H, H, false);
    maskRejoin(blk, k, carry, 0, cut);
  }
  mmTSteps(x, I, xs, das, H, g, H, T, B, I, H);
  // The panels are free once the steps are done: mmTPacked's chunks (MT_CHUNK·2H ≤ H² floats where it is used).
  if (useMtPacked(H, H)) mmTPacked(hs, H, das, H, at(g, I * H), H, T * B, H, H, panels(blk, T, B, I, H));
  else mmT(hs, H, das, H, at(g, I * H), H, T * B, H, H);
  colSum(das, T * B, H, at(g, I * H + H * H));
  if (dx) {
    transpose(p, I, H, KT);
    mm(das, H, KT, I, dx, I, T * B, H, I, false);
  }
}
