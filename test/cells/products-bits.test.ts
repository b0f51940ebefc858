import { beforeAll, expect, test } from 'vitest';
import { bitDifferences, linearHead, rough } from '../helpers/float32-oracle.js';
import { coreFeatures, ElmanRNN, init, type Sequences } from '../../src/index.js';

// The simple cell's step runs its pre-activation b + x·K + h·R as one register block per 4 rows × 8
// columns (mmAffine in assembly/matmul.ts) and the head h·Wo + bo through mm. Both promise the
// float32 sums fillRows + mm + mm made: each output starts from its bias and adds every rounded
// product in order (inputs, then the recurrent terms), each add rounded. With a linear hidden
// activation and a linear output nothing else touches the values, so a float32 oracle written
// here (Math.fround after every multiply and add) must give the network's outputs bit for bit.
// Sizes cover full blocks and every tail: rows 4k and 4k + 1..3, columns 8k, 8k + 4, + 1..3.

beforeAll(() => init(undefined, { relaxedSimd: false })); // the plain SIMD core: a multiply and an add, each rounded

const f = Math.fround;

/** Outputs [samples][O] of the Elman network at its last step, by the order of sums the kernels promise. */
function oracle(x: Float32Array, n: number, T: number, I: number, H: number, O: number, w: { K: number[][]; R: number[][]; b: number[]; Wo: number[][]; bo: number[] }): Float32Array {
  const y = new Float32Array(n * O);
  for (let r = 0; r < n; r++) {
    let h = new Array<number>(H).fill(0);
    for (let k = 0; k < T; k++) {
      const next = new Array<number>(H);
      for (let j = 0; j < H; j++) {
        let c = w.b[j]!;
        for (let i = 0; i < I; i++) c = f(c + f(x[(k * n + r) * I + i]! * w.K[i]![j]!));
        for (let i = 0; i < H; i++) c = f(c + f(h[i]! * w.R[i]![j]!));
        next[j] = c;
      }
      h = next;
    }
    linearHead(h, w.Wo, w.bo, y, r * O);
  }
  return y;
}

test.each([
  // I, H, O, samples, steps
  [3, 8, 2, 8, 4],
  [2, 13, 3, 7, 3],
  [5, 21, 1, 10, 5],
  [1, 1, 1, 3, 2],
  [4, 36, 9, 13, 2],
  [3, 100, 5, 1, 3], // a batch of one: every product is mm's one-row tail (16, 8, 4 and 1 columns wide)
  [2, 64, 1, 12, 3], // 8 rows or more and 16 columns or more: R read from its packed column panels, no tails
  [3, 40, 2, 9, 2], // panels with a row tail
] as const)('I %i, H %i, O %i, %i samples × %i steps: the outputs of a linear Elman network are the float32 oracle\'s bit for bit', (I, H, O, n, T) => {
  expect(coreFeatures().relaxedSimd).toBe(false);
  const next = rough(I * 1000 + H * 10 + O);
  const mat = (a: number, b: number) => Array.from({ length: a }, () => Array.from({ length: b }, next));
  const w = { K: mat(I, H), R: mat(H, H).map((row) => row.map((v) => f(v / Math.sqrt(H)))), b: mat(1, H)[0]!, Wo: mat(H, O), bo: mat(1, O)[0]! };
  const x = Float32Array.from({ length: T * n * I }, next);
  const model = new ElmanRNN({ inputSize: I, hiddenSize: H, outputSize: O, activation: 'linear', backend: 'wasm' });
  try {
    model.weights = { kernel: w.K, recurrentKernel: w.R, bias: w.b, outputKernel: w.Wo, outputBias: w.bo };
    const data: Sequences = { samples: n, steps: T, inputSize: I, outputSize: O, x, targets: new Float32Array(n * O) };
    const got = model.predict(data), want = oracle(x, n, T, I, H, O, w);
    expect(bitDifferences('y', got, want).slice(0, 5)).toEqual([]);
    expect(got.length).toBe(n * O);
  } finally {
    model.dispose();
  }
});

/**
 * ∂loss/∂(K, R, b) of the linear Elman network under mse at its last step, by the order of sums
 * the backward kernels promise: dh = dz·Woᵀ (o in order from 0), da = dh at the last step and the
 * time carry before it (act′ = 1), carry = da·Rᵀ (columns of R in order from 0), then each gradient
 * sums its rows over steps then samples, in order, from 0.
 */
