// The plain-TypeScript twin of assembly/gru.ts: Keras/TF.js GRU as a layer, gates [z, r, h].
//   z = σ(x·K_z + p·R_z + b_z),  r = σ(x·K_r + p·R_r + b_r)            (p = h[k-1])
//   resetAfter 0:  n = act(x·K_h + (r ⊙ p)·R_h + b_h),  a = r ⊙ p
//   resetAfter 1:  n = act(x·K_h + b_h + r ⊙ a),  a = p·R_h + b′_h   (b′ the recurrent bias, also in z, r)
//   h[k] = z ⊙ p + (1 − z) ⊙ n
// backward: g = dh[k] + carry;  dn = g ⊙ (1 − z) ⊙ act′(n);  dz = g ⊙ (p − n) ⊙ σ′(z)
//   resetAfter 0:  q = dn·R_hᵀ;  dr = q ⊙ p ⊙ σ′(r);  carry = g ⊙ z + q ⊙ r + [dz dr]·[R_z R_r]ᵀ
//   resetAfter 1:  e = dn ⊙ r;   dr = dn ⊙ a ⊙ σ′(r);  carry = g ⊙ z + [dz dr e]·Rᵀ
//   D = [dz dr dn]: gK += Σ xᵀ·D, gb += Σ D, gR_zr += Σ pᵀ·D_zr, gR_h += Σ aᵀ·dn (0) or Σ pᵀ·e (1), gb′ += Σ [dz dr e]
// Work: gates [T][B][3H], a [T][B][H], D [T][B][3H], e [T][B][H], carry [B][H], q [B][H].

import { act1, dAct, gradTimes, maskHold, maskRejoin, maskRoute, rowsTimes, rowsTimesT, type LayerCall } from './layer.js';

/** One step: gates into work at G, a at A, the new state into out at o0 (p = hs at hp). */
function cell(c: LayerCall, x0: number, hp: number, G: number, A: number, out: Float64Array, o0: number): void {
  const { B, I, H, p, p0, hs, work: w } = c;
  const H3 = 3 * H, R = p0 + I * H3, b = R + H * H3, b2 = b + H3;
  for (let r = 0; r < B; r++) for (let j = 0; j < H3; j++) w[G + r * H3 + j] = p[b + j]! + (c.resetAfter && j < 2 * H ? p[b2 + j]! : 0);
  rowsTimes(B, I, H3, c.x, x0, I, p, p0, H3, w, G, H3);
  rowsTimes(B, H, 2 * H, hs, hp, H, p, R, H3, w, G, H3);
  for (let r = 0; r < B; r++) for (let j = 0; j < 2 * H; j++) w[G + r * H3 + j] = act1(c.recAct, w[G + r * H3 + j]!);
  if (c.resetAfter) {
    for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) w[A + r * H + j] = p[b2 + 2 * H + j]!;
    rowsTimes(B, H, H, hs, hp, H, p, R + 2 * H, H3, w, A, H);
    for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) w[G + r * H3 + 2 * H + j]! += w[G + r * H3 + H + j]! * w[A + r * H + j]!;
  } else {
    for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) w[A + r * H + j] = w[G + r * H3 + H + j]! * hs[hp + r * H + j]!;
    rowsTimes(B, H, H, w, A, H, p, R + 2 * H, H3, w, G + 2 * H, H3);
  }
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < H; j++) {
      const n = (w[G + r * H3 + 2 * H + j] = act1(c.act, w[G + r * H3 + 2 * H + j]!));
      const z = w[G + r * H3 + j]!;
      out[o0 + r * H + j] = z * hs[hp + r * H + j]! + (1 - z) * n;
    }
  }
}

/** h[1..T] from h[0] and x, keeping the gates for gruBackward. */
export function gruForward(c: LayerCall): void {
  const { T, B, H } = c, BH = B * H;
  for (let k = 1; k <= T; k++) {
    cell(c, c.x0 + (k - 1) * c.xs, (k - 1) * BH, (k - 1) * 3 * BH, 3 * T * BH + (k - 1) * BH, c.hs, k * BH);
    maskHold(c, k);
  }
}

