// Mini-batch training with the params and the optimizer's slots in the core (a binding's
// trainBatches) against the batch-by-batch TypeScript loop the same model takes when that capability
// is hidden: the same params, gradients, optimizer state, history, carried state and errors, bit for bit.
import { beforeAll, describe, expect, test } from 'vitest';
import { typescriptLoop } from '../helpers/loop.js';
import { CELLS, createOptimizer, DivergenceError, init, RandomState, RNN, trainSync, type History, type Optimizer, type Sequences, type TrainOptions } from 'elman-rnn';

beforeAll(() => init());

/** 12 sequences of 6 steps, 3 inputs, a target of 2 at every step. */
function data(): Sequences {
  const rng = new RandomState(11);
  const x = Float32Array.from({ length: 6 * 12 * 3 }, () => rng.uniform(-1, 1));
  const targets = Float32Array.from({ length: 6 * 12 * 2 }, () => rng.uniform(-1, 1));
  return { samples: 12, steps: 6, inputSize: 3, outputSize: 2, x, targets, targetsPerStep: true };
}

interface Run {
  history?: History<unknown>;
  error?: DivergenceError;
  params: Float32Array;
  grads: Float32Array;
  state: ReturnType<Optimizer['getState']>;
  carried: unknown;
  usedCore: boolean;
}

/**
 * The gradient check's case: a linear layer with no recurrent weights, inputs of 1e37 at step 5 of 6
 * and targets near ±1000 (one output, at the last step): the loss stays finite, but ∂L/∂R = Σ h[5]ᵀ·δ[6] overflows.
 */
function overflowingGradient(model: RNN): Sequences {
  const rng = new RandomState(11);
  const x = Float32Array.from({ length: 6 * 12 * 3 }, (_, i) => (i >= 4 * 12 * 3 && i < 5 * 12 * 3 ? 1e37 : 1) * rng.uniform(-1, 1));
  const targets = Float32Array.from({ length: 12 * 2 }, () => rng.uniform(-1000, 1000));
  const w = model.weights;
  w.layers[0]!.recurrentKernel = new Float32Array(25);
  model.setWeights(w);
  return { samples: 12, steps: 6, inputSize: 3, outputSize: 2, x, targets };
}

function run(core: boolean, cell: string, stateful: boolean, make: () => Optimizer, o: Partial<TrainOptions<unknown, string>>, scale = 1): Run {
  const gradient = scale === 0;
  const model = new RNN({ inputSize: 3, layers: [{ cell: cell as 'gru', units: 5, ...(gradient && { activation: 'linear' as const }) }], outputSize: 2, returnSequences: !gradient, seed: 7, ...(stateful && { stateful: true }) });
  if (!gradient && scale !== 1) for (let i = 0; i < model.params.length; i++) model.params[i] = Math.fround(model.params[i]! * scale);
  const optimizer = make();
  const placed = model.place(gradient ? overflowingGradient(model) : data());
  const binding = model.bind(placed, { loss: 'mse', batchSize: 4 });
  const usedCore = typeof (binding as { trainBatches?: unknown }).trainBatches === 'function';
  binding.dispose();
  const done = () => ({ params: model.params.slice(), grads: model.grads.slice(), state: optimizer.getState(), carried: stateful ? model.state : undefined, usedCore });
  try {
    const history = trainSync(core ? model : typescriptLoop(model), placed, { optimizer, loss: 'mse', epochs: 4, batchSize: 4, ...o });
    return { history, ...done() };
  } catch (error) {
    if (!(error instanceof DivergenceError)) throw error;
    return { error, ...done() };
  } finally {
    placed.dispose();
    model.dispose();
  }
}

function same(a: Run, b: Run): void {
  expect(a.usedCore).toBe(true);
  expect(a.history).toEqual(b.history);
  if (a.error || b.error) for (const key of ['message', 'epoch', 'argument', 'weights', 'history'] as const) expect(a.error?.[key]).toEqual(b.error?.[key]);
  expect(a.params).toEqual(b.params);
  expect(a.grads).toEqual(b.grads);
  expect(a.state).toEqual(b.state);
  expect(a.carried).toEqual(b.carried);
}

const optimizers: Array<[string, Record<string, number | boolean>]> = [
  ['sgd', { lr: 0.05 }],
  ['momentum', { lr: 0.02, momentum: 0.8, nesterov: true }],
  ['rmsprop', { lr: 1e-2, rho: 0.9, eps: 1e-4, momentum: 0.5 }],
  ['rprop', { initialStep: 0.05 }],
  ['adam', { lr: 0.02, beta1: 0.8, beta2: 0.95, eps: 1e-3 }],
  ['adagrad', { lr: 0.05, initialAccumulator: 0.3, eps: 1e-2 }],
];

describe.each(CELLS.map((c) => [c]))('%s layer: batches in the core equal the TypeScript loop bit for bit', (cell) => {
  test.each(optimizers)('%s %j, stateless and stateful, with and without clipValue, shuffled', (name, config) => {
    const make = () => createOptimizer(name, config);
    for (const stateful of [false, true]) {
      for (const o of [{}, { clipValue: 0.01 }, ...(stateful ? [] : [{ shuffle: 3 }])]) {
        same(run(true, cell, stateful, make, o), run(false, cell, stateful, make, o));
      }
    }
  });
});

// Blow-ups at each of the core's three checks: huge steps overflow the next batch's loss (mid-epoch
// at lr 3000), a step lr·g beyond float32 the weights, and scale 0 is overflowingGradient's case.
const blowUps: Array<[string, Record<string, number>, number, string]> = [
  ['sgd', { lr: 1e38 }, 1, 'loss'],
  ['adam', { lr: 1e37 }, 1, 'loss'],
  ['sgd', { lr: 3e3 }, 1, 'loss'],
  ['rprop', { initialStep: 1e37, etaPlus: 10 }, 1, 'loss'],
  ['sgd', { lr: 3e38 }, 100, 'weights'],
  ['adagrad', { lr: 1e-30 }, 0, 'gradient'],
];

test.each(blowUps)('divergence with %s %j (weights × %d) fails the %s check, reported identically in the core and the loop', (name, config, scale, check) => {
  for (const cell of scale === 0 ? ['simple'] : CELLS) {
    const a = run(true, cell, false, () => createOptimizer(name, config), {}, scale);
    const b = run(false, cell, false, () => createOptimizer(name, config), {}, scale);
    expect(a.error).toBeInstanceOf(DivergenceError);
    expect(a.error!.argument).toBe(check);
    same(a, b);
  }
});
