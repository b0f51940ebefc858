// Keras/TF.js GRU as a layer of a stack, gates in TF.js's order [z, r, h].
// Shapes: x f32[T][B][I] (step stride xs), hs f32[T+1][B][H] with hs[0] the initial state,
// params [K I×3H | R H×3H | b 3H] (b [2][3H] = [input bias | recurrent bias] with resetAfter),
// dh f32[T][B][H] from above, dx f32[T][B][I] for the layer below. σ = recurrent activation.
//
// forward, k = 1..T, with p = h[k-1] and column blocks _z, _r, _h:
//   z = σ(x·K_z + p·R_z + b_z),  r = σ(x·K_r + p·R_r + b_r)
//   resetAfter 0:  n = act(x·K_h + (r ⊙ p)·R_h + b_h)              (a = r ⊙ p kept)
//   resetAfter 1:  n = act(x·K_h + b_h + r ⊙ (p·R_h + b'_h))        (a = p·R_h + b'_h kept; b' = recurrent bias,
//                  also added to z and r)
//   h[k] = z ⊙ p + (1 − z) ⊙ n
// backward, k = T..1: g = dh[k] + carry;  dn = g ⊙ (1 − z) ⊙ act′(n);  dz = g ⊙ (p − n) ⊙ σ′(z)
//   resetAfter 0:  q = dn·R_hᵀ;  dr = q ⊙ p ⊙ σ′(r);  carry = g ⊙ z + q ⊙ r + [dz dr]·[R_z R_r]ᵀ
//   resetAfter 1:  e = dn ⊙ r;   dr = dn ⊙ a ⊙ σ′(r);  carry = g ⊙ z + [dz dr e]·Rᵀ
//   (carry = 0 at a window edge);  D = [dz dr dn]
//   gK += Σ x[k]ᵀ·D,  gb += Σ D,  gR_zr += Σ p[k]ᵀ·D_zr,  gR_h += Σ aᵀ·dn (0) or Σ p[k]ᵀ·e (1),
//   gb′ += Σ [dz dr e] (1),  dx[k] = D·Kᵀ

import { L_ACT, L_B, L_DH, L_DH_FROM, L_DX, L_G, L_H, L_HS, L_I, L_P, L_REC_ACT, L_RESET_AFTER, L_T, L_WINDOW, L_WORK, L_X, L_XS } from '../src/abi/gated';
import { actIn, addTo, at, colSumS, dAct, dAct4, fillRows, maskHold, maskRejoin, maskRoute, up4, word } from './gates';
import { mm, mmBiasSteps, mmT, mmTSteps, transpose } from './matmul';

type float = f32;

// Scratch (src/cells/gru.ts sizes it): gates f32[T][B][3H], a f32[T][B][H]; backward D f32[T][B][3H], e f32[T][B][H], carry, q f32[B][H], Rᵀ f32[3H][H], Kᵀ f32[3H][I].

/**
 * One step for B rows into G f32[B][3H] = [z r n], a f32[B][H] and hk (must not alias hp).
 * xk = 0: G already holds b + x·K (gruForward's products for every step), and only h·R is added.
 */
function cell(xk: usize, hp: usize, hk: usize, G: usize, a: usize, B: i32, I: i32, H: i32, act: i32, ra: i32, after: i32, p: usize): void {
  const H3 = 3 * H, R = at(p, I * H3), b = at(R, H * H3);
  if (xk) {
    fillRows(G, H3, B, b, H3);
    mm(xk, I, p, H3, G, H3, B, I, H3, true);
  }
  mm(hp, H, R, H3, G, H3, B, H, 2 * H, true);
  if (after) {
    const b2 = at(b, H3);
    for (let r = 0; r < B; r++) addTo(at(G, r * H3), b2, 2 * H);
    fillRows(a, H, B, at(b2, 2 * H), H);
    mm(hp, H, at(R, 2 * H), H3, a, H, B, H, H, true);
  }
  for (let r = 0; r < B; r++) actIn(at(G, r * H3), 2 * H, ra);
  const H4 = H & ~3;
  for (let r = 0; r < B; r++) {
    const rg = at(G, r * H3 + H), nr = at(G, r * H3 + 2 * H), ar = at(a, r * H), pr = at(hp, r * H);
    if (after) {
      let j = 0;
      for (; j < H4; j += 4) v128.store(at(nr, j), f32x4.add(v128.load(at(nr, j)), f32x4.mul(v128.load(at(rg, j)), v128.load(at(ar, j)))));
      for (; j < H; j++) store<float>(at(nr, j), load<float>(at(nr, j)) + load<float>(at(rg, j)) * load<float>(at(ar, j)));
    } else {
      let j = 0;
      for (; j < H4; j += 4) v128.store(at(ar, j), f32x4.mul(v128.load(at(rg, j)), v128.load(at(pr, j))));
      for (; j < H; j++) store<float>(at(ar, j), load<float>(at(rg, j)) * load<float>(at(pr, j)));
    }
  }
  if (!after) mm(a, H, at(R, 2 * H), H3, at(G, 2 * H), H3, B, H, H, true);
  for (let r = 0; r < B; r++) {
    const row = at(G, r * H3);
    actIn(at(row, 2 * H), H, act);
    const hr = at(hk, r * H), pr = at(hp, r * H);
    let j = 0;
    for (; j < H4; j += 4) {
      const z = v128.load(at(row, j)), n = v128.load(at(row, 2 * H + j));
      v128.store(at(hr, j), f32x4.add(n, f32x4.mul(z, f32x4.sub(v128.load(at(pr, j)), n))));
    }
    for (; j < H; j++) {
      const z = load<float>(at(row, j)), n = load<float>(at(row, 2 * H + j));
      store<float>(at(hr, j), n + z * (load<float>(at(pr, j)) - n));
    }
  }
}