/** One step in place: the state hs [B][H] advances by x [B][I] at x0 (work sized for T = 1). */
export function gruStep(c: LayerCall): void {
  const BH = c.B * c.H;
  cell(c, c.x0, 0, 0, 3 * BH, c.work, 4 * BH);
  c.hs.set(c.work.subarray(4 * BH, 5 * BH));
}

/** BPTT after gruForward with the same call: adds into the gradients, writes dx. */
export function gruBackward(c: LayerCall): void {
  const { T, B, I, H, hs, dh, work: w, g, g0, p, p0, act, recAct: ra } = c;
  const H3 = 3 * H, BH = B * H, R = p0 + I * H3;
  const G = 0, A = 3 * T * BH, D = 4 * T * BH, E = 7 * T * BH, carry = 8 * T * BH, q = carry + BH;
  w.fill(0, carry, carry + BH);
  for (let k = T; k >= 1; k--) {
    const Gk = G + (k - 1) * 3 * BH, Dk = D + (k - 1) * 3 * BH, Ak = A + (k - 1) * BH, Ek = E + (k - 1) * BH, hp = (k - 1) * BH;
    const cut = c.window > 0 && (k - 1) % c.window === 0;
    maskRoute(c, k, w, carry);
    for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) {
      const e = r * H + j, i = r * H3 + j;
      const gv = dh[(k - 1) * BH + e]! + w[carry + e]!;
      const z = w[Gk + i]!, rg = w[Gk + i + H]!, n = w[Gk + i + 2 * H]!;
      const dn = gv * (1 - z) * dAct(act, n);
      w[Dk + i] = gv * (hs[hp + e]! - n) * dAct(ra, z);
      w[Dk + i + 2 * H] = dn;
      w[carry + e] = gv * z;
      if (c.resetAfter) {
        w[Ek + e] = dn * rg;
        w[Dk + i + H] = dn * w[Ak + e]! * dAct(ra, rg);
      }
    }
    if (!c.resetAfter) {
      rowsTimesT(B, H, H, w, Dk + 2 * H, H3, p, R + 2 * H, H3, w, q, H, false);
      for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) {
        const e = r * H + j, rg = w[Gk + r * H3 + H + j]!;
        w[Dk + r * H3 + H + j] = w[q + e]! * hs[hp + e]! * dAct(ra, rg);
        w[carry + e]! += w[q + e]! * rg;
      }
    }
    if (cut) w.fill(0, carry, carry + BH);
    else {
      rowsTimesT(B, H, 2 * H, w, Dk, H3, p, R, H3, w, carry, H, true);
      if (c.resetAfter) rowsTimesT(B, H, H, w, Ek, H, p, R + 2 * H, H3, w, carry, H, true);
    }
    maskRejoin(c, k, w, carry, -1, cut);
  }
  const gR = g0 + I * H3, gb = gR + H * H3;
  for (let k = 1; k <= T; k++) {
    const Dk = D + (k - 1) * 3 * BH, hp = (k - 1) * BH;
    gradTimes(B, I, H3, c.x, c.x0 + (k - 1) * c.xs, I, w, Dk, H3, g, g0, H3);
    gradTimes(B, H, 2 * H, hs, hp, H, w, Dk, H3, g, gR, H3);
    if (c.resetAfter) gradTimes(B, H, H, hs, hp, H, w, E + (k - 1) * BH, H, g, gR + 2 * H, H3);
    else gradTimes(B, H, H, w, A + (k - 1) * BH, H, w, Dk + 2 * H, H3, g, gR + 2 * H, H3);
    for (let r = 0; r < B; r++) for (let j = 0; j < H3; j++) {
      const d = w[Dk + r * H3 + j]!;
      g[gb + j]! += d;
      if (c.resetAfter) g[gb + H3 + j]! += j < 2 * H ? d : w[E + (k - 1) * BH + r * H + j - 2 * H]!;
    }
    if (c.dx) rowsTimesT(B, I, H3, w, Dk, H3, p, p0, H3, c.dx, (k - 1) * B * I, I, false);
  }
}
