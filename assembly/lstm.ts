// Keras/TF.js LSTM as a layer of a stack, gates in TF.js's order [i, f, c, o].
// Shapes: x f32[T][B][I] (step stride xs), hs and cs f32[T+1][B][H] with hs[0], cs[0] the initial
// state, params [K I×4H | R H×4H | b 4H], dh f32[T][B][H] from above, dx f32[T][B][I] for the
// layer below. σ = recurrent activation.
//
// forward, k = 1..T:  [i f g o] = [σ σ act σ](x[k]·K + h[k-1]·R + b)
//   c[k] = f ⊙ c[k-1] + i ⊙ g,  u = act(c[k]) (kept),  h[k] = o ⊙ u
// backward, k = T..1:  gh = dh[k] + carry_h;  gc = carry_c + gh ⊙ o ⊙ act′(u)
//   D = [gc ⊙ g ⊙ σ′(i),  gc ⊙ c[k-1] ⊙ σ′(f),  gc ⊙ i ⊙ act′(g),  gh ⊙ u ⊙ σ′(o)]
//   carry_c = gc ⊙ f,  carry_h = D·Rᵀ  (both 0 at a window edge)
//   gK += Σ x[k]ᵀ·D,  gR += Σ h[k-1]ᵀ·D,  gb += Σ D,  dx[k] = D·Kᵀ

import { L_ACT, L_B, L_CS, L_DH, L_DH_FROM, L_DX, L_G, L_H, L_HS, L_I, L_P, L_REC_ACT, L_T, L_WINDOW, L_WORK, L_X, L_XS } from '../src/abi/gated';
import { actIn, addTo, at, dAct, dAct4, maskHold, maskRejoin, maskRoute, up4, word } from './gates';
import { colSum, mm, mmAffine, mmBiasSteps, mmT, mmTSteps, transpose } from './matmul';

type float = f32;

// Scratch (src/cells/lstm.ts sizes it): gates f32[T][B][4H], u f32[T][B][H]; backward D f32[T][B][4H], carry_h, carry_c f32[B][H], Rᵀ f32[4H][H], Kᵀ f32[4H][I].

/**
 * One step for B rows into G f32[B][4H] = [i f g o], u f32[B][H], hk and ck (must not alias hp, cp).
 * xk = 0: G already holds b + x·K (lstmForward's products for every step), and only h·R is added.
 */
function cell(xk: usize, hp: usize, cp: usize, hk: usize, ck: usize, G: usize, u: usize, B: i32, I: i32, H: i32, act: i32, ra: i32, p: usize): void {
  const H4 = 4 * H, R = at(p, I * H4), b = at(R, H * H4);
  if (xk) mmAffine(xk, I, p, I, hp, H, R, H, H4, b, G, H4, B, H4);
  else mm(hp, H, R, H4, G, H4, B, H, H4, true);
  const Hq = H & ~3;
  for (let r = 0; r < B; r++) {
    const row = at(G, r * H4);
    actIn(row, 2 * H, ra);
    actIn(at(row, 2 * H), H, act);
    actIn(at(row, 3 * H), H, ra);
    let j = 0;
    for (; j < Hq; j += 4) {
      const e = r * H + j;
      const c = f32x4.add(f32x4.mul(v128.load(at(row, H + j)), v128.load(at(cp, e))), f32x4.mul(v128.load(at(row, j)), v128.load(at(row, 2 * H + j))));
      v128.store(at(ck, e), c);
      v128.store(at(u, e), c);
    }
    for (; j < H; j++) {
      const e = r * H + j;
      const c = load<float>(at(row, H + j)) * load<float>(at(cp, e)) + load<float>(at(row, j)) * load<float>(at(row, 2 * H + j));
      store<float>(at(ck, e), c);
      store<float>(at(u, e), c);
    }
  }
  actIn(u, B * H, act);
  for (let r = 0; r < B; r++) {
    let j = 0;
    for (; j < Hq; j += 4) v128.store(at(hk, r * H + j), f32x4.mul(v128.load(at(G, r * H4 + 3 * H + j)), v128.load(at(u, r * H + j))));
    for (; j < H; j++) store<float>(at(hk, r * H + j), load<float>(at(G, r * H4 + 3 * H + j)) * load<float>(at(u, r * H + j)));
  }
}

/** h[1..T] and c[1..T] from h[0], c[0] and x, keeping the gates for lstmBackward. */
export function lstmForward(blk: usize): void {
  const T = word(blk, L_T), B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H), BH = B * H;
  const x = <usize>word(blk, L_X), xs = word(blk, L_XS), hs = <usize>word(blk, L_HS), cs = <usize>word(blk, L_CS);
  const G = <usize>word(blk, L_WORK), U = at(G, up4(T * BH * 4)), p = <usize>word(blk, L_P), H4 = 4 * H;
  // b + x·K for every step first (the recurrence does not need it step by step): mmAffine's bits.
  mmBiasSteps(x, I, xs, p, H4, at(p, I * H4 + H * H4), G, H4, T, B, I, H4);
  for (let k = 1; k <= T; k++) {
    cell(0, at(hs, (k - 1) * BH), at(cs, (k - 1) * BH), at(hs, k * BH), at(cs, k * BH), at(G, (k - 1) * BH * 4), at(U, (k - 1) * BH),
      B, I, H, word(blk, L_ACT), word(blk, L_REC_ACT), <usize>word(blk, L_P));
    maskHold(blk, k);
  }
}

