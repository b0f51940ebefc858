// The bench's "plain JS" yardstick for the GRU: what a user would write without elman. Independent of
// src/ on purpose (imports only bench/plain/elman.js's initialiser and RMSProp loop): one GRU layer
// (TF.js's defaults: tanh, hard-sigmoid gates, reset gate applied before the recurrent product) and a
// linear output, many-to-one, mse, BPTT. Float32Array storage, ordinary JS numbers for the
// arithmetic, weights stored gate-row-major (rows [0,H) update gate z, [H,2H) reset gate r, [2H,3H)
// candidate) so every dot product walks contiguous memory; buffers allocated once per call.
//
//   z = σ(Kz·x + Rz·h + bz),  r = σ(Kr·x + Rr·h + br),  ĥ = tanh(Kh·x + Rh·(r ⊙ h) + bh),  σ(v) = clip(0.2·v + 0.5, 0, 1)
//   h[k] = z ⊙ h[k-1] + (1 − z) ⊙ ĥ,  y = Wo·h[T] + bo,  L = mean over samples and outputs of (y − t)²
//   BPTT, k = T..1: dâ = dh ⊙ (1 − z) ⊙ (1 − ĥ²); drh = Rhᵀ·dâ; dâz = dh ⊙ (h[k-1] − ĥ) ⊙ σ′; dâr = drh ⊙ h[k-1] ⊙ σ′;
//     gK += da·x[k]ᵀ; gR(z, r) += da·h[k-1]ᵀ; gRh += dâ·(r ⊙ h[k-1])ᵀ; gb += da; dh = dh ⊙ z + drh ⊙ r + Rzᵀ·dâz + Rrᵀ·dâr
import { outputLossGrad, PARAMS, seededUniform, trainPlain, zerosLike } from './elman.js';

export { PARAMS, zerosLike };

/** A network with small uniform weights from a seeded generator, zero biases. */
export function makeGRU({ inputSize: I, hiddenSize: H, outputSize: O, seed = 1 }) {
  const uniform = seededUniform(seed);
  return {
    I, H, O,
    K: uniform(3 * H * I, I, 3 * H),
    R: uniform(3 * H * H, H, 3 * H),
    b: new Float32Array(3 * H),
    Wo: uniform(O * H, H, O),
    bo: new Float32Array(O),
  };
}

const hardSigmoid = (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1);
const hardSigmoidGrad = (y) => (y > 0 && y < 1 ? 0.2 : 0);

/** Scratch for batches of up to B samples of T steps: states and gates (after activation) per step. */
export function gruScratch(net, B, T) {
  const H = net.H;
  return {
    hs: new Float32Array((T + 1) * B * H),
    gates: new Float32Array(T * B * 3 * H),
    rh: new Float32Array(H),
    dh: new Float32Array(B * H),
    dhNext: new Float32Array(H),
    drh: new Float32Array(H),
    da: new Float32Array(3 * H),
    dy: new Float32Array(B * net.O),
  };
}

/**
 * Loss of samples b0..b0+B−1 of time-major data (x[(k·n + i)·I + c], targets[i·O + q]) and, into
 * `g` (overwritten), its gradients.
 */
export function gruLossGrad(net, data, b0, B, g, w = gruScratch(net, B, data.steps)) {
  const { I, H, K, R, b } = net;
  const { x, samples: n, steps: T } = data;
  const { hs, gates, rh, dh, dhNext, drh, da, dy } = w;
  const G = 3 * H;
  // Forward.
  hs.fill(0, 0, B * H);
  for (let k = 1; k <= T; k++) {
    for (let r = 0; r < B; r++) {
      const xo = ((k - 1) * n + b0 + r) * I;
      const po = ((k - 1) * B + r) * H;
      const ho = (k * B + r) * H;
      const go = ((k - 1) * B + r) * G;
      for (let j = 0; j < 2 * H; j++) {
        let a = b[j];
        for (let i = 0; i < I; i++) a += K[j * I + i] * x[xo + i];
        for (let i = 0; i < H; i++) a += R[j * H + i] * hs[po + i];
        gates[go + j] = hardSigmoid(a);
      }
      for (let i = 0; i < H; i++) rh[i] = gates[go + H + i] * hs[po + i];
      for (let j = 2 * H; j < G; j++) {
        let a = b[j];
        for (let i = 0; i < I; i++) a += K[j * I + i] * x[xo + i];
        for (let i = 0; i < H; i++) a += R[j * H + i] * rh[i];
        gates[go + j] = Math.tanh(a);
      }
      for (let j = 0; j < H; j++) {
        const z = gates[go + j];
        hs[ho + j] = z * hs[po + j] + (1 - z) * gates[go + 2 * H + j];
      }
    }
  }
  for (const k of PARAMS) g[k].fill(0);
  const loss = outputLossGrad(net, data, b0, B, hs, g, dh, dy);
  // Back through time, one sample at a time.
  for (let k = T; k >= 1; k--) {
    for (let r = 0; r < B; r++) {
      const xo = ((k - 1) * n + b0 + r) * I;
      const po = ((k - 1) * B + r) * H;
      const go = ((k - 1) * B + r) * G;
      // The candidate first: its gradient reaches the reset gate through r ⊙ h[k-1].
      for (let i = 0; i < H; i++) {
        drh[i] = 0;
        rh[i] = gates[go + H + i] * hs[po + i];
      }
      for (let j = 0; j < H; j++) {
        const z = gates[go + j], c = gates[go + 2 * H + j], d = dh[r * H + j];
        da[j] = d * (hs[po + j] - c) * hardSigmoidGrad(z);
        da[2 * H + j] = d * (1 - z) * (1 - c * c);
        dhNext[j] = d * z;
      }
      for (let j = 2 * H; j < G; j++) {
        const d = da[j];
        g.b[j] += d;
        for (let i = 0; i < I; i++) g.K[j * I + i] += d * x[xo + i];
        for (let i = 0; i < H; i++) {
          g.R[j * H + i] += d * rh[i];
          drh[i] += d * R[j * H + i];
        }
      }
      for (let i = 0; i < H; i++) {
        const rg = gates[go + H + i];
        da[H + i] = drh[i] * hs[po + i] * hardSigmoidGrad(rg);
        dhNext[i] += drh[i] * rg;
      }
      for (let j = 0; j < 2 * H; j++) {
        const d = da[j];
        g.b[j] += d;
        for (let i = 0; i < I; i++) g.K[j * I + i] += d * x[xo + i];
        for (let i = 0; i < H; i++) {
          g.R[j * H + i] += d * hs[po + i];
          dhNext[i] += d * R[j * H + i];
        }
      }
      for (let i = 0; i < H; i++) dh[r * H + i] = dhNext[i];
    }
  }
  return loss;
}

/**
 * Trains for `epochs` epochs of mini-batches (in order, the last one smaller if B does not divide n)
 * with RMSProp (bench/plain/elman.js's loop); returns the mean batch loss of the last epoch.
 */
export function trainGRU(data, net, options) {
  return trainPlain(data, net, gruLossGrad, gruScratch, options);
}
