// The bench's "plain JS" yardstick for the Elman network: what a user would write without elman.
// Independent of src/ on purpose (imports nothing from the package): one tanh layer and a linear
// output, many-to-one, mse, BPTT, RMSProp. Float32Array storage, ordinary JS numbers for the
// arithmetic, weights stored output-major (row j of K holds unit j's input weights) so every dot
// product walks contiguous memory, buffers allocated once per call.
//
//   h[0] = 0,  h[k] = tanh(K·x[k] + R·h[k-1] + b),  y = Wo·h[T] + bo,  L = mean over samples and outputs of (y − t)²
//   BPTT, k = T..1: da = dh ⊙ (1 − h[k]²); gK += da·x[k]ᵀ; gR += da·h[k-1]ᵀ; gb += da; dh = Rᵀ·da

/**
 * Glorot-uniform arrays from a seeded generator (mulberry32): `uniform(n, fanIn, fanOut)`. The plain
 * LSTM (bench/plain/lstm.js) draws its weights from it too.
 */
export function seededUniform(seed) {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  return (n, fanIn, fanOut) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (2 * rand() - 1) * lim;
    return a;
  };
}

/** A network with small uniform weights from a seeded generator, zero biases. */
export function makeElman({ inputSize: I, hiddenSize: H, outputSize: O, seed = 1 }) {
  const uniform = seededUniform(seed);
  return {
    I, H, O,
    K: uniform(H * I, I, H),
    R: uniform(H * H, H, H),
    b: new Float32Array(H),
    Wo: uniform(O * H, H, O),
    bo: new Float32Array(O),
  };
}

/** The net's parameter arrays, in a fixed order (gradients and optimizer state use the same). */
export const PARAMS = ['K', 'R', 'b', 'Wo', 'bo'];

/** Zeroed arrays shaped like the net's parameters. */
export function zerosLike(net) {
  const z = {};
  for (const k of PARAMS) z[k] = new Float32Array(net[k].length);
  return z;
}

/** Scratch for batches of up to B samples of T steps. */
export function elmanScratch(net, B, T) {
  return { hs: new Float32Array((T + 1) * B * net.H), dh: new Float32Array(B * net.H), dhNext: new Float32Array(net.H), da: new Float32Array(net.H), dy: new Float32Array(B * net.O) };
}

/**
 * Loss of samples b0..b0+B−1 of time-major data (x[(k·n + i)·I + c], targets[i·O + q]) and, into
 * `g` (overwritten), its gradients.
 */
export function elmanLossGrad(net, data, b0, B, g, w = elmanScratch(net, B, data.steps)) {
  const { I, H, K, R, b } = net;
  const { x, samples: n, steps: T } = data;
  const { hs, dh, dhNext, da, dy } = w;
  // Forward.
  hs.fill(0, 0, B * H);
  for (let k = 1; k <= T; k++) {
    for (let r = 0; r < B; r++) {
      const xo = ((k - 1) * n + b0 + r) * I;
      const po = ((k - 1) * B + r) * H;
      const ho = (k * B + r) * H;
      for (let j = 0; j < H; j++) {
        let a = b[j];
        for (let i = 0; i < I; i++) a += K[j * I + i] * x[xo + i];
        for (let i = 0; i < H; i++) a += R[j * H + i] * hs[po + i];
        hs[ho + j] = Math.tanh(a);
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
      const ho = (k * B + r) * H;
      for (let i = 0; i < H; i++) dhNext[i] = 0;
      for (let j = 0; j < H; j++) {
        const h = hs[ho + j];
        const d = dh[r * H + j] * (1 - h * h);
        da[j] = d;
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
 * The linear output on the last states (hs rows T·B..T·B+B−1), mse over samples and outputs: returns
 * the loss, adds the output layer's gradients into g.Wo and g.bo, writes dL/dh[T] into dh. The plain
 * GRU and LSTM (bench/plain/) share it.
 */
export function outputLossGrad(net, data, b0, B, hs, g, dh, dy) {
  const { H, O, Wo, bo } = net;
  const { targets, steps: T } = data;
  const scale = 1 / (B * O);
  let loss = 0;
  for (let r = 0; r < B; r++) {
    const ho = (T * B + r) * H;
    for (let q = 0; q < O; q++) {
      let y = bo[q];
      for (let j = 0; j < H; j++) y += Wo[q * H + j] * hs[ho + j];
      const e = y - targets[(b0 + r) * O + q];
      loss += e * e * scale;
      dy[r * O + q] = 2 * e * scale;
    }
  }
  for (let r = 0; r < B; r++) {
    const ho = (T * B + r) * H;
    for (let j = 0; j < H; j++) dh[r * H + j] = 0;
    for (let q = 0; q < O; q++) {
      const d = dy[r * O + q];
      g.bo[q] += d;
      for (let j = 0; j < H; j++) {
        g.Wo[q * H + j] += d * hs[ho + j];
        dh[r * H + j] += d * Wo[q * H + j];
      }
    }
  }
  return loss;
}

/**
 * Trains for `epochs` epochs of mini-batches (in order, the last one smaller if B does not divide n)
 * with RMSProp; returns the mean batch loss of the last epoch (each before its update).
 */
export function trainElman(data, net, options) {
  return trainPlain(data, net, elmanLossGrad, elmanScratch, options);
}

/** The RMSProp epochs loop shared by the plain networks: `lossGrad(net, data, b0, B, g, scratch)`. */
export function trainPlain(data, net, lossGrad, scratch, { epochs, batchSize = 100, lr = 1e-3, rho = 0.9, eps = 1e-6 }) {
  const B = Math.min(batchSize, data.samples);
  const w = scratch(net, B, data.steps);
  const g = zerosLike(net);
  const ms = zerosLike(net);
  let last = NaN;
  for (let e = 0; e < epochs; e++) {
    let sum = 0;
    let batches = 0;
    for (let b0 = 0; b0 < data.samples; b0 += B) {
      sum += lossGrad(net, data, b0, Math.min(B, data.samples - b0), g, w);
      batches++;
      for (const k of PARAMS) {
        const p = net[k], gk = g[k], m = ms[k];
        for (let i = 0; i < p.length; i++) {
          m[i] = rho * m[i] + (1 - rho) * gk[i] * gk[i];
          p[i] -= (lr * gk[i]) / Math.sqrt(m[i] + eps);
        }
      }
    }
    last = sum / batches;
  }
  return { loss: last };
}
