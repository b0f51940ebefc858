// Element-wise gradient clipping (train's clipValue) against Keras 3's clipvalue and against a
// hand-rolled float64 training loop, on both backends (wasm clips inside the core's epochs).
import { describe, expect, test } from 'vitest';
import keras from '../fixtures/keras_optimizers.json' with { type: 'json' };
import { BACKENDS, ConfigError, countOnes, createOptimizer, init, LinearRNN, RandomState, sgd, trainSync, type Binding, type Sequences, type Trainable } from 'elman-rnn';

await init();

/** A model whose gradient at update t is the fixture's t-th gradient, whatever its weights: train's clipping and optimizer alone act on it. */
function replaying(params: number[], grads: number[][]): Trainable<number[], 'mse'> {
  let t = 0;
  const model = {
    params: Float32Array.from(params),
    grads: new Float32Array(params.length),
    get weights() {
      return Array.from(model.params);
    },
    weightsOf: (p: Float32Array) => Array.from(p),
    losses: ['mse'] as const,
    defaultLoss: 'mse' as const,
    place: () => ({ samples: 1, steps: 1, owner: model, live: true, dispose() {}, [Symbol.dispose]() {} }),
    bind: (): Binding => ({
      samples: 1,
      steps: 1,
      batches: 1,
      batchLength: () => 1,
      lossAndGrad: () => {
        model.grads.set(grads[t++]!);
        return 1;
      },
      dispose() {},
    }),
  };
  return model;
}

const one: Sequences = { samples: 1, steps: 1, inputSize: 1, outputSize: 1, x: Float32Array.of(0), targets: Float32Array.of(0) };

test.each(keras.cases.filter((c) => 'clipValue' in c).map((c) => [`${c.keras}(${JSON.stringify(c.kwargs)})`, c] as const))('follows Keras 3 %s', (_, c) => {
  const model = replaying(keras.params, keras.grads);
  const history = trainSync(model, one, { optimizer: createOptimizer(c.name, c.config as Record<string, number>), epochs: 6, clipValue: (c as { clipValue: number }).clipValue, trackWeights: true });
  // history.weights[e + 1] is after update e, as Keras's trajectory.
  c.trajectory.forEach((expected, e) => {
    const got = history.weights[e + 1]!;
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(expected[i]!)));
  });
  // Without the clip the same run ends elsewhere: the fixture's gradients reach past ±clipValue.
  const free = replaying(keras.params, keras.grads);
  trainSync(free, one, { optimizer: createOptimizer(c.name, c.config as Record<string, number>), epochs: 6 });
  expect(Math.abs(free.params[3]! - c.trajectory[5]![3]!)).toBeGreaterThan(0.01);
});

/**
 * The counter trained in float64 by hand: s[k] = x[k]·wx + s[k−1]·wRec, L = Σ(s[T] − t)², gradients
 * by backpropagation through time, each clipped to [−v, v], then p ← p − lr·g.
 */
function reference(data: Sequences, w: [number, number], lr: number, v: number, epochs: number): number[][] {
  const { samples: n, steps: T, x, targets } = data;
  const out: number[][] = [];
  let [wx, wr] = w;
  for (let e = 0; e < epochs; e++) {
    let gx = 0, gr = 0;
    for (let s = 0; s < n; s++) {
      const states = [0];
      for (let k = 0; k < T; k++) states.push(x[k * n + s]! * wx + states[k]! * wr);
      let d = 2 * (states[T]! - targets[s]!); // ∂L/∂s[T]
      for (let k = T; k >= 1; k--) {
        gx += d * x[(k - 1) * n + s]!;
        gr += d * states[k - 1]!;
        d *= wr;
      }
    }
    gx = Math.min(Math.max(gx, -v), v);
    gr = Math.min(Math.max(gr, -v), v);
    wx -= lr * gx;
    wr -= lr * gr;
    out.push([wx, wr]);
  }
  return out;
}

describe.each(BACKENDS)('on %s, clipValue equals a float64 loop that clips each gradient', (backend) => {
  test('a clip that bites on some epochs and not on others', () => {
    const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
    // From (0.9, 0.95) the gradients start near −200 and fall below 40 as the counter settles.
    const expected = reference(data, [0.9, 0.95], 2e-4, 40, 60);
    const model = new LinearRNN({ wx: 0.9, wRec: 0.95, backend });
    const history = trainSync(model, data, { optimizer: sgd({ lr: 2e-4 }), epochs: 60, loss: 'sse', clipValue: 40, trackWeights: true });
    expected.forEach(([wx, wRec], e) => {
      const got = history.weights[e + 1]!;
      expect(Math.abs(got.wx - wx!)).toBeLessThan(1e-5);
      expect(Math.abs(got.wRec - wRec!)).toBeLessThan(1e-5);
    });
    // Both regimes happened: some epochs clipped (a step of exactly lr·v), some not.
    const steps = expected.map(([wx], e) => Math.abs(wx! - (e === 0 ? 0.9 : expected[e - 1]![0]!)));
    expect(steps.some((s) => Math.abs(s - 2e-4 * 40) < 1e-12)).toBe(true);
    expect(steps.some((s) => s < 2e-4 * 40 * 0.9)).toBe(true);
    model.dispose();
  });
});

test('clipValue is refused by name when not a finite number > 0 in float32, or beside clipNorm', () => {
  const model = new LinearRNN();
  const data = countOnes({ samples: 4, length: 3, rng: new RandomState(1) });
  for (const clipValue of [0, -1, Number.NaN, Infinity, 1e39, 1e-46, '5']) {
    expect(() => trainSync(model, data, { optimizer: sgd(), epochs: 1, clipValue: clipValue as number })).toThrow(expect.objectContaining({ argument: 'clipValue' }));
  }
  expect(() => trainSync(model, data, { optimizer: sgd(), epochs: 1, clipValue: 5, clipNorm: 1 })).toThrow(ConfigError);
  expect(model.weights).toEqual({ wx: 0, wRec: 0 });
});