/** One step in place: the state (hs, cs f32[B][H]) advances by x f32[B][I]; the work block needs its spec's work(B, 1, I, H). */
export function lstmStep(blk: usize): void {
  const B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H), BH = B * H;
  const hs = <usize>word(blk, L_HS), cs = <usize>word(blk, L_CS);
  const G = <usize>word(blk, L_WORK), u = at(G, up4(BH * 4)), th = at(u, up4(BH)), tc = at(th, up4(BH));
  cell(<usize>word(blk, L_X), hs, cs, th, tc, G, u, B, I, H, word(blk, L_ACT), word(blk, L_REC_ACT), <usize>word(blk, L_P));
  memory.copy(hs, th, <usize>BH << 2);
  memory.copy(cs, tc, <usize>BH << 2);
}

/** BPTT through the layer after lstmForward on the same block: adds into the gradients, writes dx. */
export function lstmBackward(blk: usize): void {
  const T = word(blk, L_T), B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H);
  const act = word(blk, L_ACT), ra = word(blk, L_REC_ACT), window = word(blk, L_WINDOW);
  const x = <usize>word(blk, L_X), xs = word(blk, L_XS), hs = <usize>word(blk, L_HS), cs = <usize>word(blk, L_CS);
  const p = <usize>word(blk, L_P), g = <usize>word(blk, L_G), dh = <usize>word(blk, L_DH), dx = <usize>word(blk, L_DX);
  memory.fill(dh, 0, <usize>(word(blk, L_DH_FROM) * B * H) << 2); // rows above did not write (L_DH_FROM)
  const H4 = 4 * H, BH = B * H, Hq = H & ~3;
  const G = <usize>word(blk, L_WORK), U = at(G, up4(T * BH * 4)), D = at(U, up4(T * BH));
  const ch = at(D, up4(T * BH * 4)), cc = at(ch, up4(BH)), RT = at(cc, up4(BH)), KT = at(RT, up4(H4 * H));
  transpose(at(p, I * H4), H, H4, RT);
  memory.fill(ch, 0, <usize>BH << 2);
  memory.fill(cc, 0, <usize>BH << 2);
  for (let k = T; k >= 1; k--) {
    const gk = at(dh, (k - 1) * BH), Gk = at(G, (k - 1) * BH * 4), Dk = at(D, (k - 1) * BH * 4);
    const uk = at(U, (k - 1) * BH), cp = at(cs, (k - 1) * BH), cut = window > 0 && (k - 1) % window == 0;
    maskRoute(blk, k, ch, cc);
    addTo(gk, ch, BH);
    for (let r = 0; r < B; r++) {
      let j = 0;
      for (; j < Hq; j += 4) {
        const e = r * H + j, i = r * H4 + j;
        const gh = v128.load(at(gk, e)), u = v128.load(at(uk, e));
        const ig = v128.load(at(Gk, i)), fg = v128.load(at(Gk, i + H)), cg = v128.load(at(Gk, i + 2 * H)), og = v128.load(at(Gk, i + 3 * H));
        const gc = f32x4.add(v128.load(at(cc, e)), f32x4.mul(f32x4.mul(gh, og), dAct4(u, act)));
        v128.store(at(Dk, i), f32x4.mul(f32x4.mul(gc, cg), dAct4(ig, ra)));
        v128.store(at(Dk, i + H), f32x4.mul(f32x4.mul(gc, v128.load(at(cp, e))), dAct4(fg, ra)));
        v128.store(at(Dk, i + 2 * H), f32x4.mul(f32x4.mul(gc, ig), dAct4(cg, act)));
        v128.store(at(Dk, i + 3 * H), f32x4.mul(f32x4.mul(gh, u), dAct4(og, ra)));
        v128.store(at(cc, e), f32x4.mul(gc, fg));
      }
      for (; j < H; j++) {
        const e = r * H + j, i = r * H4 + j;
        const gh = load<float>(at(gk, e)), u = load<float>(at(uk, e));
        const ig = load<float>(at(Gk, i)), fg = load<float>(at(Gk, i + H)), cg = load<float>(at(Gk, i + 2 * H)), og = load<float>(at(Gk, i + 3 * H));
        const gc = load<float>(at(cc, e)) + gh * og * dAct(u, act);
        store<float>(at(Dk, i), gc * cg * dAct(ig, ra));
        store<float>(at(Dk, i + H), gc * load<float>(at(cp, e)) * dAct(fg, ra));
        store<float>(at(Dk, i + 2 * H), gc * ig * dAct(cg, act));
        store<float>(at(Dk, i + 3 * H), gh * u * dAct(og, ra));
        store<float>(at(cc, e), gc * fg);
      }
    }
    if (cut) {
      memory.fill(ch, 0, <usize>BH << 2);
      memory.fill(cc, 0, <usize>BH << 2);
    } else mm(Dk, H4, RT, H, ch, H, B, H4, H, false);
    maskRejoin(blk, k, ch, cc, cut);
  }
  const TB = T * B, gR = at(g, I * H4);
  mmTSteps(x, I, xs, D, H4, g, H4, T, B, I, H4);
  mmT(hs, H, D, H4, gR, H4, TB, H, H4);
  colSum(D, TB, H4, at(gR, H * H4));
  if (dx) {
    transpose(p, I, H4, KT);
    mm(D, H4, KT, I, dx, I, TB, H4, I, false);
  }
}
