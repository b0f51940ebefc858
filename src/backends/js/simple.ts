// The plain-TypeScript twin of assembly/simple.ts: Keras SimpleRNN as a layer of a stack.
//   forward:  h[k] = act(x[k]·K + h[k-1]·R + b)
//   backward: g = dh[k] + carry;  da[k] = g ⊙ act′(h[k]);  carry = da[k]·Rᵀ (0 at a window edge)
//             gK += Σ x[k]ᵀ·da[k],  gR += Σ h[k-1]ᵀ·da[k],  gb += Σ da,  dx[k] = da[k]·Kᵀ
// Work: da [T][B][H], carry [B][H].

import { act1, dAct, gradTimes, maskHold, maskRejoin, maskRoute, rowsTimes, rowsTimesT, type LayerCall } from './layer.js';

function cell(c: LayerCall, x0: number, hp: number, out: Float64Array, o0: number, hs: Float64Array): void {
  const { B, I, H, p, p0 } = c;
  for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) out[o0 + r * H + j] = p[p0 + I * H + H * H + j]!;
  rowsTimes(B, I, H, c.x, x0, I, p, p0, H, out, o0, H);
  rowsTimes(B, H, H, hs, hp, H, p, p0 + I * H, H, out, o0, H);
  for (let e = 0; e < B * H; e++) out[o0 + e] = act1(c.act, out[o0 + e]!);
}

/** h[1..T] from h[0] and x. */
export function simpleForward(c: LayerCall): void {
  const BH = c.B * c.H;
  for (let k = 1; k <= c.T; k++) {
    cell(c, c.x0 + (k - 1) * c.xs, (k - 1) * BH, c.hs, k * BH, c.hs);
    maskHold(c, k);
  }
}

/** One step in place: the state hs [B][H] advances by x [B][I] at x0. */
export function simpleStep(c: LayerCall): void {
  const BH = c.B * c.H;
  cell(c, c.x0, 0, c.work, 0, c.hs);
  c.hs.set(c.work.subarray(0, BH));
}

/** BPTT after simpleForward with the same call: adds into the gradients, writes dx. */
export function simpleBackward(c: LayerCall): void {
  const { T, B, I, H, hs, dh, work, g, g0, p, p0 } = c;
  const BH = B * H, carry = T * BH;
  work.fill(0, carry, carry + BH);
  for (let k = T; k >= 1; k--) {
    const d = (k - 1) * BH, cut = c.window > 0 && (k - 1) % c.window === 0;
    maskRoute(c, k, work, carry);
    for (let e = 0; e < BH; e++) work[d + e] = (dh[d + e]! + work[carry + e]!) * dAct(c.act, hs[k * BH + e]!);
    if (cut) work.fill(0, carry, carry + BH);
    else rowsTimesT(B, H, H, work, d, H, p, p0 + I * H, H, work, carry, H, false);
    maskRejoin(c, k, work, carry, -1, cut);
  }
  for (let k = 1; k <= T; k++) {
    const d = (k - 1) * BH;
    gradTimes(B, I, H, c.x, c.x0 + (k - 1) * c.xs, I, work, d, H, g, g0, H);
    gradTimes(B, H, H, hs, d, H, work, d, H, g, g0 + I * H, H);
    for (let e = 0; e < BH; e++) g[g0 + I * H + H * H + (e % H)]! += work[d + e]!;
    if (c.dx) rowsTimesT(B, I, H, work, d, H, p, p0, H, c.dx, (k - 1) * B * I, I, false);
  }
}
