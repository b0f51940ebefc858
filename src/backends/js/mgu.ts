// The plain-TypeScript twin of assembly/mgu.ts: the minimal gated unit as a layer of a stack.
//   f = ra(x·Kf + h·Rf + bf),  q = f ⊙ h,  n = act(x·Kn + q·Rn + bn),  h′ = (1 − f) ⊙ h + f ⊙ n
// Work: F, N, Q [T][B][H], D [T][B][2H] = [df dn], then g, s, carry [B][H]. Float64.

import { act1, dAct, gradTimes, maskHold, maskRejoin, maskRoute, rowsTimes, rowsTimesT, type LayerCall } from './layer.js';

/** One step: F, N, Q at fo in work; the new state into out at o0 from hs at hp. */
function cell(c: LayerCall, x0: number, hs: Float64Array, hp: number, out: Float64Array, o0: number, fo: number, T: number): void {
  const { B, I, H, p, p0, work } = c;
  const H2 = 2 * H, BH = B * H, R = p0 + I * H2, b = R + H * H2;
  const F = fo, N = fo + T * BH, Q = fo + 2 * T * BH;
  for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) [work[F + r * H + j], work[N + r * H + j]] = [p[b + j]!, p[b + H + j]!];
  rowsTimes(B, I, H, c.x, x0, I, p, p0, H2, work, F, H);
  rowsTimes(B, H, H, hs, hp, H, p, R, H2, work, F, H);
  for (let e = 0; e < BH; e++) {
    work[F + e] = act1(c.recAct, work[F + e]!);
    work[Q + e] = work[F + e]! * hs[hp + e]!;
  }
  rowsTimes(B, I, H, c.x, x0, I, p, p0 + H, H2, work, N, H);
  rowsTimes(B, H, H, work, Q, H, p, R + H, H2, work, N, H);
  for (let e = 0; e < BH; e++) {
    const n = (work[N + e] = act1(c.act, work[N + e]!)), f = work[F + e]!;
    out[o0 + e] = (1 - f) * hs[hp + e]! + f * n;
  }
}

/** h[1..T] from h[0] and x. */
export function mguForward(c: LayerCall): void {
  const BH = c.B * c.H;
  for (let k = 1; k <= c.T; k++) {
    cell(c, c.x0 + (k - 1) * c.xs, c.hs, (k - 1) * BH, c.hs, k * BH, (k - 1) * BH, c.T);
    maskHold(c, k);
  }
}

/** One step in place: the state hs [B][H] advances by x [B][I] at x0. */
export function mguStep(c: LayerCall): void {
  const BH = c.B * c.H, next = new Float64Array(BH);
  cell(c, c.x0, c.hs, 0, next, 0, 0, 1);
  c.hs.set(next);
}

/** BPTT after mguForward with the same call: adds into the gradients, writes dx. */
export function mguBackward(c: LayerCall): void {
  const { T, B, I, H, hs, dh, work, g, g0, p, p0 } = c;
  const H2 = 2 * H, BH = B * H, R = p0 + I * H2;
  const F = 0, N = T * BH, Q = 2 * T * BH, D = 3 * T * BH, G = 5 * T * BH, S = G + BH, carry = S + BH;
  work.fill(0, carry, carry + BH);
  for (let k = T; k >= 1; k--) {
    const o = (k - 1) * BH, Dk = D + (k - 1) * BH * 2, cut = c.window > 0 && (k - 1) % c.window === 0;
    maskRoute(c, k, work, carry);
    for (let e = 0; e < BH; e++) work[G + e] = dh[o + e]! + work[carry + e]!;
    for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) {
      const e = r * H + j;
      work[Dk + r * H2 + H + j] = work[G + e]! * work[F + o + e]! * dAct(c.act, work[N + o + e]!);
    }
    rowsTimesT(B, H, H, work, Dk + H, H2, p, R + H, H2, work, S, H, false);
    for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) {
      const e = r * H + j, f = work[F + o + e]!, n = work[N + o + e]!, h = hs[o + e]!, ge = work[G + e]!, se = work[S + e]!;
      work[Dk + r * H2 + j] = (ge * (n - h) + se * h) * dAct(c.recAct, f);
      work[carry + e] = ge * (1 - f) + se * f;
    }
    if (cut) work.fill(0, carry, carry + BH);
    else rowsTimesT(B, H, H, work, Dk, H2, p, R, H2, work, carry, H, true);
    maskRejoin(c, k, work, carry, -1, cut);
  }
  for (let k = 1; k <= T; k++) {
    const o = (k - 1) * BH, Dk = D + (k - 1) * BH * 2;
    gradTimes(B, I, H2, c.x, c.x0 + (k - 1) * c.xs, I, work, Dk, H2, g, g0, H2);
    gradTimes(B, H, H, hs, o, H, work, Dk, H2, g, g0 + I * H2, H2);
    gradTimes(B, H, H, work, Q + o, H, work, Dk + H, H2, g, g0 + I * H2 + H, H2);
    for (let r = 0; r < B; r++) for (let j = 0; j < H2; j++) g[g0 + I * H2 + H * H2 + j]! += work[Dk + r * H2 + j]!;
    if (c.dx) rowsTimesT(B, I, H2, work, Dk, H2, p, p0, H2, c.dx, (k - 1) * B * I, I, false);
  }
}
