import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../fixtures/tutorial.json' with { type: 'json' };
import { core, init } from '../../src/backends/wasm/core.js';
import { WasmLinear } from '../../src/backends/wasm/linear.js';
import { countOnes, countOnesFrom } from '../../src/data/count-ones.js';
import { LinearRNN } from '../../src/models/linear.js';
import { RandomState } from '../../src/random.js';
import { DataError } from '../../src/errors.js';
import { rmsprop } from '../../src/optimizers/rmsprop.js';
import { trainSync } from '../../src/training/train.js';
import { oracleLossGrad } from '../helpers/oracle-linear.js';
import { randomSequences } from '../helpers/data.js';

beforeAll(() => init());

const tutorial = () => countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
const variants = [
  { name: 'wasm simd', options: { backend: 'wasm', simd: true } },
  { name: 'wasm scalar', options: { backend: 'wasm', simd: false } },
  { name: 'js', options: { backend: 'js' } },
] as const;

describe.each(variants)('LinearRNN on $name', ({ options }) => {
  test('forwardStates matches numpy: shape (samples, T+1), column 0 zeros', () => {
    const [wx, wRec] = fixture.init as [number, number];
    const m = new LinearRNN({ wx, wRec, ...options });
    const S = m.forwardStates(tutorial());
    expect([S.rows, S.cols]).toEqual([20, 11]);
    for (let n = 0; n < 20; n++) {
      expect(S.data[n * 11]).toBe(0);
      for (let k = 0; k <= 10; k++) expect(S.data[n * 11 + k]).toBeCloseTo(fixture.states[n]![k]!, 6);
    }
  });

  test.each(fixture.grads.map((g) => [g.loss, g.w, g] as const))('%s loss and gradient at %j match numpy', (loss, w, g) => {
    const m = new LinearRNN({ wx: w[0], wRec: w[1], ...options });
    // numpy evaluates at the exact doubles; the model holds them rounded to float32.
    const ref = new LinearRNN({ wx: w[0], wRec: w[1], backend: 'js' });
    const r = m.lossAndGrad(tutorial(), loss as 'sse' | 'mse');
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
    const exact = ref.lossAt(m.params, tutorial(), loss as 'sse' | 'mse');
    expect(rel(r.loss, exact)).toBeLessThan(1e-5);
    expect(rel(r.loss, g.value)).toBeLessThan(1e-3 * Math.max(1, Math.abs(g.value)));
    expect(rel(r.grads.wx, g.grad[0]!)).toBeLessThan(2e-3 * Math.max(1, Math.abs(g.grad[0]!)));
    expect(rel(r.grads.wRec, g.grad[1]!)).toBeLessThan(2e-3 * Math.max(1, Math.abs(g.grad[1]!)));
  });

  test('predict counts the ones at the exact solution w = (1, 1)', () => {
    const m = new LinearRNN({ wx: 1, wRec: 1, ...options });
    expect(m.predict([1, 0, 1, 1, 0, 1])).toBe(4);
    expect(m.predict([0, 0, 0])).toBe(0);
    // y = Σ x[k]·wRec^(T-k): with wRec = 0.5, [1, 1, 1] gives 0.25 + 0.5 + 1.
    expect(new LinearRNN({ wx: 1, wRec: 0.5, ...options }).predict([1, 1, 1])).toBe(1.75);
  });

  test('zero loss and zero gradient at the exact solution', () => {
    const m = new LinearRNN({ wx: 1, wRec: 1, ...options });
    const r = m.lossAndGrad(countOnesFrom([[1, 0, 1], [1, 1, 1], [0, 0, 0]]), 'mse');
    expect(r).toEqual({ loss: 0, grads: { wx: 0, wRec: 0 } });
  });
});

