// The core's softmax (the head's output and its cross-entropy, assembly/head.ts) exponentiates with
// sigmoid's e^−x, four lanes at a time (expShifted in assembly/activations.ts): each probability
// against a float64 softmax of the same float32 logits, through the public entry. A one-unit linear
// layer passes x through exactly (kernel 1, no recurrence); the head's logits are then
// z[o] = b[o] + x·w[o] in float32, so a sweep of x spreads the logits from 0 to about 300 apart.
import { beforeAll, expect, test } from 'vitest';
import { init, RNN } from 'elman-rnn';

const f = Math.fround;
/** Relative bound on each probability above e^−87 (1.65e-38: where m − z > 87 the core gives 0); absolute below. */
const BOUND = 4e-7; // measured 2.6e-7 at 11 classes
const FLOOR = 1.65e-38;

beforeAll(() => init());

test('softmax outputs are within their bound of the float64 softmax of the same logits, the tails included', () => {
  const O = 11; // two f32x4 passes and a tail of 3
  const w = Array.from({ length: O }, (_, o) => f((o - 5) * 0.37 + (o % 3) * 0.011));
  const b = Array.from({ length: O }, (_, o) => f(Math.sin(o * 1.7) * 3));
  const model = new RNN({ inputSize: 1, layers: [{ cell: 'simple', units: 1, activation: 'linear' }], outputSize: O, outputActivation: 'softmax', seed: 1 });
  model.setWeights({ layers: [{ kernel: [[1]], recurrentKernel: [[0]], bias: [0] }], outputKernel: [w], outputBias: b });
  const n = 4001, xs = Float32Array.from({ length: n }, (_, i) => f(-80 + (160 * i) / (n - 1)));
  const y = model.predict({ samples: n, steps: 1, inputSize: 1, outputSize: O, x: xs, targets: new Float32Array(n * O) });
  model.dispose();
  let worst = 0, worstAt = 0, worstTiny = 0, spread = 0, zeros = 0;
  for (let i = 0; i < n; i++) {
    const z = b.map((bo, o) => f(bo + f(xs[i]! * w[o]!)));
    // The shift z − max rounds in float32 in the core, as in any float32 softmax (3.8e-6 relative at e^−85): the reference shifts the same way.
    const m = Math.max(...z), e = z.map((v) => Math.exp(f(v - m))), sum = e.reduce((s, v) => s + v, 0);
    spread = Math.max(spread, m - Math.min(...z));
    for (let o = 0; o < O; o++) {
      const want = e[o]! / sum, got = y[i * O + o]!;
      if (f(z[o]! - m) < -87 && got !== 0) worstTiny = Infinity; // flushed to exactly 0
      if (f(z[o]! - m) < -87) zeros++;
      if (want < FLOOR) worstTiny = Math.max(worstTiny, Math.abs(got - want));
      else if (Math.abs(got - want) / want > worst) [worst, worstAt] = [Math.abs(got - want) / want, xs[i]!];
    }
  }
  expect(spread).toBeGreaterThan(200); // the sweep reaches logits whose e^(z − max) underflows
  expect(worstTiny).toBeLessThanOrEqual(FLOOR);
  expect(zeros).toBeGreaterThan(0); // the sweep reaches the flushed range, where every output is exactly 0
  expect(worst, `worst at x = ${worstAt}`).toBeLessThanOrEqual(BOUND);
  expect(worst).toBeGreaterThan(1e-8); // not vacuous: e^−x and the sums round
});
