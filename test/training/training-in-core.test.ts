import { beforeAll, describe, expect, test, vi } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { WasmLinear } from '../../src/backends/wasm/linear.js';
import type { Sequences } from '../../src/data/sequences.js';
import { countOnes } from '../../src/data/count-ones.js';
import { AbortError, DisposedError, DivergenceError } from '../../src/errors.js';
import { LinearRNN, type LinearWeights } from '../../src/models/linear.js';
import type { LinearLossName } from '../../src/losses.js';
import { createOptimizer } from '../../src/optimizers/index.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';
import { RandomState } from '../../src/random.js';
import { train, trainSync, type EpochInfo, type History, type Trainable, type TrainOptions } from '../../src/training/train.js';
import { randomSequences } from '../helpers/data.js';
import { typescriptLoop } from '../helpers/loop.js';

beforeAll(() => init());

const tutorial = () => countOnes({ samples: 20, length: 10, rng: new RandomState(1) });

interface Run {
  history?: History<LinearWeights>;
  error?: DivergenceError;
  logged: Array<EpochInfo<LinearWeights>>;
  params: Float32Array;
  state: ReturnType<Optimizer['getState']>;
  coreCalls: number;
}

function run(inCore: boolean, simd: boolean, data: Sequences, w: LinearWeights, make: () => Optimizer, o: Partial<TrainOptions<LinearWeights>>): Run {
  const model = new LinearRNN({ ...w, simd });
  const optimizer = make();
  const logged: Array<EpochInfo<LinearWeights>> = [];
  const spy = vi.spyOn(WasmLinear.prototype, 'train');
  const done = () => {
    const coreCalls = spy.mock.calls.length;
    spy.mockRestore();
    return { logged, params: model.params.slice(), state: optimizer.getState(), coreCalls };
  };
  const options = { optimizer, epochs: 300, onEpoch: (i: EpochInfo<LinearWeights>) => void logged.push(i), ...o };
  try {
    const history = trainSync(inCore ? model : typescriptLoop(model), data, options);
    return { history, ...done() };
  } catch (error) {
    if (!(error instanceof DivergenceError)) throw error;
    return { error, ...done() };
  } finally {
    model.dispose();
  }
}

// Hyper-parameters chosen so every term moves the weights: momentum and Nesterov on, eps not negligible.
const optimizers: Array<[string, Record<string, number | boolean>]> = [
  ['sgd', { lr: 1e-4 }],
  ['momentum', { lr: 1e-5, momentum: 0.9 }],
  ['momentum', { lr: 1e-5, momentum: 0.8, nesterov: true }],
  ['rmsprop', { lr: 1e-2, rho: 0.8, eps: 1e-3 }],
  ['rmsprop', { lr: 1e-2, rho: 0.9, eps: 1e-4, momentum: 0.5 }],
  ['rmsprop', { lr: 5e-3, rho: 0.5, eps: 1e-6, momentum: 0.8, nesterov: true }],
  ['rprop', {}],
  ['rprop', { initialStep: 0.05, etaPlus: 1.5, etaMinus: 0.3, stepMin: 1e-4, stepMax: 0.2 }],
  ['adam', { lr: 0.02, beta1: 0.8, beta2: 0.95, eps: 1e-3 }],
  ['adagrad', { lr: 0.05, initialAccumulator: 0.3, eps: 1e-2 }],
];

// Runs that blow up at each of the three checks. The loss: plain divergence on the steep walls.
// The gradient: at wx = 4e17, wRec = 1 each error is at most 4e18 and Σe² ≈ 9e37 fits float32, but
// ∂L/∂wRec = Σ 2e·Σs is about 8× larger, beyond float32 (3.4e38). The weights: a step lr·g beyond float32.
const blowUps: Array<[string, Record<string, number>, 'sse' | 'mse', LinearWeights]> = [
  ['sgd', { lr: 0.5 }, 'sse', { wx: 0.5, wRec: 0.5 }],
  ['momentum', { lr: 0.05, momentum: 0.99 }, 'sse', { wx: 0.5, wRec: 0.5 }],
  ['rprop', { initialStep: 1e5, etaPlus: 10 }, 'sse', { wx: 0.5, wRec: 0.5 }],
  ['adam', { lr: 1e36 }, 'mse', { wx: 0.5, wRec: 0.5 }],
  ['rmsprop', { lr: 1e-3 }, 'sse', { wx: 4e17, wRec: 1 }],
  ['sgd', { lr: 1e38 }, 'sse', { wx: 0.5, wRec: 0.5 }],
];