describe('backends agree on random real-valued inputs', () => {
  test.each([
    [1, 20, 10],
    [2, 17, 3],
    [3, 64, 50],
    [4, 1000, 7],
    [5, 3, 1],
  ])('seed %i, %i samples × %i steps', (seed, samples, steps) => {
    const data = randomSequences(seed, samples, steps);
    const w = { wx: 0.7, wRec: -0.93 };
    const results = variants.map(({ options }) => new LinearRNN({ ...w, ...options }).lossAndGrad(data, 'mse'));
    const [simd, scalar, js] = results as [typeof results[0], typeof results[0], typeof results[0]];
    for (const r of [simd, scalar]) {
      expect(r.loss).toBeCloseTo(js.loss, 5);
      expect(Math.abs(r.grads.wx - js.grads.wx)).toBeLessThan(1e-5 * Math.max(1, Math.abs(js.grads.wx)));
      expect(Math.abs(r.grads.wRec - js.grads.wRec)).toBeLessThan(1e-5 * Math.max(1, Math.abs(js.grads.wRec)));
    }
  });
});

describe('the WebAssembly kernels are exact float32 twins of the fround oracle', () => {
  test.each([
    [11, 20, 10, 'scalar'],
    [12, 33, 9, 'scalar'],
    [13, 64, 25, 'simd'],
    [14, 21, 4, 'simd'],
    // 1.3 MB of inputs: beyond the kernel's cache threshold, so blocks are read into cache first.
    [15, 3257, 100, 'simd'],
  ] as const)('seed %i, %i × %i, %s', (seed, n, T, path) => {
    const data = randomSequences(seed, n, T);
    const wx = 0.31;
    const wRec = 1.07;
    const c = Math.fround(2 / n);
    const kernel = new WasmLinear(data, path === 'simd');
    const out = new Float64Array(3);
    kernel.lossGrad(wx, wRec, c, out);
    kernel.dispose();
    const [loss, gx, gr] = oracleLossGrad(data.x, data.targets, n, T, wx, wRec, c);
    if (path === 'scalar') {
      expect([...out]).toEqual([loss, gx, gr]);
    } else {
      // Per-sample f32 values are identical; only the order of the f64 sum over samples differs.
      const pairs: Array<[number, number]> = [[out[0]!, loss], [out[1]!, gx], [out[2]!, gr]];
      for (const [a, b] of pairs) expect(Math.abs(a - b)).toBeLessThan(1e-12 * Math.max(1, Math.abs(b)));
    }
  });
});

