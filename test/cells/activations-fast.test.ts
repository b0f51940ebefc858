import { beforeAll, expect, test } from 'vitest';
import { ElmanRNN, init, type Sequences } from '../../src/index.js';

// The core's vectorised tanh and sigmoid (assembly/activations.ts) against float64 Math.tanh and the
// logistic function, through the door users use: a one-unit network whose hidden state is exactly
// act(x) (kernel 1, recurrent 0, bias 0) and whose output is exactly that state (output kernel 1, bias 0).
// Bounds stated in assembly/activations.ts: tanh within 3.5e-7 absolute and relative; sigmoid within
// SIGMOID_BOUND relative wherever it is a normal float32 (x > −87.3), within the least normal
// float32 (1.2e-38) absolute below (0 for x < −88.7).
const TANH_BOUND = 3.5e-7;
const SIGMOID_BOUND = 2.5e-7;

beforeAll(async () => {
  await init();
});

function through(act: 'tanh' | 'sigmoid', xs: Float32Array): Float32Array {
  const model = new ElmanRNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, activation: act, backend: 'wasm' });
  try {
    model.weights = { kernel: [[1]], recurrentKernel: [[0]], bias: [0], outputKernel: [[1]], outputBias: [0] };
    const data: Sequences = { samples: xs.length, steps: 1, inputSize: 1, outputSize: 1, x: xs, targets: new Float32Array(xs.length) };
    return model.predict(data);
  } finally {
    model.dispose();
  }
}

/** Dense and extreme float32 inputs, both signs: a fine uniform grid, every binade from the least subnormal to the largest finite value, and edges. */
function grid(): Float32Array {
  const v: number[] = [];
  for (let i = 0; i <= 1 << 20; i++) v.push(-12 + (24 * i) / (1 << 20));
  const bits = new Uint32Array(1);
  const f = new Float32Array(bits.buffer);
  // 64 values per binade over all exponents, subnormals included (bit patterns 1 .. 0x7f7fffff).
  for (let e = 0; e < 255; e++) for (let m = 0; m < 64; m++) {
    bits[0] = (e << 23) | (m * 131071 + (m === 0 ? 1 : 0));
    v.push(f[0]!, -f[0]!);
  }
  const edges = [0, -0, 1.4e-45, 1.1754942e-38, 1.1754944e-38, 3.4028235e38, 2e-4, 0.3, 0.5, 1, 2, 4.5, 8.99, 9, 9.01, 20, 88.8, 1e6];
  for (const x of edges) v.push(x, -x);
  return Float32Array.from(v);
}

test('fast tanh is within its stated bound of float64 tanh, keeps zeros and subnormals, and is odd', () => {
  const xs = grid();
  const y = through('tanh', xs);
  let worstAbs = 0, worstRel = 0;
  const wrong: string[] = []; // checked per value, asserted once (a million expect calls take minutes)
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!, t = Math.tanh(x), e = Math.abs(y[i]! - t);
    worstAbs = Math.max(worstAbs, e);
    if (t !== 0) worstRel = Math.max(worstRel, e / Math.abs(t));
    // Zero stays zero (its sign is the bias add's, not tanh's); subnormals come back unchanged, as
    // tanh(x) = x·P(x²)/Q(x²) with P(0) = Q(0) = 1.
    if (Math.abs(x) < 1.1754944e-38 && y[i] !== x) wrong.push(`tanh(${x}) = ${y[i]}`);
    if (Math.abs(y[i]!) > 1) wrong.push(`|tanh(${x})| = ${Math.abs(y[i]!)} > 1`);
    if (i + 1 < xs.length && xs[i + 1] === -x && y[i + 1] !== -y[i]!) wrong.push(`tanh(${-x}) = ${y[i + 1]} but tanh(${x}) = ${y[i]}`);
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(worstAbs).toBeLessThanOrEqual(TANH_BOUND);
  expect(worstRel).toBeLessThanOrEqual(TANH_BOUND);
  // Not vacuous: the rational is not exact, so some error shows on this grid.
  expect(worstAbs).toBeGreaterThan(1e-8);
});

test('fast tanh saturates to ±1 for large and overflowing pre-activations', () => {
  // A weight of 2 makes x·2 overflow float32 to ±Infinity inside the kernel for |x| > 1.7e38.
  const model = new ElmanRNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, backend: 'wasm' });
  model.weights = { kernel: [[2]], recurrentKernel: [[0]], bias: [0], outputKernel: [[1]], outputBias: [0] };
  const xs = Float32Array.from([3e38, -3e38, 1e30, -1e30, 9, -9, 5, -5]);
  const y = model.predict({ samples: xs.length, steps: 1, inputSize: 1, outputSize: 1, x: xs, targets: new Float32Array(xs.length) });
  model.dispose();
  expect(Array.from(y.subarray(0, 6))).toEqual([1, -1, 1, -1, 1, -1]);
  expect(Math.abs(y[6]! - Math.tanh(10))).toBeLessThanOrEqual(TANH_BOUND);
});

test('fast sigmoid is within its stated relative bound of the float64 logistic function', () => {
  const xs = grid();
  const y = through('sigmoid', xs);
  let worst = 0, outside = 0, worstAt = 0, worstTiny = 0;
  for (let i = 0; i < xs.length; i++) {
    const s = 1 / (1 + Math.exp(-xs[i]!));
    if (s < 1.1754944e-38) worstTiny = Math.max(worstTiny, Math.abs(y[i]! - s));
    else if (Math.abs(y[i]! - s) / s > worst) [worst, worstAt] = [Math.abs(y[i]! - s) / s, xs[i]!];
    if (!(y[i]! >= 0 && y[i]! <= 1)) outside++;
  }
  expect(outside).toBe(0);
  expect(worstTiny).toBeLessThanOrEqual(1.1754944e-38);
  expect(worst, `worst at x = ${worstAt}`).toBeLessThanOrEqual(SIGMOID_BOUND);
  expect(worst).toBeLessThanOrEqual(SIGMOID_BOUND);
  expect(worst).toBeGreaterThan(1e-9);
});

test('a value gets the same bits in every SIMD lane and in the scalar tail', () => {
  // 4k + 3 samples cycling through 5 values: each value lands in every lane position and in the tail.
  const values = [0.123, -2.5, 7.7, 1e-3, -0.61];
  const xs = Float32Array.from({ length: 4 * 25 + 3 }, (_, i) => values[i % 5]!);
  for (const act of ['tanh', 'sigmoid'] as const) {
    const y = through(act, xs);
    for (let i = 5; i < xs.length; i++) expect(y[i], `${act} sample ${i}`).toBe(y[i % 5]);
  }
});
