// The bench's "plain JS" yardstick for the LSTM: what a user would write without elman. Independent
// of src/ on purpose (imports nothing from the package): one LSTM layer (TF.js's defaults: tanh,
// hard-sigmoid gates) and a linear output, many-to-one, mse, BPTT, RMSProp. Float32Array storage,
// ordinary JS numbers for the arithmetic, weights stored gate-row-major (row j of K holds
// pre-activation j's input weights; rows [0,H) input gate, [H,2H) forget, [2H,3H) cell, [3H,4H)
// output) so every dot product walks contiguous memory; buffers allocated once per call.
//
//   a = K·x[k] + R·h[k-1] + b;  i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o),  σ(v) = clip(0.2·v + 0.5, 0, 1)
//   c[k] = f ⊙ c[k-1] + i ⊙ g,  h[k] = o ⊙ tanh(c[k]),  y = Wo·h[T] + bo,  L = mean over samples and outputs of (y − t)²
//   BPTT, k = T..1: tc = tanh(c[k]); do = dh ⊙ tc; dc += dh ⊙ o ⊙ (1 − tc²); di = dc ⊙ g; df = dc ⊙ c[k-1]; dg = dc ⊙ i;
//     da = (di, df, dg, do) ⊙ activation′; gK += da·x[k]ᵀ; gR += da·h[k-1]ᵀ; gb += da; dh = Rᵀ·da; dc = dc ⊙ f

import { outputLossGrad, PARAMS, seededUniform, trainPlain, zerosLike } from './elman.js';

export { PARAMS, zerosLike };

/** A network with small uniform weights from a seeded generator, zero biases. */
export function makeLSTM({ inputSize: I, hiddenSize: H, outputSize: O, seed = 1 }) {
  const uniform = seededUniform(seed);
  return {
    I, H, O,
    K: uniform(4 * H * I, I, 4 * H),
    R: uniform(4 * H * H, H, 4 * H),
    b: new Float32Array(4 * H),
    Wo: uniform(O * H, H, O),
    bo: new Float32Array(O),
  };
}

const hardSigmoid = (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1);

/** Scratch for batches of up to B samples of T steps: states h, c and gates (after activation) per step. */
export function lstmScratch(net, B, T) {
  const H = net.H;
  return {
    hs: new Float32Array((T + 1) * B * H),
    cs: new Float32Array((T + 1) * B * H),
    gates: new Float32Array(T * B * 4 * H),
    dh: new Float32Array(B * H),
    dc: new Float32Array(B * H),
    dhNext: new Float32Array(H),
    da: new Float32Array(4 * H),
    dy: new Float32Array(B * net.O),
  };
}

/**
 * Loss of samples b0..b0+B−1 of time-major data (x[(k·n + i)·I + c], targets[i·O + q]) and, into
 * `g` (overwritten), its gradients.
 */
export function lstmLossGrad(net, data, b0, B, g, w = lstmScratch(net, B, data.steps)) {
  const { I, H, K, R, b } = net;
  const { x, samples: n, steps: T } = data;
  const { hs, cs, gates, dh, dc, dhNext, da, dy } = w;
  const G = 4 * H;
  // Forward.
  hs.fill(0, 0, B * H);
  cs.fill(0, 0, B * H);
  for (let k = 1; k <= T; k++) {
    for (let r = 0; r < B; r++) {
      const xo = ((k - 1) * n + b0 + r) * I;
      const po = ((k - 1) * B + r) * H;
      const ho = (k * B + r) * H;
      const go = ((k - 1) * B + r) * G;
      for (let j = 0; j < G; j++) {
        let a = b[j];
        for (let i = 0; i < I; i++) a += K[j * I + i] * x[xo + i];
        for (let i = 0; i < H; i++) a += R[j * H + i] * hs[po + i];
        gates[go + j] = j >= 2 * H && j < 3 * H ? Math.tanh(a) : hardSigmoid(a);
      }
      for (let j = 0; j < H; j++) {
        const c = gates[go + H + j] * cs[po + j] + gates[go + j] * gates[go + 2 * H + j];
        cs[ho + j] = c;
        hs[ho + j] = gates[go + 3 * H + j] * Math.tanh(c);
      }
    }
  }
  for (const k of PARAMS) g[k].fill(0);
  const loss = outputLossGrad(net, data, b0, B, hs, g, dh, dy);
  dc.fill(0); // dL/dc[T]
  // Back through time, one sample at a time.
  const hsd = (y) => (y > 0 && y < 1 ? 0.2 : 0);
  for (let k = T; k >= 1; k--) {
    for (let r = 0; r < B; r++) {
      const xo = ((k - 1) * n + b0 + r) * I;
      const po = ((k - 1) * B + r) * H;
      const ho = (k * B + r) * H;
      const go = ((k - 1) * B + r) * G;
      for (let j = 0; j < H; j++) {
        const gi = gates[go + j], gf = gates[go + H + j], gg = gates[go + 2 * H + j], go_ = gates[go + 3 * H + j];
        const tc = Math.tanh(cs[ho + j]);
        const dhj = dh[r * H + j];
        const dcj = dc[r * H + j] + dhj * go_ * (1 - tc * tc);
        da[j] = dcj * gg * hsd(gi);
        da[H + j] = dcj * cs[po + j] * hsd(gf);
        da[2 * H + j] = dcj * gi * (1 - gg * gg);
        da[3 * H + j] = dhj * tc * hsd(go_);
        dc[r * H + j] = dcj * gf;
      }
      for (let i = 0; i < H; i++) dhNext[i] = 0;
      for (let j = 0; j < G; j++) {
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
export function trainLSTM(data, net, options) {
  return trainPlain(data, net, lstmLossGrad, lstmScratch, options);
}
