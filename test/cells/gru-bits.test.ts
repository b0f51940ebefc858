import { beforeAll, expect, test } from 'vitest';
import { bitDifferences, linearHead, rough } from '../helpers/float32-oracle.js';
import { coreFeatures, init, RNN, type Sequences } from '../../src/index.js';

// The GRU's forward pass promises the float32 sums of fillRows + mm + mm (assembly/gru.ts: every
// step's b + x·K computed before the recurrence, then h·R added) and its element-wise formulas in a
// fixed order. With a linear candidate activation, TF.js's hardSigmoid gates (clip(0.2·v + 0.5, 0, 1),
// exact in float32) and a linear output, a float32 oracle written here (Math.fround after every
// operation) must give the network's outputs bit for bit, with and without resetAfter. Sizes cover
// full 4 × 8 blocks and every row, column and element-wise tail.

beforeAll(() => init(undefined, { relaxedSimd: false })); // the plain SIMD core: a multiply and an add, each rounded

const f = Math.fround;
const K02 = f(0.2);
const hardSigmoid = (v: number) => Math.min(Math.max(f(f(v * K02) + 0.5), 0), 1);

interface W { K: number[][]; R: number[][]; b: number[]; b2: number[]; Wo: number[][]; bo: number[] }

/** Outputs [samples][O] at the last step, by the order of sums and operations the kernels promise. */
function oracle(x: Float32Array, n: number, T: number, I: number, H: number, O: number, w: W, after: boolean): Float32Array {
  const y = new Float32Array(n * O);
  for (let s = 0; s < n; s++) {
    let h = new Array<number>(H).fill(0);
    for (let k = 0; k < T; k++) {
      const g = new Array<number>(3 * H);
      for (let j = 0; j < 3 * H; j++) {
        let c = w.b[j]!;
        for (let i = 0; i < I; i++) c = f(c + f(x[(k * n + s) * I + i]! * w.K[i]![j]!));
        if (j < 2 * H) {
          for (let m = 0; m < H; m++) c = f(c + f(h[m]! * w.R[m]![j]!));
          if (after) c = f(c + w.b2[j]!);
          c = hardSigmoid(c);
        }
        g[j] = c;
      }
      const next = new Array<number>(H);
      for (let j = 0; j < H; j++) {
        let nv = g[2 * H + j]!;
        if (after) {
          let a = w.b2[2 * H + j]!;
          for (let m = 0; m < H; m++) a = f(a + f(h[m]! * w.R[m]![2 * H + j]!));
          nv = f(nv + f(g[H + j]! * a));
        } else {
          for (let m = 0; m < H; m++) nv = f(nv + f(f(g[H + m]! * h[m]!) * w.R[m]![2 * H + j]!));
        }
        next[j] = f(nv + f(g[j]! * f(h[j]! - nv)));
      }
      h = next;
    }
    linearHead(h, w.Wo, w.bo, y, s * O);
  }
  return y;
}

test.each([
  // I, H, O, samples, steps
  [2, 8, 1, 8, 4],
  [3, 13, 2, 7, 3],
  [1, 5, 1, 3, 2],
  [2, 36, 3, 13, 3],
  [3, 100, 2, 1, 3], // a batch of one: mm's one-row tail
] as const)('I %i, H %i, O %i, %i samples × %i steps: a linear-candidate GRU with hardSigmoid gates gives the float32 oracle\'s outputs bit for bit', (I, H, O, n, T) => {
  expect(coreFeatures().relaxedSimd).toBe(false);
  for (const after of [false, true]) {
    const next = rough(I * 1000 + H * 10 + O + (after ? 7 : 0));
    const mat = (a: number, b: number, scale = 1) => Array.from({ length: a }, () => Array.from({ length: b }, () => f(next() * scale)));
    const w: W = { K: mat(I, 3 * H), R: mat(H, 3 * H, 1 / Math.sqrt(H)), b: mat(1, 3 * H)[0]!, b2: after ? mat(1, 3 * H)[0]! : [], Wo: mat(H, O), bo: mat(1, O)[0]! };
    const x = Float32Array.from({ length: T * n * I }, next);
    const model = new RNN({ inputSize: I, layers: [{ cell: 'gru', units: H, activation: 'linear', recurrentActivation: 'hardSigmoid', resetAfter: after }], outputSize: O, backend: 'wasm' });
    try {
      // Flat parameters: K [I][3H], R [H][3H], b [3H] (resetAfter: [2][3H], the recurrent bias second), Wo [H][O], bo [O].
      model.params.set([...w.K.flat(), ...w.R.flat(), ...w.b, ...w.b2, ...w.Wo.flat(), ...w.bo]);
      const data: Sequences = { samples: n, steps: T, inputSize: I, outputSize: O, x, targets: new Float32Array(n * O) };
      const got = model.predict(data), want = oracle(x, n, T, I, H, O, w, after);
      expect(bitDifferences(`resetAfter ${after}: y`, got, want).slice(0, 5)).toEqual([]);
      expect(got.length).toBe(n * O);
    } finally {
      model.dispose();
    }
  }
});
