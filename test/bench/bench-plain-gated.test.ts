import { expect, test } from 'vitest';
import { expectCentralDifferences, randomData, type Data, type Net } from '../helpers/plain-nets.js';

// The bench's plain-JS LSTM and GRU must compute the models they claim to, or their speed means
// nothing. Truth: each cell written again below in float64 straight from its formula (TF.js's cells
// with hard-sigmoid gates, GRU without resetAfter), differentiated by central differences; never
// elman's own kernels.

// @ts-expect-error: plain-JavaScript bench module without type declarations
const lstm = (await import('../../bench/plain/lstm.js')) as Plain;
// @ts-expect-error: plain-JavaScript bench module without type declarations
const gru = (await import('../../bench/plain/gru.js')) as Plain;
type Plain = {
  PARAMS: string[];
  zerosLike: (net: Net) => Record<string, Float32Array>;
} & Record<string, unknown>;
type Make = (o: { inputSize: number; hiddenSize: number; outputSize: number; seed?: number }) => Net;
type LossGrad = (net: Net, data: Data, b0: number, B: number, g: Record<string, Float32Array>) => number;
type Train = (data: Data, net: Net, o: { epochs: number; batchSize?: number; lr?: number }) => { loss: number };

const hardSigmoid = (v: number) => Math.min(Math.max(0.2 * v + 0.5, 0), 1);

/** Pre-activation `gate·H + j` of a cell: b + K·x + R·h (rows of K, R, b in gate order). */
function pre(net: Net, p: Record<string, Float64Array>, gate: number, j: number, x: (i: number) => number, h: ArrayLike<number>): number {
  const { I, H } = net;
  const row = gate * H + j;
  let a = p.b![row]!;
  for (let i = 0; i < I; i++) a += p.K![row * I + i]! * x(i);
  for (let i = 0; i < H; i++) a += p.R![row * H + i]! * h[i]!;
  return a;
}

/** One LSTM step from its formula, gates ordered input, forget, cell, output: h[k] from h[k-1] (c carried in place). */
function lstmStep(net: Net, p: Record<string, Float64Array>, x: (i: number) => number, h: Float64Array, c: Float64Array): Float64Array {
  const next = new Float64Array(net.H);
  for (let j = 0; j < net.H; j++) {
    const ig = hardSigmoid(pre(net, p, 0, j, x, h));
    const fg = hardSigmoid(pre(net, p, 1, j, x, h));
    const gg = Math.tanh(pre(net, p, 2, j, x, h));
    const og = hardSigmoid(pre(net, p, 3, j, x, h));
    c[j] = fg * c[j]! + ig * gg;
    next[j] = og * Math.tanh(c[j]!);
  }
  return next;
}

/** One GRU step from its formula, gates ordered update, reset, candidate; the reset gate scales h before Rh. */
function gruStep(net: Net, p: Record<string, Float64Array>, x: (i: number) => number, h: Float64Array): Float64Array {
  const H = net.H;
  const z = Float64Array.from({ length: H }, (_, j) => hardSigmoid(pre(net, p, 0, j, x, h)));
  const rh = Float64Array.from({ length: H }, (_, j) => hardSigmoid(pre(net, p, 1, j, x, h)) * h[j]!);
  return Float64Array.from({ length: H }, (_, j) => z[j]! * h[j]! + (1 - z[j]!) * Math.tanh(pre(net, p, 2, j, x, rh)));
}

/** A cell's network in float64: the loss of samples b0..b0+B−1. */
function loss64(cell: 'lstm' | 'gru', net: Net, p: Record<string, Float64Array>, d: Data, b0: number, B: number): number {
  const { I, H, O } = net;
  let L = 0;
  for (let r = b0; r < b0 + B; r++) {
    let h: Float64Array = new Float64Array(H);
    const c = new Float64Array(H);
    for (let k = 0; k < d.steps; k++) {
      const x = (i: number) => d.x[(k * d.samples + r) * I + i]!;
      h = cell === 'lstm' ? lstmStep(net, p, x, h, c) : gruStep(net, p, x, h);
    }
    for (let q = 0; q < O; q++) {
      let y = p.bo![q]!;
      for (let j = 0; j < H; j++) y += p.Wo![q * H + j]! * h[j]!;
      L += (y - d.targets[r * O + q]!) ** 2;
    }
  }
  return L / (B * O);
}

const CELLS = [
  ['lstm', lstm, 'makeLSTM', 'lstmLossGrad', 'trainLSTM', 4],
  ['gru', gru, 'makeGRU', 'gruLossGrad', 'trainGRU', 3],
] as const;

test.each(CELLS)('plain-JS %s: loss and BPTT gradients match float64 central differences of the formula', (cell, plain, make, lossGrad, _train, gates) => {
  for (const [I, H, O, n, T, b0, B] of [[2, 6, 1, 7, 5, 2, 4], [3, 4, 2, 4, 8, 0, 4]] as const) {
    const net = (plain[make] as Make)({ inputSize: I, hiddenSize: H, outputSize: O, seed: 3 });
    // Larger weights and non-zero biases, so some gates clip (hard sigmoid at 0 or 1) and others do not.
    for (const k of plain.PARAMS) net[k as 'K'].forEach((v, i, a) => (a[i] = Math.fround(v * 3 + 0.3 * Math.sin(i))));
    const d = randomData(7, n, T, I, O);
    const g = plain.zerosLike(net);
    const L = (plain[lossGrad] as LossGrad)(net, d, b0, B, g);
    const scale = expectCentralDifferences(plain.PARAMS, net, L, g, (p) => loss64(cell, net, p, d, b0, B));
    // Every gate's weights get a gradient somewhere (a block of zeros would hide a missing term).
    for (let gate = 0; gate < gates; gate++) expect(Math.max(...g.R!.subarray(gate * H * H, (gate + 1) * H * H).map(Math.abs)), `gate ${gate}`).toBeGreaterThan(1e-4 * scale);
  }
});

test.each(CELLS)('plain-JS %s: RMSProp training lowers the loss (mini-batches with a short last one)', (_cell, plain, make, _lossGrad, train) => {
  const d = randomData(11, 30, 6, 2, 1);
  // A learnable target: the first step's first input, remembered over the sequence.
  for (let r = 0; r < d.samples; r++) d.targets[r] = 0.5 * d.x[r * 2]!;
  const net = (plain[make] as Make)({ inputSize: 2, hiddenSize: 8, outputSize: 1 });
  const first = (plain[train] as Train)(d, net, { epochs: 1, batchSize: 8, lr: 1e-2 }).loss;
  const later = (plain[train] as Train)(d, net, { epochs: 300, batchSize: 8, lr: 1e-2 }).loss;
  expect(later).toBeLessThan(first / 10);
});
