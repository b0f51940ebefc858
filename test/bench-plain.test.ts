import { expect, test } from 'vitest';
import fixture from './fixtures/tutorial.json' with { type: 'json' };

// The bench's plain-JS yardsticks must compute the model they claim to, or their speed means nothing.
// Truth: the numpy fixtures (float64), never elman's own kernels.

// @ts-expect-error: plain-JavaScript bench module without type declarations
const counter = (await import('../bench/plain/counter.js')) as {
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