describe.each([true, false])('in-core training equals epoch-by-epoch training bit for bit (simd %s)', (simd) => {
  test.each(optimizers)('%s %j', (name, config) => {
    const make = () => createOptimizer(name, config);
    // The third data set is large enough for the core to hold its 0/1 inputs as bytes.
    const sets = [[tutorial(), 'sse', 7, 1], [randomSequences(3, 37, 6), 'mse', 1000, 1], [countOnes({ samples: 2048, length: 10, rng: new RandomState(5) }), 'mse', 100, 2]] as const;
    for (const [data, loss, logEvery, calls] of sets) {
      const w = { wx: -0.4, wRec: 0.3 };
      const a = run(true, simd, data, w, make, { loss, logEvery });
      const b = run(false, simd, data, w, make, { loss, logEvery });
      expect(a.error).toBeUndefined();
      expect(a.history!.loss.length).toBe(300);
      expect(a.history).toEqual(b.history);
      expect(a.history!.weights).toEqual(b.history!.weights); // a getter: compared on its own
      expect(a.logged).toEqual(b.logged);
      expect(a.params).toEqual(b.params);
      expect(a.state).toEqual(b.state);
      expect(a.state.step).toBe(300);
      // The first path really ran in the core, onEpoch heard from inside each run: one run of 300
      // epochs for the first two sets, two for the third (4·2^20 sample-steps a run: 204 epochs of 2048 × 10); the second never did.
      expect(a.coreCalls).toBe(calls);
      expect(b.coreCalls).toBe(0);
    }
  });

  test('a second call continues from the optimizer state the first left (Adam step count included)', () => {
    const make = () => createOptimizer('adam', { lr: 0.05 });
    const whole = run(true, simd, tutorial(), { wx: 0.1, wRec: 0.1 }, make, { epochs: 60 });
    const model = new LinearRNN({ wx: 0.1, wRec: 0.1, simd });
    const optimizer = make();
    trainSync(model, tutorial(), { optimizer, epochs: 25 });
    const saved = optimizer.getState();
    const resumed = createOptimizer('adam', { lr: 0.05 });
    resumed.setState(saved);
    trainSync(typescriptLoop(model), tutorial(), { optimizer: resumed, epochs: 35 });
    expect(model.params).toEqual(whole.params);
    expect(resumed.getState()).toEqual(whole.state);
  });

  test.each(blowUps)('divergence with %s %j (%s, from %j) is reported identically', (name, config, loss, w) => {
    const make = () => createOptimizer(name, config);
    const a = run(true, simd, tutorial(), w, make, { loss, logEvery: 3 });
    const b = run(false, simd, tutorial(), w, make, { loss, logEvery: 3 });
    expect(a.error).toBeInstanceOf(DivergenceError);
    expect(b.error).toBeInstanceOf(DivergenceError);
    for (const key of ['message', 'epoch', 'argument', 'weights', 'history'] as const) expect(a.error![key]).toEqual(b.error![key]);
    expect((a.error!.history as History<LinearWeights>).weights).toEqual((b.error!.history as History<LinearWeights>).weights);
    expect(a.params).toEqual(b.params);
    expect(a.params).toEqual(a.error!.weights);
    expect(a.logged).toEqual(b.logged);
    expect(a.state).toEqual(b.state);
  });
});

test('the divergence cases above reach all three checks', () => {
  const seen = new Set<string>();
  for (const [name, config, loss, w] of blowUps) {
    const r = run(true, true, tutorial(), w, () => createOptimizer(name, config), { loss });
    seen.add(r.error!.argument);
  }
  expect([...seen].sort()).toEqual(['gradient', 'loss', 'weights']);
});

test('a fresh optimizer stays fresh when the first epoch already diverges in the core', () => {
  const model = new LinearRNN({ wx: 1e30, wRec: 1e30 });
  const optimizer = createOptimizer('adam');
  expect(() => trainSync(model, tutorial(), { optimizer, epochs: 5 })).toThrow(DivergenceError);
  expect(optimizer.getState()).toEqual({ version: 1, name: 'adam', step: 0, slots: {} });
  expect(model.weights).toEqual({ wx: Math.fround(1e30), wRec: Math.fround(1e30) });
});

