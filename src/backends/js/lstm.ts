// The plain-TypeScript twin of assembly/lstm.ts: Keras/TF.js LSTM as a layer, gates [i, f, c, o].
//   [i f g o] = [σ σ act σ](x[k]·K + h[k-1]·R + b),  c[k] = f ⊙ c[k-1] + i ⊙ g,  u = act(c[k]),  h[k] = o ⊙ u
// backward: gh = dh[k] + carry_h;  gc = carry_c + gh ⊙ o ⊙ act′(u)
//   D = [gc ⊙ g ⊙ σ′(i),  gc ⊙ c[k-1] ⊙ σ′(f),  gc ⊙ i ⊙ act′(g),  gh ⊙ u ⊙ σ′(o)]
//   carry_c = gc ⊙ f,  carry_h = D·Rᵀ (both 0 at a window edge)
//   gK += Σ xᵀ·D,  gR += Σ h[k-1]ᵀ·D,  gb += Σ D,  dx[k] = D·Kᵀ
// Work: gates [T][B][4H], u [T][B][H], D [T][B][4H], carry_h, carry_c [B][H].

import { act1, dAct, gradTimes, maskHold, maskRejoin, maskRoute, rowsTimes, rowsTimesT, type LayerCall } from './layer.js';

/** One step: gates into work at G, u at U, the new state into (ho, co) at o0 from (hs, cs) at hp. */
function cell(c: LayerCall, x0: number, hp: number, G: number, U: number, ho: Float64Array, co: Float64Array, o0: number): void {
  const { B, I, H, p, p0, hs, cs, work: w } = c;
  const H4 = 4 * H, R = p0 + I * H4, b = R + H * H4;
  for (let r = 0; r < B; r++) for (let j = 0; j < H4; j++) w[G + r * H4 + j] = p[b + j]!;
  rowsTimes(B, I, H4, c.x, x0, I, p, p0, H4, w, G, H4);
  rowsTimes(B, H, H4, hs, hp, H, p, R, H4, w, G, H4);
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < H4; j++) w[G + r * H4 + j] = act1(j >= 2 * H && j < 3 * H ? c.act : c.recAct, w[G + r * H4 + j]!);
    for (let j = 0; j < H; j++) {
      const e = r * H + j, row = G + r * H4;
      const cell = w[row + H + j]! * cs[hp + e]! + w[row + j]! * w[row + 2 * H + j]!;
      const u = (w[U + e] = act1(c.act, cell));
      co[o0 + e] = cell;
      ho[o0 + e] = w[row + 3 * H + j]! * u;
    }
  }
}

/** h[1..T] and c[1..T] from h[0], c[0] and x, keeping the gates for lstmBackward. */
export function lstmForward(c: LayerCall): void {
  const BH = c.B * c.H;
  for (let k = 1; k <= c.T; k++) {
    cell(c, c.x0 + (k - 1) * c.xs, (k - 1) * BH, (k - 1) * 4 * BH, 4 * c.T * BH + (k - 1) * BH, c.hs, c.cs, k * BH);
    maskHold(c, k);
  }
}

/** One step in place: the state (hs, cs) [B][H] advances by x [B][I] at x0 (work sized for T = 1). */
export function lstmStep(c: LayerCall): void {
  const BH = c.B * c.H;
  const h = c.work.subarray(5 * BH, 6 * BH), cc = c.work.subarray(6 * BH, 7 * BH);
  cell(c, c.x0, 0, 0, 4 * BH, h, cc, 0);
  c.hs.set(h);
  c.cs.set(cc);
}

/** BPTT after lstmForward with the same call: adds into the gradients, writes dx. */
export function lstmBackward(c: LayerCall): void {
  const { T, B, I, H, hs, cs, dh, work: w, g, g0, p, p0, act, recAct: ra } = c;
  const H4 = 4 * H, BH = B * H, R = p0 + I * H4;
  const G = 0, U = 4 * T * BH, D = 5 * T * BH, ch = 9 * T * BH, cc = ch + BH;
  w.fill(0, ch, cc + BH);
  for (let k = T; k >= 1; k--) {
    const Gk = G + (k - 1) * 4 * BH, Dk = D + (k - 1) * 4 * BH, Uk = U + (k - 1) * BH, cp = (k - 1) * BH;
    const cut = c.window > 0 && (k - 1) % c.window === 0;
    maskRoute(c, k, w, ch, cc);
    for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) {
      const e = r * H + j, i = r * H4 + j;
      const gh = dh[(k - 1) * BH + e]! + w[ch + e]!, u = w[Uk + e]!;
      const ig = w[Gk + i]!, fg = w[Gk + i + H]!, cg = w[Gk + i + 2 * H]!, og = w[Gk + i + 3 * H]!;
      const gc = w[cc + e]! + gh * og * dAct(act, u);
      w[Dk + i] = gc * cg * dAct(ra, ig);
      w[Dk + i + H] = gc * cs[cp + e]! * dAct(ra, fg);
      w[Dk + i + 2 * H] = gc * ig * dAct(act, cg);
      w[Dk + i + 3 * H] = gh * u * dAct(ra, og);
      w[cc + e] = gc * fg;
    }
    if (cut) w.fill(0, ch, cc + BH);
    else rowsTimesT(B, H, H4, w, Dk, H4, p, R, H4, w, ch, H, false);
    maskRejoin(c, k, w, ch, cc, cut);
  }
  const gR = g0 + I * H4, gb = gR + H * H4;
  for (let k = 1; k <= T; k++) {
    const Dk = D + (k - 1) * 4 * BH;
    gradTimes(B, I, H4, c.x, c.x0 + (k - 1) * c.xs, I, w, Dk, H4, g, g0, H4);
    gradTimes(B, H, H4, hs, (k - 1) * BH, H, w, Dk, H4, g, gR, H4);
    for (let r = 0; r < B; r++) for (let j = 0; j < H4; j++) g[gb + j]! += w[Dk + r * H4 + j]!;
    if (c.dx) rowsTimesT(B, I, H4, w, Dk, H4, p, p0, H4, c.dx, (k - 1) * B * I, I, false);
  }
}
