import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, expect, test } from 'vitest';
import * as elman from '../../src/index.js';
import { ElmanRNN, init, RNN } from '../../src/index.js';
import { grid, through as run } from '../runtimes/activations.mjs';

// The core's vectorised tanh and sigmoid (assembly/activations.ts) against float64 Math.tanh and the
// logistic function, through the door users use (test/runtimes/activations.mjs: a one-unit network
// whose output is exactly act(x)). Bounds stated in assembly/activations.ts: tanh within 3.5e-7
// absolute and relative; sigmoid within SIGMOID_BOUND relative wherever it is a normal float32
// (x > −87.3), within the least normal float32 (1.2e-38) absolute below (0 for x ≤ −88.4).
const TANH_BOUND = 3.5e-7;
const SIGMOID_BOUND = 2.5e-7;

beforeAll(async () => {
  await init();
});

const through = (act: 'tanh' | 'sigmoid', xs: Float32Array): Float32Array => run(elman, act, xs);

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

test('fast sigmoid is within its stated relative bound of the float64 logistic function, tails included', () => {
  const xs = grid();
  const y = through('sigmoid', xs);
  let worst = 0, worstAt = 0, worstTiny = 0;
  const wrong: string[] = []; // checked per value, asserted once
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!, s = 1 / (1 + Math.exp(-x));
    if (s < 1.1754944e-38) worstTiny = Math.max(worstTiny, Math.abs(y[i]! - s));
    else if (Math.abs(y[i]! - s) / s > worst) [worst, worstAt] = [Math.abs(y[i]! - s) / s, x];
    if (!(y[i]! >= 0 && y[i]! <= 1)) wrong.push(`sigmoid(${x}) = ${y[i]} is outside [0, 1]`);
    // 2^n overflows to Infinity where n = 128: exactly 0 there, as for −Infinity.
    if (x <= -88.4 && y[i] !== 0) wrong.push(`sigmoid(${x}) = ${y[i]}, not 0`);
    // e^−x below half an ulp of 1: exactly 1.
    if (x >= 17 && y[i] !== 1) wrong.push(`sigmoid(${x}) = ${y[i]}, not 1`);
    if (x === 0 && y[i] !== 0.5) wrong.push(`sigmoid(${Object.is(x, -0) ? '-0' : '0'}) = ${y[i]}, not 0.5`);
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(worstTiny).toBeLessThanOrEqual(1.1754944e-38);
  expect(worst, `worst at x = ${worstAt}`).toBeLessThanOrEqual(SIGMOID_BOUND);
  // Not vacuous: the polynomial and the division round, so some error shows on this grid.
  expect(worst).toBeGreaterThan(1e-8);
});

test('fast sigmoid: ±Infinity gives 1 and 0, NaN stays NaN (the model then refuses the output by name)', () => {
  // Two inputs of weight 2 each: ±3e38·2 overflows to ±Infinity inside the kernel; +3e38 and −3e38 together give Infinity − Infinity = NaN.
  const model = new ElmanRNN({ inputSize: 2, hiddenSize: 1, outputSize: 1, activation: 'sigmoid', backend: 'wasm' });
  try {
    model.weights = { kernel: [[2], [2]], recurrentKernel: [[0]], bias: [0], outputKernel: [[1]], outputBias: [0] };
    const predict = (x: number[]) => model.predict({ samples: x.length / 2, steps: 1, inputSize: 2, outputSize: 1, x: Float32Array.from(x), targets: new Float32Array(x.length / 2) });
    expect(Array.from(predict([3e38, 3e38, -3e38, -3e38, 1e30, 0, -1e30, 0, -0, -0]))).toEqual([1, 0, 1, 0, 0.5]);
    expect(() => predict([0, 0, 3e38, -3e38, 0, 0])).toThrow(/output 1 is NaN/);
  } finally {
    model.dispose();
  }
});

test("hardSigmoid (the gates' TF.js default) is clip(0.2·x + 0.5, 0, 1) rounded as float32, bit for bit, in every lane and the tail", () => {
  // A one-unit simple layer whose output is exactly its state (kernel 1, recurrent 0, biases 0, output kernel 1).
  const model = new RNN({ inputSize: 1, layers: [{ cell: 'simple', units: 1, activation: 'hardSigmoid' }], outputSize: 1, backend: 'wasm' });
  try {
    model.params.set([1, 0, 0, 1, 0]);
    const xs = Float32Array.from({ length: 4 * 5001 + 3 }, (_, i) => -3 + (6 * i) / 20006);
    xs.set([-2.5, 2.5, 0, -0, 1e-45, -1e-45, 3e38, -3e38, 2.4999998, -2.4999998]);
    const y = model.predict({ samples: xs.length, steps: 1, inputSize: 1, outputSize: 1, x: xs, targets: new Float32Array(xs.length) });
    const f = Math.fround, k = f(0.2), want = xs.map((x) => Math.min(Math.max(f(f(k * x) + 0.5), 0), 1)); // 0.2 as the core holds it
    const first = want.findIndex((v, i) => !Object.is(v, y[i]));
    expect(first, `hardSigmoid(${xs[first]}) = ${y[first]}, want ${want[first]}`).toBe(-1);
    expect(new Set(y).size).toBeGreaterThan(1000); // not vacuous: the ramp is sampled, not only its ends
  } finally {
    model.dispose();
  }
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

test('the relaxed-SIMD core (build/elman.relaxed.wasm, in Node with --experimental-wasm-relaxed-simd) gives the plain core\'s bits for both', async () => {
  // Its fused multiply-adds are in the matrix products only: the activations are the same code.
  const root = resolve(import.meta.dirname, '../..');
  const url = (p: string) => pathToFileURL(resolve(root, p)).href;
  const script = `import * as elman from '${url('dist/index.js')}'; import { activationBits } from '${url('test/runtimes/activations.mjs')}';
await elman.init(); console.log(JSON.stringify(activationBits(elman)));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', script], { maxBuffer: 1 << 26 });
  const r = JSON.parse(stdout) as { features: { relaxedSimd: boolean }; tanh: string; sigmoid: string };
  expect(r.features).toEqual({ relaxedSimd: true });
  const xs = grid();
  for (const act of ['tanh', 'sigmoid'] as const) {
    const b = Buffer.from(r[act], 'base64'), relaxed = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4), plain = through(act, xs);
    expect(relaxed.length).toBe(xs.length);
    const first = plain.findIndex((v, i) => !Object.is(v, relaxed[i]));
    expect(first, `${act}(${xs[first]}): plain ${plain[first]}, relaxed ${relaxed[first]}`).toBe(-1);
  }
}, 120_000);
