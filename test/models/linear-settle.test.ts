// The SIMD kernel ends a group's backward pass early once no later step can change its sums (see
// `settled` in assembly/linear.ts). Its results must stay those of the full pass bit for bit: the
// oracle here is the fround oracle's per-sample f32 values (oracleSamples, every step run) summed in
// the SIMD kernel's f64 order, so every bit of all three outputs is checked, over weights where the
// early end fires (and where it must not: overflow, |wRec| > 3/4).
import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { WasmLinear } from '../../src/backends/wasm/linear.js';
import { countOnes } from '../../src/data/count-ones.js';
import type { Sequences } from '../../src/data/sequences.js';
import { RandomState } from '../../src/random.js';
import { randomSequences } from '../helpers/data.js';
import { oracleSamples } from '../helpers/oracle-linear.js';

beforeAll(() => init());

const f = Math.fround;

/** The kernel's f64 sums: lanes (0+2)+(1+3) per register, registers in its order, then the tail. */
function simdOrder(v: Array<[number, number, number]>): [number, number, number] {
  const lanes = (a: number[]) => (a[0]! + a[2]!) + (a[1]! + a[3]!);
  const reg = (i: number, j: 0 | 1 | 2) => lanes([0, 1, 2, 3].map((l) => v[i + l]![j]));
  const n = v.length;
  let loss = 0, gx = 0, gr = 0, i = 0;
  for (; i + 16 <= n; i += 16) {
    loss += reg(i, 0) + reg(i + 4, 0) + reg(i + 8, 0) + reg(i + 12, 0);
    for (const h of [0, 8]) {
      gx += reg(i + h, 1) + reg(i + h + 4, 1);
      gr += reg(i + h, 2) + reg(i + h + 4, 2);
    }
  }
  for (; i + 4 <= n; i += 4) {
    loss += reg(i, 0);
    gx += reg(i, 1);
    gr += reg(i, 2);
  }
  for (; i < n; i++) [loss, gx, gr] = [loss + v[i]![0], gx + v[i]![1], gr + v[i]![2]];
  return [loss, gx, gr];
}

/** 0/1 data with some samples' last inputs zero (their gx sum stays 0 while g is not). */
function hardOnes(seed: number, n: number, T: number): Sequences {
  const d = countOnes({ samples: n, length: T, rng: new RandomState(seed) });
  for (let i = 0; i < n; i += 5) for (let k = T - 1 - (i % 23); k < T; k++) d.x[k * n + i] = 0;
  return d;
}

describe('the SIMD kernel\'s early end of the backward pass leaves every bit as the full pass', () => {
  // 1e36: the kernel's bound on the states overflows to +inf at T = 100 (so no lane settles) while they stay finite.
  const weights = [[0.31, 0.05], [-0.07, -0.1], [1.5, 0.5], [0.02, -0.75], [0, 0.3], [1e36, 0.2], [0.31, 1.07]] as const;
  // Overflowing states: inf and NaN sums, which an early end must not turn finite. (Not for bytes: there
  // an x of 0 times an infinite g gives 0, not NaN, in every kernel, SIMD or scalar.)
  const overflow = [3e38, 0.2] as const;
  // 20 = 16 + 4 (fused tail), 37 = 2·16 + 4 + 1, 1,024 × 100 the counter row, 10,501 × 101 blocked.
  test.each([
    [31, 20, 10],
    [32, 37, 40],
    [33, 1024, 100],
    [34, 10_501, 101],
  ])('seed %i, %i × %i, 0/1 inputs as bytes and as f32', (seed, n, T) => {
    const d = hardOnes(seed, n, T);
    const c = f(2 / n);
    for (const bytes of [true, false]) {
      const k = new WasmLinear(d, true, bytes);
      expect(k.bytes).toBe(bytes);
      const out = new Float64Array(3);
      for (const [wx, wRec] of bytes ? weights : [...weights, overflow]) {
        const v = oracleSamples(d.x, d.targets, d.samples, d.steps, wx, wRec, c);
        k.lossGrad(wx, wRec, c, out);
        expect([...out]).toEqual(simdOrder(v));
      }
      k.dispose();
    }
  });

  test.each([
    [41, 53, 30],
    [42, 1024, 100],
  ])('seed %i, %i × %i, real-valued inputs', (seed, n, T) => {
    const d = randomSequences(seed, n, T);
    const c = f(2 / n);
    const k = new WasmLinear(d, true);
    const out = new Float64Array(3);
    for (const [wx, wRec] of [...weights, overflow]) {
      k.lossGrad(wx, wRec, c, out);
      expect([...out]).toEqual(simdOrder(oracleSamples(d.x, d.targets, d.samples, d.steps, wx, wRec, c)));
    }
    k.dispose();
  });
});