test('async train takes the in-core path too, with the same history as the epoch-by-epoch loop', async () => {
  const make = () => createOptimizer('rprop', { initialStep: 0.01 });
  const a = new LinearRNN({ wx: 0.2, wRec: -0.3 });
  const b = new LinearRNN({ wx: 0.2, wRec: -0.3 });
  const logged: number[][] = [[], []];
  const ha = await train(a, tutorial(), { optimizer: make(), epochs: 500, logEvery: 50, onEpoch: ({ epoch }) => void logged[0]!.push(epoch) });
  const hb = await train(typescriptLoop(b), tutorial(), { optimizer: make(), epochs: 500, logEvery: 50, onEpoch: ({ epoch }) => void logged[1]!.push(epoch) });
  expect(ha).toEqual(hb);
  expect(ha.weights).toEqual(hb.weights);
  expect(logged[0]).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 499]);
  expect(logged[1]).toEqual(logged[0]);
  expect(a.params).toEqual(b.params);
});

test('onEpoch returning false and an aborted signal stop the in-core path where they stop the loop', () => {
  const stopAt = (m: Trainable<LinearWeights>) =>
    trainSync(m, tutorial(), { optimizer: createOptimizer('sgd', { lr: 1e-5 }), epochs: 100, logEvery: 10, onEpoch: ({ epoch }) => epoch < 30 });
  const a = new LinearRNN({ wx: 0.2, wRec: 0.1 });
  const b = new LinearRNN({ wx: 0.2, wRec: 0.1 });
  const ha = stopAt(a);
  expect(ha.loss.length).toBe(31);
  const hb = stopAt(typescriptLoop(b));
  expect(ha).toEqual(hb);
  expect(ha.weights).toEqual(hb.weights);
  const signal = AbortSignal.abort();
  expect(() => trainSync(a, tutorial(), { optimizer: createOptimizer('adam'), epochs: 10, signal })).toThrow(AbortError);
});

test('calls on the same placed data that change optimizer, hyper-parameters, loss or weight tracking match the loop bit for bit', () => {
  // The core keeps its job block between calls and rewrites only what changed: every change must reach it.
  const calls: Array<[string, Record<string, number | boolean>, Partial<TrainOptions<LinearWeights>> & { epochs: number }]> = [
    ['rmsprop', { lr: 1e-2 }, { epochs: 40 }],
    ['rmsprop', { lr: 1e-2 }, { epochs: 40, onEpoch: () => {} }],
    ['rmsprop', { lr: 3e-3, rho: 0.5 }, { epochs: 30, trackWeights: false }],
    ['adam', { lr: 0.02 }, { epochs: 30, loss: 'mse' }],
    ['adam', { lr: 0.02 }, { epochs: 1 }],
    ['sgd', { lr: 1e-4 }, { epochs: 20, logEvery: 3, onEpoch: () => {} }],
    ['momentum', { lr: 1e-5, momentum: 0.9 }, { epochs: 25, loss: 'mse', trackWeights: true }],
  ];
  for (const simd of [true, false]) {
    const a = new LinearRNN({ wx: -0.4, wRec: 0.3, simd });
    const b = new LinearRNN({ wx: -0.4, wRec: 0.3, simd });
    const placed = a.place(tutorial());
    const spy = vi.spyOn(WasmLinear.prototype, 'train');
    for (const [name, config, o] of calls) {
      const ha = trainSync(a, placed, { optimizer: createOptimizer(name, config), ...o });
      const hb = trainSync(typescriptLoop(b), tutorial(), { optimizer: createOptimizer(name, config), ...o });
      expect(ha).toEqual(hb);
      expect(ha.weights).toEqual(hb.weights);
      expect(a.params).toEqual(b.params);
    }
    expect(spy.mock.calls.length).toBe(calls.length); // every call ran in the core, in one run (its onEpoch heard from inside)
    spy.mockRestore();
    placed.dispose();
    a.dispose();
    b.dispose();
  }
});