describe('0/1 inputs held as bytes in the core give the float32 results bit for bit', () => {
  // 20 = 16 + 4, 37 = 2·16 + 4 + 1, and 10,501 × 101 (1.06 MB of bytes) also takes the blocked path.
  // Group-major bytes run groups two at a time: 48 = 3·16 (a pair and one left), 84 = 5·16 + 4 (two
  // pairs and the fused group), 100 = 6·16 + 4 (two pairs, one left, the fused group).
  test.each([
    [21, 20, 10],
    [22, 37, 9],
    [23, 10_501, 101],
    [24, 48, 40],
    [25, 84, 13],
    [26, 100, 6],
  ])('seed %i, %i × %i', (seed, n, T) => {
    const data = countOnes({ samples: n, length: T, rng: new RandomState(seed) });
    const c = Math.fround(2 / n);
    const [loss, gx, gr] = oracleLossGrad(data.x, data.targets, n, T, 0.31, 1.07, c);
    for (const simd of [true, false]) {
      const f32 = new WasmLinear(data, simd, false);
      const u8 = new WasmLinear(data, simd, true);
      expect([f32.bytes, u8.bytes]).toEqual([false, true]);
      const a = new Float64Array(3);
      const b = new Float64Array(3);
      for (const [wx, wRec] of [[0.31, 1.07], [-0.5, -0.8], [0, -0.25]] as const) {
        f32.lossGrad(wx, wRec, c, a);
        u8.lossGrad(wx, wRec, c, b);
        expect(b).toEqual(a);
      }
      f32.lossGrad(0.31, 1.07, c, a);
      // The scalar path is the oracle exactly; SIMD differs only in the order of the f64 sum over samples.
      if (!simd) expect([...a]).toEqual([loss, gx, gr]);
      else {
        const pairs: Array<[number, number]> = [[a[0]!, loss], [a[1]!, gx], [a[2]!, gr]];
        for (const [v, o] of pairs) expect(Math.abs(v - o)).toBeLessThan(1e-12 * Math.max(1, Math.abs(o)));
      }
      if (n < 100) expect(u8.states(-0.5, 0.9)).toEqual(f32.states(-0.5, 0.9));
      f32.dispose();
      u8.dispose();
    }
  });

  test('group-major bytes train in the core with the float32 bits: every tail shape, losses and weights per epoch', () => {
    // n % 16 of 0, 3, 4, 12 and 15 (no tail; scalar tail; one fused group of 4; three groups; 3 + 3 scalar); T = 1 up to 33.
    const rule = rmsprop({ lr: 0.01 }).coreRule!;
    for (const [n, T] of [[16, 7], [19, 1], [20, 33], [28, 5], [31, 12], [4111, 9]] as const) {
      const data = countOnes({ samples: n, length: T, rng: new RandomState(n + T) });
      const runs = [true, false].map((bytes) => {
        const k = new WasmLinear(data, true, bytes);
        const E = 40;
        const job = { rule: rule.rule, hyper: rule.hyper, slots: [new Float32Array(2)], step: 0, params: new Float32Array([0.3, 0.95]), lastGood: new Float32Array(2), epochs: E, losses: new Float64Array(E + 1), weights: new Float32Array(2 * E) };
        const outcome = { ...k.train(Math.fround(2 / n), 1 / n, job) };
        const states = k.states(0.7, -0.9);
        k.dispose();
        return { bytes: k.bytes, outcome, losses: job.losses, weights: job.weights, params: job.params, states };
      });
      expect(runs.map((r) => r.bytes)).toEqual([true, false]);
      expect(runs[0]!.outcome).toEqual(runs[1]!.outcome);
      expect(runs[0]!.outcome.epochs).toBe(40);
      expect(runs[0]!.losses).toEqual(runs[1]!.losses);
      expect(runs[0]!.weights).toEqual(runs[1]!.weights);
      expect(runs[0]!.params).toEqual(runs[1]!.params);
      expect(runs[0]!.states).toEqual(runs[1]!.states);
    }
  });

  test('the binding picks bytes for large 0/1 data only', () => {
    const big = countOnes({ samples: 2048, length: 10, rng: new RandomState(1) });
    const real = randomSequences(2, 2048, 10);
    const picks = [new WasmLinear(big), new WasmLinear(real), new WasmLinear(tutorial()), new WasmLinear(real, true, true)];
    expect(picks.map((k) => k.bytes)).toEqual([true, false, false, false]);
    for (const k of picks) k.dispose();
  });

  test('packing takes exactly 0, -0 and 1: the nearest other floats keep float32, and the copy rejects NaN and ±∞ by index', () => {
    // x·(x − 1) is ±0 only for 0, −0 and 1: the neighbours of 1 and of 0 (subnormals included) are not.
    const near = [1 + 2 ** -23, 1 - 2 ** -24, 2 ** -149, -(2 ** -149), 2 ** -126, -1, 2, 0.5, 3.4e38];
    for (const [i, v] of near.entries()) {
      const data = countOnes({ samples: 20_483, length: 1, rng: new RandomState(5) });
      const x = data.x.slice();
      x[(i * 2311) % x.length] = v;
      const k = new WasmLinear({ ...data, x }, true, true);
      expect([v, k.bytes]).toEqual([v, false]);
      k.dispose();
    }
    const arena = () => new WasmLinear(tutorial()); // a small placement after each failure: memory was given back
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const at of [0, 15, 16, 9_000, 20_482]) {
        const data = countOnes({ samples: 20_483, length: 1, rng: new RandomState(6) });
        const x = data.x.slice();
        x[at] = bad;
        if (at > 0) x[at - 1] = 0.25; // not 0/1 but finite: the first non-finite value is the one named
        for (const bytes of [true, false, undefined]) {
          expect(() => new WasmLinear({ ...data, x }, true, bytes)).toThrow(DataError);
          expect(() => new WasmLinear({ ...data, x }, true, bytes)).toThrow(`data.x[${at}] must be a finite number, got ${bad}`);
        }
      }
    }
    const t = tutorial();
    const targets = t.targets.slice();
    targets[19] = NaN;
    expect(() => new WasmLinear({ ...t, targets })).toThrow('data.targets[19] must be a finite number');
    arena().dispose();
  });

  test('targets and inputs are judged in core memory after their copy: a bad one throws by name and index, and every block is given back', () => {
    const data = countOnes({ samples: 20_483, length: 2, rng: new RandomState(8) });
    const before = core().arena.bytesInUse;
    for (const [what, at, v] of [['targets', 0, NaN], ['targets', 20_482, -Infinity], ['x', 40_965, Infinity], ['x', 7, NaN]] as const) {
      const bad = { ...data, x: data.x.slice(), targets: data.targets.slice() };
      bad[what][at] = v;
      if (what === 'targets') bad.x[3] = NaN; // targets are judged first, as the JavaScript scan did
      for (const [simd, bytes] of [[true, true], [true, false], [false, undefined], [true, undefined]] as const) {
        expect(() => new WasmLinear(bad, simd, bytes, 'train')).toThrow(`train.${what}[${at}] must be a finite number, got ${v}`);
        expect(core().arena.bytesInUse).toBe(before);
      }
    }
    const ok = new WasmLinear(data, true, true);
    expect(ok.bytes).toBe(true);
    ok.dispose();
    expect(core().arena.bytesInUse).toBe(before);
  });

  test('train and place on the wasm backend, given bad values, throw the same DataError the scan did', () => {
    const data = countOnes({ samples: 20_483, length: 2, rng: new RandomState(7) });
    const x = data.x.slice();
    x[30_001] = NaN;
    const bad = { ...data, x };
    const m = new LinearRNN({ backend: 'wasm' });
    expect(() => trainSync(m, bad, { optimizer: rmsprop(), epochs: 1 })).toThrow('data.x[30001] must be a finite number, got NaN');
    expect(() => m.place(bad)).toThrow(DataError);
    expect(() => m.lossAndGrad(bad)).toThrow('data.x[30001]');
    // A split data set is scanned whole before it is cut: the index is the whole set's.
    expect(() => trainSync(m, bad, { optimizer: rmsprop(), epochs: 1, validationSplit: 0.5 })).toThrow('data.x[30001]');
    expect(trainSync(m, data, { optimizer: rmsprop(), epochs: 2 }).loss).toHaveLength(2);
    m.dispose();
  });

  test('packing checks every value: one 0.5 anywhere keeps float32; -0 counts as 0', () => {
    // 20,483 values: the packer's 16-wide steps, its scalar tail and a second 64 KiB staging chunk.
    for (const at of [0, 9_000, 16_400, 20_482]) {
      const data = countOnes({ samples: 20_483, length: 1, rng: new RandomState(3) });
      const x = data.x.slice();
      x[at] = 0.5;
      const k = new WasmLinear({ ...data, x }, true, true);
      expect(k.bytes).toBe(false);
      k.dispose();
    }
    const data = countOnes({ samples: 2051, length: 3, rng: new RandomState(4) });
    const x = data.x.slice();
    for (let i = 0; i < x.length; i += 7) if (x[i] === 0) x[i] = -0;
    const a = new WasmLinear({ ...data, x }, true, true);
    const b = new WasmLinear(data, true, false);
    const ra = new Float64Array(3);
    const rb = new Float64Array(3);
    a.lossGrad(0.7, -0.6, 0.5, ra);
    b.lossGrad(0.7, -0.6, 0.5, rb);
    expect(a.bytes).toBe(true);
    expect(ra).toEqual(rb);
    a.dispose();
    b.dispose();
  });
});