function gradOracle(x: Float32Array, t: Float32Array, n: number, T: number, I: number, H: number, O: number, w: { K: number[][]; R: number[][]; b: number[]; Wo: number[][]; bo: number[] }): { K: number[][]; R: number[][]; b: number[] } {
  const c2 = f(2 * f(1 / (n * O)));
  const hs: number[][][] = Array.from({ length: T + 1 }, () => Array.from({ length: n }, () => new Array<number>(H).fill(0)));
  for (let k = 1; k <= T; k++) {
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < H; j++) {
        let c = w.b[j]!;
        for (let i = 0; i < I; i++) c = f(c + f(x[((k - 1) * n + r) * I + i]! * w.K[i]![j]!));
        for (let i = 0; i < H; i++) c = f(c + f(hs[k - 1]![r]![i]! * w.R[i]![j]!));
        hs[k]![r]![j] = c;
      }
    }
  }
  const da: number[][][] = Array.from({ length: T + 1 }, () => []);
  const y = new Float32Array(O);
  da[T] = hs[T]!.map((h, r) => {
    linearHead(h, w.Wo, w.bo, y, 0);
    const dz = Array.from(y, (v, o) => f(c2 * f(v - t[r * O + o]!)));
    return Array.from({ length: H }, (_, j) => dz.reduce((s, d, o) => (o === 0 ? f(d * w.Wo[j]![o]!) : f(s + f(d * w.Wo[j]![o]!))), 0));
  });
  for (let k = T - 1; k >= 1; k--) {
    da[k] = da[k + 1]!.map((d) => Array.from({ length: H }, (_, j) => d.reduce((s, v, i) => (i === 0 ? f(v * w.R[j]![i]!) : f(s + f(v * w.R[j]![i]!))), 0)));
  }
  const K = Array.from({ length: I }, () => new Array<number>(H).fill(0));
  const R = Array.from({ length: H }, () => new Array<number>(H).fill(0));
  const b = new Array<number>(H).fill(0);
  for (let k = 1; k <= T; k++) {
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < H; j++) {
        const d = da[k]![r]![j]!;
        for (let i = 0; i < I; i++) K[i]![j] = f(K[i]![j]! + f(x[((k - 1) * n + r) * I + i]! * d));
        for (let i = 0; i < H; i++) R[i]![j] = f(R[i]![j]! + f(hs[k - 1]![r]![i]! * d));
        b[j] = f(b[j]! + d);
      }
    }
  }
  return { K, R, b };
}

test.each([
  // I, H, O, samples, steps
  [3, 8, 2, 8, 4],
  [2, 13, 3, 7, 3],
  [3, 40, 2, 9, 3], // Rᵀ read from its packed column panels, with a row tail
  [2, 64, 1, 12, 2],
  [2, 260, 1, 37, 2], // C of the recurrent weights' gradient ≥ 256 KiB: mmTPacked, a full chunk of 64 rows and a tail of 10, 4 columns past the panels
] as const)('I %i, H %i, O %i, %i samples × %i steps: the gradients of a linear Elman network under mse are the float32 oracle\'s bit for bit', (I, H, O, n, T) => {
  expect(coreFeatures().relaxedSimd).toBe(false);
  const next = rough(I * 2000 + H * 10 + O);
  const mat = (a: number, b: number) => Array.from({ length: a }, () => Array.from({ length: b }, next));
  const w = { K: mat(I, H), R: mat(H, H).map((row) => row.map((v) => f(v / Math.sqrt(H)))), b: mat(1, H)[0]!, Wo: mat(H, O), bo: mat(1, O)[0]! };
  const x = Float32Array.from({ length: T * n * I }, next), targets = Float32Array.from({ length: n * O }, next);
  const model = new ElmanRNN({ inputSize: I, hiddenSize: H, outputSize: O, activation: 'linear', backend: 'wasm' });
  try {
    model.weights = { kernel: w.K, recurrentKernel: w.R, bias: w.b, outputKernel: w.Wo, outputBias: w.bo };
    const { grads } = model.lossAndGrad({ samples: n, steps: T, inputSize: I, outputSize: O, x, targets }, 'mse');
    const want = gradOracle(x, targets, n, T, I, H, O, w);
    // The gradients come flat, row-major: [inputs][units], [units][units], [units].
    expect([...bitDifferences('kernel', grads.kernel, want.K.flat()), ...bitDifferences('recurrentKernel', grads.recurrentKernel, want.R.flat()), ...bitDifferences('bias', grads.bias, want.b)].slice(0, 5)).toEqual([]);
    expect(grads.recurrentKernel.length).toBe(H * H);
  } finally {
    model.dispose();
  }
});