// onEpoch runs inside the core's run (its epochEnd import): whatever a handler reads or changes there
// must read and change as it does between the loop's epochs.
describe('onEpoch heard from inside a core run sees and changes what it does in the epoch-by-epoch loop', () => {
  type Act = (info: EpochInfo<LinearWeights>, model: LinearRNN, optimizer: Optimizer, log: unknown[]) => boolean | void;
  let saved: ReturnType<Optimizer['getState']> | undefined;
  const acts: Array<[string, Act]> = [
    ['stops after the first epoch of a fresh optimizer (its slots kept)', ({ epoch }) => epoch !== 0],
    ['reads the optimizer state and step count after every epoch', (_i, _m, opt, log) => void log.push(opt.getState(), opt.iterations)],
    ['sets the weights, which the next epoch starts from', ({ epoch }, m) => void (epoch === 5 && (m.weights = { wx: 0.31, wRec: 0.27 }))],
    ['restores an earlier optimizer state', ({ epoch }, _m, opt) => {
      if (epoch === 3) saved = opt.getState();
      if (epoch === 7) opt.setState(saved!);
    }],
    ['resets the optimizer', ({ epoch }, _m, opt) => void (epoch === 9 && opt.reset())],
    ['takes an optimizer step of its own', ({ epoch }, m, opt) => void (epoch === 6 && opt.step(m.params, Float32Array.of(0.5, -0.25)))],
    ['throws', ({ epoch }) => {
      if (epoch === 4) throw new RangeError('from onEpoch');
    }],
    ['grows memory and trains another model on the same core, hearing its epochs too', ({ epoch }, _m, _o, log) => {
      if (epoch !== 2) return;
      const big = new LinearRNN({ wx: 0.1, wRec: 0.2 });
      const h = trainSync(big, countOnes({ samples: 30_000, length: 20, rng: new RandomState(3) }), { optimizer: createOptimizer('adam', { lr: 0.01 }), epochs: 3, onEpoch: ({ loss }) => void log.push(loss) });
      log.push(h.loss, big.params.slice());
      big.dispose();
    }],
  ];
  function heard(inCore: boolean, act: Act) {
    const model = new LinearRNN({ wx: 0.2, wRec: -0.3 });
    const optimizer = createOptimizer('rmsprop', { lr: 1e-2, momentum: 0.5 });
    const log: unknown[] = [];
    const logged: Array<EpochInfo<LinearWeights>> = [];
    const spy = vi.spyOn(WasmLinear.prototype, 'train');
    let history: History<LinearWeights> | undefined;
    let error: unknown;
    try {
      history = trainSync(inCore ? model : typescriptLoop(model), tutorial(), { optimizer, epochs: 40, onEpoch: (info) => (logged.push(info), act(info, model, optimizer, log)) });
    } catch (e) {
      error = e;
    }
    // Calls made by this model's run: the nested run's calls, on its own data, are not counted.
    const calls = spy.mock.calls.filter((c) => (c[0] as unknown) !== undefined).length;
    spy.mockRestore();
    const out = { history, weights: history?.weights, error, log, logged, params: model.params.slice(), state: optimizer.getState(), iterations: optimizer.iterations, calls };
    model.dispose();
    return out;
  }
  test.each(acts)('%s', (_name, act) => {
    const a = heard(true, act);
    const b = heard(false, act);
    const { calls: ca, ...ra } = a;
    const { calls: cb, ...rb } = b;
    expect(ra).toEqual(rb);
    expect(ca).toBeGreaterThan(0);
    expect(a.logged.length).toBeGreaterThan(0);
  });
  test('the handler that stops at the first epoch keeps a fresh optimizer\'s first update', () => {
    const a = heard(true, acts[0]![1]);
    expect(a.history!.loss.length).toBe(1);
    expect(a.iterations).toBe(1);
    expect(Object.keys(a.state.slots).length).toBeGreaterThan(0);
  });
  test('a throwing handler ends the run after its epoch, with the history, weights and optimizer of that epoch', () => {
    const a = heard(true, acts.find(([name]) => name === 'throws')![1]);
    expect(a.error).toBeInstanceOf(RangeError);
    expect(a.iterations).toBe(5);
  });
  test('a handler that disposes of the model ends the run with a DisposedError, reading nothing freed', () => {
    const model = new LinearRNN({ wx: 0.2, wRec: -0.3 });
    const heardOf: number[] = [];
    const onEpoch = ({ epoch }: EpochInfo<LinearWeights>) => void (heardOf.push(epoch), epoch === 3 && model.dispose());
    expect(() => trainSync(model, tutorial(), { optimizer: createOptimizer('adam'), epochs: 40, onEpoch })).toThrow(DisposedError);
    expect(heardOf).toEqual([0, 1, 2, 3]);
  });
});
