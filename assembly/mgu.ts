// The minimal gated unit (Zhou et al. 2016, "Minimal gated unit for recurrent neural networks") as a
// layer of a stack: one gate f that both forgets and admits. Gate blocks [f | n], as Keras lays out
// its gated cells: params [K I×2H | R H×2H | b 2H]. One block of words laid out in src/abi/gated.ts.
//
// forward:   f[k] = ra(x[k]·Kf + h[k-1]·Rf + bf),  q[k] = f[k] ⊙ h[k-1]
//            n[k] = act(x[k]·Kn + q[k]·Rn + bn),   h[k] = (1 − f[k]) ⊙ h[k-1] + f[k] ⊙ n[k]
// backward:  k = T..1:  g = dh[k] + carry;  dn = g ⊙ f ⊙ act′(n);  s = dn·Rnᵀ
//            df = (g ⊙ (n − h[k-1]) + s ⊙ h[k-1]) ⊙ ra′(f)
//            carry = g ⊙ (1 − f) + s ⊙ f + df·Rfᵀ  (0 at a window edge);  D = [df dn]
//            gK += Σ x[k]ᵀ·D,  gRf += Σ h[k-1]ᵀ·df,  gRn += Σ q[k]ᵀ·dn,  gb += Σ D,  dx[k] = D·Kᵀ
// Scratch (src/cells/mgu.ts sizes it): F, N, Q f32[T][B][H]; D f32[T][B][2H]; g, s, carry f32[B][H];
// Rᵀ f32[2H][H]; Kᵀ f32[2H][I].

import { L_ACT, L_B, L_DH, L_DH_FROM, L_DX, L_H, L_HS, L_I, L_G, L_P, L_REC_ACT, L_T, L_WINDOW, L_WORK, L_X, L_XS } from '../src/abi/gated';
import { actIn, at, dAct, maskHold, maskRejoin, maskRoute, up4, word } from './gates';
import { colSum, mm, mmAffine, mmT, mmTSteps, transpose } from './matmul';

type float = f32;

/** One step for B rows: F, Q, N at step k's rows and hk (must not alias hp). */
function cell(xk: usize, hp: usize, hk: usize, F: usize, N: usize, Q: usize, B: i32, I: i32, H: i32, act: i32, ra: i32, p: usize): void {
  const H2 = 2 * H, R = at(p, I * H2), b = at(R, H * H2), BH = B * H;
  mmAffine(xk, I, p, I, hp, H, R, H, H2, b, F, H, B, H);
  actIn(F, BH, ra);
  for (let e = 0; e < BH; e++) store<float>(at(Q, e), load<float>(at(F, e)) * load<float>(at(hp, e)));
  mmAffine(xk, I, at(p, H), I, Q, H, at(R, H), H, H2, at(b, H), N, H, B, H);
  actIn(N, BH, act);
  for (let e = 0; e < BH; e++) {
    const f = load<float>(at(F, e)), h = load<float>(at(hp, e));
    store<float>(at(hk, e), (<float>1 - f) * h + f * load<float>(at(N, e)));
  }
}

/** h[1..T] from h[0] and x. */
export function mguForward(blk: usize): void {
  const T = word(blk, L_T), B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H), act = word(blk, L_ACT), ra = word(blk, L_REC_ACT);
  const x = <usize>word(blk, L_X), xs = word(blk, L_XS), hs = <usize>word(blk, L_HS), p = <usize>word(blk, L_P);
  const BH = B * H, F = <usize>word(blk, L_WORK), N = at(F, up4(T * BH)), Q = at(N, up4(T * BH));
  for (let k = 1; k <= T; k++) {
    const o = (k - 1) * BH;
    cell(at(x, (k - 1) * xs), at(hs, o), at(hs, k * BH), at(F, o), at(N, o), at(Q, o), B, I, H, act, ra, p);
    maskHold(blk, k);
  }
}