/** h[1..T] from h[0] and x, keeping the gates for gruBackward. */
export function gruForward(blk: usize): void {
  const T = word(blk, L_T), B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H);
  const x = <usize>word(blk, L_X), xs = word(blk, L_XS), hs = <usize>word(blk, L_HS), p = <usize>word(blk, L_P);
  const BH = B * H, G = <usize>word(blk, L_WORK), a = at(G, up4(T * BH * 3)), H3 = 3 * H;
  // b + x·K for every step first (the recurrence does not need it step by step): fillRows + mm's bits.
  mmBiasSteps(x, I, xs, p, H3, at(p, I * H3 + H * H3), G, H3, T, B, I, H3);
  for (let k = 1; k <= T; k++) {
    cell(0, at(hs, (k - 1) * BH), at(hs, k * BH), at(G, (k - 1) * BH * 3), at(a, (k - 1) * BH), B, I, H,
      word(blk, L_ACT), word(blk, L_REC_ACT), word(blk, L_RESET_AFTER), p);
    maskHold(blk, k);
  }
}

/** One step in place: the state hs f32[B][H] advances by x f32[B][I]; the work block needs its spec's work(B, 1, I, H). */
export function gruStep(blk: usize): void {
  const B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H), BH = B * H;
  const hs = <usize>word(blk, L_HS), G = <usize>word(blk, L_WORK), a = at(G, up4(BH * 3)), tmp = at(a, up4(BH));
  cell(<usize>word(blk, L_X), hs, tmp, G, a, B, I, H, word(blk, L_ACT), word(blk, L_REC_ACT), word(blk, L_RESET_AFTER), <usize>word(blk, L_P));
  memory.copy(hs, tmp, <usize>BH << 2);
}

