// Adagrad against Keras 3 (its own optimizer, jax backend, float32) and numpy (float64, in
// optimizers-numpy through the registry), and its core twin against the TypeScript update bit for bit.
import { describe, expect, test } from 'vitest';
import keras from '../fixtures/keras_optimizers.json' with { type: 'json' };
import { adagrad, ConfigError, countOnes, createOptimizer, init, LinearRNN, OPTIMIZER_SPECS, RandomState, trainSync, type Optimizer } from 'elman-rnn';

await init();

const grads = keras.grads.map((g) => Float32Array.from(g));
const plain = keras.cases.filter((c) => !('clipValue' in c));

test.each(plain.map((c) => [JSON.stringify(c.kwargs), c] as const))('follows Keras 3 Adagrad(%s) to float32 precision', (_, c) => {
  const opt = createOptimizer(c.name, c.config as Record<string, number>);
  const p = Float32Array.from(keras.params);
  c.trajectory.forEach((expected, t) => {
    opt.step(p, grads[t]!.slice());
    // Keras rounds the same float32 operations, perhaps fused differently: a few ulps.
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - expected[i]!)).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(expected[i]!)));
  });
  expect(opt.iterations).toBe(6);
});

test('the accumulator starts at initialAccumulator and adds g² (hand-derived first step)', () => {
  const opt = adagrad({ lr: 0.5, initialAccumulator: 0.25, eps: 0.75 });
  const p = Float32Array.of(1);
  opt.step(p, Float32Array.of(0.5));
  // acc = 0.25 + 0.25 = 0.5; p = 1 − 0.5·0.5/√(0.5 + 0.75) = 1 − 0.25/1.1180340 = 0.7763932
  expect(opt.getState().slots.accumulator![0]).toBe(0.5);
  expect(p[0]).toBeCloseTo(0.7763932, 6);
});

test('is in the registry with Keras defaults and refuses bad options by name', () => {
  expect(OPTIMIZER_SPECS.adagrad.options.lr.default).toBe(0.001);
  expect(OPTIMIZER_SPECS.adagrad.options.initialAccumulator.default).toBe(0.1);
  expect(OPTIMIZER_SPECS.adagrad.options.eps.default).toBe(1e-7);
  for (const [key, value] of [['lr', 0], ['initialAccumulator', -1], ['eps', Number.NaN]] as const) {
    expect(() => adagrad({ [key]: value })).toThrow(expect.objectContaining({ argument: key }));
  }
  expect(() => createOptimizer('adagrad', { rho: 0.9 })).toThrow(ConfigError);
});

/** The same optimizer with its step overridden: the core cannot run it, so train steps it from TypeScript. */
function inTypeScript(o: Optimizer): Optimizer {
  const step = o.step;
  return Object.assign(o, { step(p: Float32Array, g: Float32Array) { step.call(o, p, g); } });
}

describe.each([true, false])('the core twin equals the TypeScript update bit for bit (simd %s)', (simd) => {
  const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
  test.each([undefined, 0.75])('clipValue %s', (clipValue) => {
    const run = (ts: boolean) => {
      const model = new LinearRNN({ wx: -0.4, wRec: 0.3, simd });
      const made = adagrad({ lr: 0.05, initialAccumulator: 0.2, eps: 1e-3 });
      const optimizer = ts ? inTypeScript(made) : made;
      expect(optimizer.coreRule === undefined).toBe(ts);
      const history = trainSync(model, data, { optimizer, epochs: 200, loss: 'sse', ...(clipValue && { clipValue }) });
      const out = { history, weights: history.weights, params: model.params.slice(), state: made.getState() };
      model.dispose();
      return out;
    };
    const core = run(false), ts = run(true);
    expect(core.history).toEqual(ts.history);
    expect(core.weights).toEqual(ts.weights);
    expect(core.params).toEqual(ts.params);
    expect(core.state).toEqual(ts.state);
    expect(core.state.step).toBe(200);
  });
});