/** One step in place: the state hs f32[B][H] advances by x f32[B][I]; the work block needs its spec's work(B, 1, I, H). */
export function mguStep(blk: usize): void {
  const B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H), BH = B * H;
  const hs = <usize>word(blk, L_HS), F = <usize>word(blk, L_WORK), N = at(F, up4(BH)), Q = at(N, up4(BH)), tmp = at(Q, up4(BH));
  cell(<usize>word(blk, L_X), hs, tmp, F, N, Q, B, I, H, word(blk, L_ACT), word(blk, L_REC_ACT), <usize>word(blk, L_P));
  memory.copy(hs, tmp, <usize>BH << 2);
}

/** BPTT through the layer after mguForward on the same block: adds into the gradients, writes dx. */
export function mguBackward(blk: usize): void {
  const T = word(blk, L_T), B = word(blk, L_B), I = word(blk, L_I), H = word(blk, L_H), act = word(blk, L_ACT), ra = word(blk, L_REC_ACT);
  const window = word(blk, L_WINDOW), x = <usize>word(blk, L_X), xs = word(blk, L_XS), hs = <usize>word(blk, L_HS);
  const p = <usize>word(blk, L_P), gw = <usize>word(blk, L_G), dh = <usize>word(blk, L_DH), dx = <usize>word(blk, L_DX);
  const from = word(blk, L_DH_FROM), H2 = 2 * H, BH = B * H;
  const F = <usize>word(blk, L_WORK), N = at(F, up4(T * BH)), Q = at(N, up4(T * BH)), D = at(Q, up4(T * BH));
  const g = at(D, up4(T * BH * 2)), s = at(g, up4(BH)), carry = at(s, up4(BH)), RT = at(carry, up4(BH)), KT = at(RT, up4(H2 * H));
  transpose(at(p, I * H2), H, H2, RT); // rows [0, H): Rfᵀ, rows [H, 2H): Rnᵀ
  memory.fill(carry, 0, <usize>BH << 2);
  for (let k = T; k >= 1; k--) {
    const o = (k - 1) * BH, Dk = at(D, (k - 1) * BH * 2), hp = at(hs, o), cut = window > 0 && (k - 1) % window == 0;
    maskRoute(blk, k, carry, 0);
    for (let e = 0; e < BH; e++) store<float>(at(g, e), (k > from ? load<float>(at(dh, o + e)) : <float>0) + load<float>(at(carry, e)));
    // dn, into D's second block
    for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) {
      const e = r * H + j, f = load<float>(at(F, o + e)), n = load<float>(at(N, o + e));
      store<float>(at(Dk, r * H2 + H + j), load<float>(at(g, e)) * f * dAct(n, act));
    }
    mm(at(Dk, H), H2, at(RT, H * H), H, s, H, B, H, H, false);
    for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) {
      const e = r * H + j, f = load<float>(at(F, o + e)), n = load<float>(at(N, o + e)), h = load<float>(at(hp, e));
      const ge = load<float>(at(g, e)), se = load<float>(at(s, e));
      store<float>(at(Dk, r * H2 + j), (ge * (n - h) + se * h) * dAct(f, ra));
      store<float>(at(carry, e), ge * (<float>1 - f) + se * f);
    }
    if (cut) memory.fill(carry, 0, <usize>BH << 2);
    else mm(Dk, H2, RT, H, carry, H, B, H, H, true);
    maskRejoin(blk, k, carry, 0, cut);
  }
  mmTSteps(x, I, xs, D, H2, gw, H2, T, B, I, H2);
  const gR = at(gw, I * H2);
  mmT(hs, H, D, H2, gR, H2, T * B, H, H);
  mmT(Q, H, at(D, H), H2, at(gR, H), H2, T * B, H, H);
  colSum(D, T * B, H2, at(gR, H * H2));
  if (dx) {
    transpose(p, I, H2, KT);
    mm(D, H2, KT, I, dx, I, T * B, H2, I, false);
  }
}