/** BPTT through the layer after gruForward on the same block: adds into the gradients, writes dx. */
export function gruBackward(blk: usize): void {
  const T = word(blk, L_T), B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H);
  const act = word(blk, L_ACT), ra = word(blk, L_REC_ACT), after = word(blk, L_RESET_AFTER), window = word(blk, L_WINDOW);
  const x = <usize>word(blk, L_X), xs = word(blk, L_XS), hs = <usize>word(blk, L_HS);
  const p = <usize>word(blk, L_P), g = <usize>word(blk, L_G), dh = <usize>word(blk, L_DH), dx = <usize>word(blk, L_DX);
  memory.fill(dh, 0, <usize>(word(blk, L_DH_FROM) * B * H) << 2); // rows above did not write (L_DH_FROM)
  const H3 = 3 * H, BH = B * H;
  const G = <usize>word(blk, L_WORK), A = at(G, up4(T * BH * 3)), D = at(A, up4(T * BH)), E = at(D, up4(T * BH * 3));
  const carry = at(E, up4(T * BH)), q = at(carry, up4(BH)), RT = at(q, up4(BH)), KT = at(RT, up4(H3 * H));
  const R = at(p, I * H3), H4 = H & ~3, one = f32x4.splat(1);
  transpose(R, H, H3, RT);
  memory.fill(carry, 0, <usize>BH << 2);
  for (let k = T; k >= 1; k--) {
    const gk = at(dh, (k - 1) * BH), Gk = at(G, (k - 1) * BH * 3), Dk = at(D, (k - 1) * BH * 3);
    const ak = at(A, (k - 1) * BH), ek = at(E, (k - 1) * BH), pk = at(hs, (k - 1) * BH);
    const cut = window > 0 && (k - 1) % window == 0;
    maskRoute(blk, k, carry, 0);
    addTo(gk, carry, BH);
    for (let r = 0; r < B; r++) {
      let j = 0;
      for (; j < H4; j += 4) {
        const i = r * H3 + j, e = r * H + j, gv = v128.load(at(gk, e));
        const z = v128.load(at(Gk, i)), n = v128.load(at(Gk, i + 2 * H));
        const dn = f32x4.mul(f32x4.mul(gv, f32x4.sub(one, z)), dAct4(n, act));
        v128.store(at(Dk, i), f32x4.mul(f32x4.mul(gv, f32x4.sub(v128.load(at(pk, e)), n)), dAct4(z, ra)));
        v128.store(at(Dk, i + 2 * H), dn);
        v128.store(at(carry, e), f32x4.mul(gv, z));
        if (after) {
          const rv = v128.load(at(Gk, i + H));
          v128.store(at(ek, e), f32x4.mul(dn, rv));
          v128.store(at(Dk, i + H), f32x4.mul(f32x4.mul(dn, v128.load(at(ak, e))), dAct4(rv, ra)));
        }
      }
      for (; j < H; j++) {
        const i = r * H3 + j, e = r * H + j, gv = load<float>(at(gk, e));
        const z = load<float>(at(Gk, i)), n = load<float>(at(Gk, i + 2 * H));
        const dn = gv * (<float>1 - z) * dAct(n, act);
        store<float>(at(Dk, i), gv * (load<float>(at(pk, e)) - n) * dAct(z, ra));
        store<float>(at(Dk, i + 2 * H), dn);
        store<float>(at(carry, e), gv * z);
        if (after) {
          const rv = load<float>(at(Gk, i + H));
          store<float>(at(ek, e), dn * rv);
          store<float>(at(Dk, i + H), dn * load<float>(at(ak, e)) * dAct(rv, ra));
        }
      }
    }
    if (!after) {
      mm(at(Dk, 2 * H), H3, at(RT, 2 * H * H), H, q, H, B, H, H, false);
      for (let r = 0; r < B; r++) {
        let j = 0;
        for (; j < H4; j += 4) {
          const i = r * H3 + H + j, e = r * H + j, qv = v128.load(at(q, e)), rv = v128.load(at(Gk, i));
          v128.store(at(Dk, i), f32x4.mul(f32x4.mul(qv, v128.load(at(pk, e))), dAct4(rv, ra)));
          v128.store(at(carry, e), f32x4.add(v128.load(at(carry, e)), f32x4.mul(qv, rv)));
        }
        for (; j < H; j++) {
          const i = r * H3 + H + j, e = r * H + j, qv = load<float>(at(q, e)), rv = load<float>(at(Gk, i));
          store<float>(at(Dk, i), qv * load<float>(at(pk, e)) * dAct(rv, ra));
          store<float>(at(carry, e), load<float>(at(carry, e)) + qv * rv);
        }
      }
    }
    if (cut) memory.fill(carry, 0, <usize>BH << 2);
    else {
      mm(Dk, H3, RT, H, carry, H, B, 2 * H, H, true);
      if (after) mm(ek, H, at(RT, 2 * H * H), H, carry, H, B, H, H, true);
    }
    maskRejoin(blk, k, carry, 0, cut);
  }
  const TB = T * B, gR = at(g, I * H3), gb = at(gR, H * H3);
  mmTSteps(x, I, xs, D, H3, g, H3, T, B, I, H3);
  colSumS(D, H3, TB, H3, gb);
  mmT(hs, H, D, H3, gR, H3, TB, H, 2 * H);
  if (after) {
    mmT(hs, H, E, H, at(gR, 2 * H), H3, TB, H, H);
    colSumS(D, H3, TB, 2 * H, at(gb, H3));
    colSumS(E, H, TB, H, at(gb, 5 * H));
  } else mmT(A, H, at(D, 2 * H), H3, at(gR, 2 * H), H3, TB, H, H);
  if (dx) {
    transpose(p, I, H3, KT);
    mm(D, H3, KT, I, dx, I, TB, H3, I, false);
  }
}
