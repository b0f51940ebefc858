import { expect, test } from 'vitest';
import { expectCentralDifferences, randomData, type Data, type Net } from '../helpers/plain-nets.js';
import fixture from '../fixtures/tutorial.json' with { type: 'json' };

// The bench's plain-JS yardsticks must compute the model they claim to, or their speed means nothing.
// Truth: the numpy fixtures (float64), never elman's own kernels.

// @ts-expect-error: plain-JavaScript bench module without type declarations
const counter = (await import('../../bench/plain/counter.js')) as {
  counterLossGrad: (x: Float32Array, t: Float32Array, n: number, T: number, wx: number, wRec: number) => { loss: number; gx: number; gRec: number };
  trainCounter: (d: object, w: { wx: number; wRec: number }, o: { epochs: number; lr?: number }) => { wx: number; wRec: number; loss: number };
};

function tutorialData() {
  const rows = fixture.X;
  const n = rows.length;
  const T = rows[0]!.length;
  const x = new Float32Array(n * T);
  rows.forEach((row, i) => row.forEach((b, k) => (x[k * n + i] = b)));
  return { x, targets: Float32Array.from(fixture.t), samples: n, steps: T };
}

test('plain-JS counter: sse loss and BPTT gradients match numpy at every fixture point', () => {
  const d = tutorialData();
  for (const g of fixture.grads.filter((g) => g.loss === 'sse')) {
    const [wx, wRec] = g.w as [number, number];
    const r = counter.counterLossGrad(d.x, d.targets, d.samples, d.steps, wx, wRec);
    // States are stored as float32: relative error of a few float32 ulps per step.
    const tol = (v: number) => 1e-5 * Math.max(1, Math.abs(v));
    expect(Math.abs(r.loss - g.value)).toBeLessThan(tol(g.value));
    expect(Math.abs(r.gx - g.grad[0]!)).toBeLessThan(tol(g.grad[0]!) + 1e-5 * Math.abs(g.grad[1]!));
    expect(Math.abs(r.gRec - g.grad[1]!)).toBeLessThan(tol(g.grad[1]!) + 1e-5 * Math.abs(g.grad[0]!));
  }
});

test("plain-JS counter: RMSProp follows numpy's tutorial run", () => {
  const d = tutorialData();
  const [wx0, wRec0] = fixture.init as [number, number];
  // The loss before epoch e's update, every 100 epochs up to convergence, against numpy's float64 run.
  for (const [e, cost] of (fixture.rmsprop.logged as Array<[number, number]>).filter(([e]) => e <= 1000)) {
    const r = counter.trainCounter(d, { wx: wx0, wRec: wRec0 }, { epochs: e + 1, lr: 1e-3 });
    expect(Math.abs(r.loss - cost), `epoch ${e}`).toBeLessThan(1e-5 * cost);
  }
  // Then RMSProp's normalised steps circle the minimum at ±lr; float32 states decide the phase.
  const r = counter.trainCounter(d, { wx: wx0, wRec: wRec0 }, { epochs: 2001, lr: 1e-3 });
  const last = fixture.rmsprop.logged.at(-1)![1]!;
  expect(Math.abs(r.loss - last)).toBeLessThan(0.05 * last);
  expect(Math.abs(r.wx - fixture.rmsprop.final[0]!)).toBeLessThan(1.01e-3);
  expect(Math.abs(r.wRec - fixture.rmsprop.final[1]!)).toBeLessThan(1.01e-3);
});

// @ts-expect-error: plain-JavaScript bench module without type declarations
const plainElman = (await import('../../bench/plain/elman.js')) as {
  PARAMS: string[];
  makeElman: (o: { inputSize: number; hiddenSize: number; outputSize: number; seed?: number }) => Net;
  zerosLike: (net: Net) => Record<string, Float32Array>;
  elmanLossGrad: (net: Net, data: Data, b0: number, B: number, g: Record<string, Float32Array>) => number;
  trainElman: (data: Data, net: Net, o: { epochs: number; batchSize?: number; lr?: number }) => { loss: number };
};

/** The same network written again in float64, straight from its formula: the loss of samples b0..b0+B−1. */
function loss64(net: Net, p: Record<string, Float64Array>, d: Data, b0: number, B: number): number {
  const { I, H, O } = net;
  let L = 0;
  for (let r = b0; r < b0 + B; r++) {
    let h = new Float64Array(H);
    for (let k = 0; k < d.steps; k++) {
      const next = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        let a = p.b![j]!;
        for (let i = 0; i < I; i++) a += p.K![j * I + i]! * d.x[(k * d.samples + r) * I + i]!;
        for (let i = 0; i < H; i++) a += p.R![j * H + i]! * h[i]!;
        next[j] = Math.tanh(a);
      }
      h = next;
    }
    for (let q = 0; q < O; q++) {
      let y = p.bo![q]!;
      for (let j = 0; j < H; j++) y += p.Wo![q * H + j]! * h[j]!;
      L += (y - d.targets[r * O + q]!) ** 2;
    }
  }
  return L / (B * O);
}

test('plain-JS Elman: loss and BPTT gradients match float64 central differences of the formula', () => {
  for (const [I, H, O, n, T, b0, B] of [[2, 8, 1, 7, 5, 2, 4], [3, 5, 2, 4, 9, 0, 4]] as const) {
    const net = plainElman.makeElman({ inputSize: I, hiddenSize: H, outputSize: O, seed: 3 });
    // Larger weights than the initialiser's, so tanh saturates partly and R's gradient matters.
    for (const k of plainElman.PARAMS) net[k as 'K'].forEach((v, i, a) => (a[i] = Math.fround(v * 2 + 0.05 * Math.sin(i))));
    const d = randomData(7, n, T, I, O);
    const g = plainElman.zerosLike(net);
    const L = plainElman.elmanLossGrad(net, d, b0, B, g);
    expectCentralDifferences(plainElman.PARAMS, net, L, g, (p) => loss64(net, p, d, b0, B));
  }
});

test('plain-JS Elman: RMSProp training lowers the loss (mini-batches with a short last one)', () => {
  const d = randomData(11, 30, 6, 2, 1);
  // A learnable target: the last step's first input.
  for (let r = 0; r < d.samples; r++) d.targets[r] = d.x[((d.steps - 1) * d.samples + r) * 2]!;
  const net = plainElman.makeElman({ inputSize: 2, hiddenSize: 8, outputSize: 1 });
  const first = plainElman.trainElman(d, net, { epochs: 1, batchSize: 8, lr: 1e-2 }).loss;
  const later = plainElman.trainElman(d, net, { epochs: 200, batchSize: 8, lr: 1e-2 }).loss;
  expect(later).toBeLessThan(first / 10);
});
