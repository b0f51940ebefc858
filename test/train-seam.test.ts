// The seam between models, backends and the one training loop: what every exit releases,
// capabilities instead of names, placed data, and the options every model and backend share.
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { core, init } from '../src/backends/wasm/core.js';
import { countOnes } from '../src/data/count-ones.js';
import { AbortError, BusyError, ConfigError, DataError, DivergenceError } from '../src/errors.js';
import { ElmanRNN } from '../src/models/elman.js';
import { LinearRNN } from '../src/models/linear.js';
import { adam } from '../src/optimizers/adam.js';
import type { Optimizer, OptimizerState } from '../src/optimizers/optimizer.js';
import { rmsprop } from '../src/optimizers/rmsprop.js';
import { rprop } from '../src/optimizers/rprop.js';
import { sgd } from '../src/optimizers/sgd.js';
import { RandomState } from '../src/random.js';
import { train, trainSync } from '../src/training/train.js';
import type { BackendName } from '../src/types.js';
import type { Trainable } from '../src/models/model.js';
import { randomElmanData } from './helpers/elman-data.js';

beforeAll(() => init());

const tutorial = () => countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
const inUse = () => core().arena.bytesInUse;
const elman = (backend: BackendName, seed = 1) => new ElmanRNN({ inputSize: 2, hiddenSize: 4, outputSize: 1, seed, backend });
const elmanData = () => randomElmanData(4, 24, 6, 2, 1, false);

/** Plain gradient descent written from scratch against the Optimizer interface, with no core twin. */
function customSgd(lr: number): Optimizer & { calls: number } {
  let t = 0;
  const f = Math.fround;
  return {
    name: 'custom-sgd',
    config: { lr },
    calls: 0,
    get iterations() {
      return t;
    },
    step(p, g) {
      this.calls++;
      t++;
      for (let i = 0; i < p.length; i++) p[i] = f(p[i]! - f(f(lr) * g[i]!));
    },
    getState: (): OptimizerState => ({ version: 1, name: 'custom-sgd', step: t, slots: {} }),
    setState: (s) => void (t = s.step),
    reset: () => void (t = 0),
  };
}

describe('every exit releases what the call placed and bound', () => {
  test('50 onEpoch callbacks that throw leave the core bytes in use where they were (both models, mini-batches too)', () => {
    const before = inUse();
    for (let i = 0; i < 50; i++) {
      const linear = new LinearRNN({ wx: 0.1, wRec: 0.1 });
      expect(() => trainSync(linear, tutorial(), { optimizer: rmsprop(), epochs: 10, onEpoch: () => { throw new Error('callback'); } })).toThrow('callback');
      const net = elman('wasm');
      expect(() => trainSync(net, elmanData(), { optimizer: sgd(), epochs: 3, batchSize: 5, shuffle: 1, onEpoch: () => { throw new Error('callback'); } })).toThrow('callback');
      expect(inUse()).toBe(before); // the models are still alive: nothing of the failed calls remains
    }
  });

  test('an optimizer reused on a model of another size throws ShapeError and leaves the bytes where they were', () => {
    const optimizer = rmsprop();
    trainSync(elman('wasm'), elmanData(), { optimizer, epochs: 1 });
    const other = new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1, backend: 'wasm' });
    const before = inUse();
    expect(() => trainSync(other, elmanData(), { optimizer, epochs: 1 })).toThrow(/keep the length/);
    expect(inUse()).toBe(before);
  });

  test('abort, divergence and bad options release everything too', async () => {
    const before = inUse();
    const model = new LinearRNN({ wx: 0.1, wRec: 0.1 });
    const controller = new AbortController();
    controller.abort();
    await expect(train(model, tutorial(), { optimizer: sgd(), epochs: 5, signal: controller.signal })).rejects.toThrow(AbortError);
    expect(() => trainSync(model, tutorial(), { optimizer: sgd({ lr: 0.01 }), epochs: 100 })).toThrow(DivergenceError);
    expect(() => trainSync(model, tutorial(), { optimizer: sgd(), epochs: 5, batchSize: 3 })).toThrow(ConfigError);
    expect(inUse()).toBe(before);
  });
});

describe.each(['wasm', 'js'] as const)('capabilities, not names, on %s', (backend) => {
  test('shuffle: false and validationSplit: 0 on LinearRNN are the plain run, bit for bit', () => {
    const run = (extra: object) => {
      const model = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
      return trainSync(model, tutorial(), { optimizer: rmsprop(), epochs: 50, ...extra }).loss;
    };
    expect(run({ shuffle: false, validationSplit: 0 })).toEqual(run({}));
    expect(run({ shuffle: 3 })).toEqual(run({})); // one batch: nothing to reorder
  });

  test('a user-written optimizer trains both models, called once per update, the same as sgd bit for bit', () => {
    for (const make of [() => new LinearRNN({ wx: 0.09, wRec: 0.011, backend }), () => elman(backend)] as Array<() => Trainable<unknown, string>>) {
      const data = make() instanceof LinearRNN ? tutorial() : elmanData();
      const a = make();
      const custom = customSgd(1e-4);
      const ha = trainSync(a, data, { optimizer: custom, epochs: 20, batchSize: 1000 });
      expect(custom.calls).toBe(20);
      const b = make();
      const hb = trainSync(b, data, { optimizer: sgd({ lr: 1e-4 }), epochs: 20 });
      expect(ha.loss).toEqual(hb.loss);
      expect(a.params).toEqual(b.params);
    }
  });

  test('a built-in optimizer whose step is overridden is honoured (the core does not bypass it)', () => {
    const model = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
    const optimizer = rmsprop();
    const step = optimizer.step.bind(optimizer);
    let calls = 0;
    optimizer.step = (p, g) => {
      calls++;
      step(p, g);
    };
    expect(optimizer.coreRule).toBeUndefined();
    trainSync(model, tutorial(), { optimizer, epochs: 30 });
    expect(calls).toBe(30);
    expect(rmsprop().coreRule?.rule).toBe(2);
  });

  test('full batch and batchSize = samples judge a float32 overflow alike (the two divergence paths agree)', () => {
    // outputBias 2e19 makes each error ≈ 2e19: e² ≈ 4e38 is finite in float64 but not in float32.
    const run = (extra: object) => {
      const model = new ElmanRNN({ inputSize: 2, hiddenSize: 2, outputSize: 1, activation: 'linear', backend, seed: 1 });
      model.setWeights({ outputBias: [2e19] });
      try {
        trainSync(model, randomElmanData(2, 4, 3, 2, 1, false), { optimizer: sgd(), epochs: 3, loss: 'sse', ...extra });
      } catch (e) {
        return e as DivergenceError;
      }
      return undefined;
    };
    const full = run({});
    const batched = run({ batchSize: 4 });
    expect(full).toBeInstanceOf(DivergenceError);
    expect([batched?.epoch, batched?.argument, batched?.message]).toEqual([full!.epoch, full!.argument, full!.message]);
    expect(full!.epoch).toBe(0);
    expect(full!.hadFiniteLoss).toBe(false);
    expect(full!.message).toMatch(/starting weights already give a non-finite loss/);
  });

  test('placed data trains like the data set, and is not read again (changing the caller arrays changes nothing)', () => {
    const data = tutorial();
    const a = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
    const placed = a.place(data);
    data.x.fill(Number.NaN); // placing copied the data; the placed copy is what trains
    const optimizer = rmsprop();
    const h1 = trainSync(a, placed, { optimizer, epochs: 40 });
    const h2 = trainSync(a, placed, { optimizer, epochs: 40 });
    const b = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
    const fresh = trainSync(b, tutorial(), { optimizer: rmsprop(), epochs: 80 });
    expect([...h1.loss, ...h2.loss]).toEqual(fresh.loss); // two calls on placed data continue as one run
    expect(a.params).toEqual(b.params);
    placed.dispose();
    expect(() => trainSync(a, placed, { optimizer: sgd(), epochs: 1 })).toThrow(/disposed/);
    expect(() => trainSync(b, a.place(tutorial()), { optimizer: sgd(), epochs: 1 })).toThrow(/placed by this model/);
    a.dispose();
    b.dispose();
  });

  test('unknown keys are refused with the key named: train, models, bind', () => {
    const model = new LinearRNN({ backend });
    expect(() => trainSync(model, tutorial(), { optimizer: sgd(), epochs: 1, epoch: 5 } as never)).toThrow(/options\.epoch must be absent/);
    expect(() => new LinearRNN({ wrec: 1 } as never)).toThrow(/options\.wrec/);
    expect(() => elman(backend).bind(elmanData(), { batchsize: 4 } as never)).toThrow(/bind options\.batchsize/);
    expect(() => new ElmanRNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, hidden: 3 } as never)).toThrow(/options\.hidden/);
  });

  test('a wrong loss name is refused before any work, naming the model’s losses', () => {
    expect(() => trainSync(new LinearRNN({ backend }), tutorial(), { optimizer: sgd(), epochs: 1, loss: 'bce' as never })).toThrow(/loss must be one of sse, mse/);
  });
});

describe('one call at a time, bounded history, yielding and aborting mid-epoch', () => {
  test('a second train on a model already training is a BusyError; another model trains meanwhile', async () => {
    const model = new LinearRNN({ wx: 0.09, wRec: 0.011, backend: 'js' });
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 30)); // every epoch ends a slice
    const first = train(model, tutorial(), { optimizer: sgd({ lr: 1e-5 }), epochs: 20 });
    expect(() => trainSync(model, tutorial(), { optimizer: sgd(), epochs: 1 })).toThrow(BusyError);
    await expect(train(model, tutorial(), { optimizer: sgd(), epochs: 1 })).rejects.toThrow(/one training call per model/);
    trainSync(new LinearRNN(), tutorial(), { optimizer: sgd({ lr: 1e-5 }), epochs: 2 });
    const h = await first;
    now.mockRestore();
    expect(h.loss).toHaveLength(20);
    expect(trainSync(model, tutorial(), { optimizer: sgd({ lr: 1e-5 }), epochs: 1 }).loss).toHaveLength(1); // free again
  });

  test.each(['wasm', 'js'] as const)('historyLimit keeps every 2nd, 4th … epoch, the same values as the full history (%s)', (backend) => {
    const run = (limit?: number) =>
      trainSync(new LinearRNN({ wx: 0.09, wRec: 0.011, backend }), tutorial(), { optimizer: rmsprop(), epochs: 1000, ...(limit && { historyLimit: limit }) });
    const full = run();
    const thin = run(100);
    // Thinned at 100 entries (epoch 100), 200, 400 and 800: 50 entries every 16 epochs, then 800..992.
    expect(thin.every).toBe(16);
    expect(thin.loss).toHaveLength(63);
    expect(thin.loss).toEqual(full.loss.filter((_, e) => e % 16 === 0));
    expect(thin.weights).toEqual([...full.weights.filter((_, e) => e % 16 === 0 && e < 1000), full.weights.at(-1)]);
  });

  test('a mini-batch epoch yields to the event loop between batches, and an abort mid-epoch rolls back to the epoch start', async () => {
    const model = elman('wasm');
    const optimizer = adam({ lr: 1e-3 });
    const data = randomElmanData(9, 40, 6, 2, 1, false);
    // Each reading of the clock moves it 30 ms: every batch ends a slice, so train yields after each.
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 30));
    const controller = new AbortController();
    let ticks = 0;
    const tick = () => {
      ticks++;
      if (ticks < 12) setImmediate(tick);
    };
    setImmediate(tick);
    let iterationsAtStart = -1;
    let paramsAtStart: Float32Array | undefined;
    const onEpoch = () => {
      paramsAtStart = model.params.slice();
      iterationsAtStart = optimizer.iterations;
      setImmediate(() => setImmediate(() => setImmediate(() => controller.abort()))); // a few batches into epoch 1
    };
    const error = await train(model, data, { optimizer, epochs: 3, batchSize: 4, signal: controller.signal, onEpoch }).catch((e: unknown) => e);
    now.mockRestore();
    expect(ticks).toBeGreaterThan(10); // the event loop ran during the epochs of 10 batches
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).epoch).toBe(1);
    expect(model.params).toEqual(paramsAtStart); // epoch 1's partial updates undone
    expect(optimizer.iterations).toBe(iterationsAtStart);
    const h = (error as AbortError).history as { loss: number[]; weights: unknown[] };
    expect(h.loss).toHaveLength(1);
    expect(h.weights.at(-1)).toEqual(model.weights);
  });
});

describe.each(['wasm', 'js'] as const)('reliability of the loop on %s', (backend) => {
  test('truncate of 2^32 or more is full BPTT, the same on both backends', () => {
    const data = elmanData();
    const grads = (truncate?: number) => {
      const m = elman(backend);
      const b = m.bind(data, truncate === undefined ? {} : { truncate });
      b.lossAndGrad(0);
      b.dispose();
      return Array.from(m.grads);
    };
    expect(grads(2 ** 32)).toEqual(grads());
    expect(grads(2 ** 40 + 1)).toEqual(grads());
  });

  test('a non-finite validation loss is divergence without patience, and no better with it', () => {
    const data = randomElmanData(5, 40, 4, 1, 1, false);
    const make = () => new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, activation: 'linear', seed: 3, backend });
    const error = (() => {
      try {
        trainSync(make(), data, { optimizer: sgd({ lr: 3 }), epochs: 50, loss: 'mse', validationSplit: 0.25 });
      } catch (e) {
        return e as DivergenceError;
      }
    })();
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error!.argument).toBe('validation loss');
    const model = make();
    const h = trainSync(model, data, { optimizer: sgd({ lr: 3 }), epochs: 50, loss: 'mse', validationSplit: 0.25, patience: 2 });
    expect(model.params.every(Number.isFinite)).toBe(true);
    const best = h.valLoss!.indexOf(Math.min(...h.valLoss!.filter(Number.isFinite)));
    expect(model.weights).toEqual(h.weights[best + 1]);
  });

  test('validationSplit checks the whole data set before slicing it', () => {
    const bad = { ...elmanData(), x: new Float32Array(7) };
    expect(() => trainSync(elman(backend), bad, { optimizer: sgd(), epochs: 1, validationSplit: 0.5 })).toThrow(/data\.x must have length/);
    const nan = elmanData();
    nan.x[nan.x.length - 1] = Number.NaN; // in the held-out part
    expect(() => trainSync(elman(backend), nan, { optimizer: sgd(), epochs: 1, validationSplit: 0.5 })).toThrow(DataError);
  });

  test('a shuffle order with a duplicate or an index out of range is a DataError on both backends', () => {
    const data = elmanData();
    const b = elman(backend).bind(data, { batchSize: 4 });
    const order = Uint32Array.from({ length: data.samples }, (_, i) => i);
    order[3] = 2;
    expect(() => b.shuffle(order)).toThrow(/permutation/);
    order[3] = data.samples;
    expect(() => b.shuffle(order)).toThrow(/sample index below 24/);
    b.dispose();
  });
});

test('hyper-parameters are judged as the float32 the rules use', () => {
  expect(() => sgd({ lr: 1e-46 })).toThrow(/lr must be a finite number > 0 \(in float32, the precision the rule runs at, it is 0\)/);
  expect(() => rmsprop({ rho: 1 - 1e-9 })).toThrow(/rho must be .* < 1 \(in float32/);
  expect(() => adam({ beta1: 1 - 1e-9 })).toThrow(ConfigError);
  expect(() => rprop({ etaPlus: 1 + 1e-9 })).toThrow(/etaPlus must be a finite number > 1/);
});

test('Adam beyond 2^31 steps: both backends take the same (TypeScript) path and agree', () => {
  const run = (backend: BackendName) => {
    const model = new LinearRNN({ wx: 0.09, wRec: 0.011, backend });
    const optimizer = adam({ lr: 1e-3 });
    trainSync(model, tutorial(), { optimizer, epochs: 1 });
    optimizer.setState({ ...optimizer.getState(), step: 2 ** 31 - 3 });
    trainSync(model, tutorial(), { optimizer, epochs: 5 });
    return [Array.from(model.params), optimizer.iterations];
  };
  expect(run('wasm')).toEqual(run('js'));
});

test('a job whose scratch would pass 4 GiB is a ConfigError before anything is allocated; other models are untouched', () => {
  const sentinel = elman('wasm', 7);
  const sentinelData = elmanData();
  const lossBefore = sentinel.lossAndGrad(sentinelData).loss;
  const before = inUse();
  // 4,096 sequences × 2,048 steps, 256 hidden units, full batch: about 34 GiB of scratch.
  const big = new ElmanRNN({ inputSize: 1, hiddenSize: 256, outputSize: 1, backend: 'wasm' });
  const data = { samples: 4096, steps: 2048, inputSize: 1, outputSize: 1, x: new Float32Array(4096 * 2048), targets: new Float32Array(4096) };
  expect(() => trainSync(big, data, { optimizer: sgd(), epochs: 1 })).toThrow(/batchSize must be small enough for the scratch/);
  // One very long sequence: predict batches samples, but one sample's steps are the floor.
  const long = { samples: 1, steps: 2 ** 22, inputSize: 1, outputSize: 1, x: new Float32Array(2 ** 22), targets: new Float32Array(1) };
  expect(() => big.predict(long)).toThrow(/data\.steps must be small enough/);
  expect(inUse()).toBe(before);
  expect(sentinel.lossAndGrad(sentinelData).loss).toBe(lossBefore);
});

test('when memory runs out making the shuffled copies, nothing is left half-made and a retry works', () => {
  const model = elman('wasm');
  const data = elmanData();
  const b = model.bind(data, { batchSize: 4 });
  const arena = core().arena;
  const alloc = arena.alloc.bind(arena);
  let calls = 0;
  const spy = vi.spyOn(arena, 'alloc').mockImplementation((bytes: number) => {
    if (++calls === 2) throw new ConfigError('bytes', bytes, 'available'); // the targets' copy fails
    return alloc(bytes);
  });
  const before = inUse();
  const order = Uint32Array.from({ length: data.samples }, (_, i) => data.samples - 1 - i);
  expect(() => b.shuffle(order)).toThrow(ConfigError);
  expect(inUse()).toBe(before);
  spy.mockRestore();
  b.shuffle(order);
  const shuffledLoss = b.lossAndGrad(0);
  const reference = elman('wasm').bind(data, { batchSize: 4 });
  reference.shuffle(order);
  expect(shuffledLoss).toBe(reference.lossAndGrad(0));
  b.dispose();
  reference.dispose();
});

test('a long run is safe by default: 300,000 epochs keep at most 100,000 history entries', () => {
  const model = new LinearRNN({ wx: 0.09, wRec: 0.011 });
  const h = trainSync(model, tutorial(), { optimizer: rmsprop(), epochs: 300_000 });
  expect(h.loss.length).toBeLessThanOrEqual(100_000);
  expect(h.every).toBe(4);
  expect(h.weights).toHaveLength(h.loss.length + 1);
});

test('the same diverging mini-batch run reports the same kind of divergence on both backends', () => {
  const run = (backend: BackendName) => {
    const model = new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1, activation: 'linear', seed: 5, backend });
    try {
      trainSync(model, randomElmanData(6, 32, 5, 2, 1, false), { optimizer: sgd({ lr: 50 }), epochs: 30, batchSize: 8, loss: 'sse' });
    } catch (e) {
      const d = e as DivergenceError;
      return [d.name, d.epoch, d.argument];
    }
    return ['no divergence'];
  };
  const wasm = run('wasm');
  expect(wasm[0]).toBe('DivergenceError');
  expect(run('js')).toEqual(wasm);
});

test.each(['wasm', 'js'] as const)('ElmanRNN.predict takes inputs without targets, and checks them (%s)', (backend) => {
  const data = elmanData();
  const model = elman(backend);
  const { targets: _t, outputSize: _o, targetsPerStep: _p, ...inputs } = data;
  expect(model.predict(inputs)).toEqual(model.predict(data));
  const bad = { ...inputs, x: inputs.x.slice() };
  bad.x[5] = Number.NaN;
  expect(() => model.predict(bad)).toThrow(/data\.x\[5\] must be a finite number/);
});

test('training on placed data keeps its binding with the placement, and disposing frees it for every model (RNN too)', async () => {
  const { RNN } = await import('../src/models/rnn.js');
  const before = inUse();
  const model = new RNN({ inputSize: 2, outputSize: 1, layers: [{ cell: 'gru', units: 3 }] });
  const placed = model.place(elmanData());
  trainSync(model, placed, { optimizer: sgd(), epochs: 2, batchSize: 6 });
  trainSync(model, placed, { optimizer: sgd(), epochs: 2, batchSize: 8 }); // another schedule: a new binding
  placed.dispose();
  model.dispose();
  expect(inUse()).toBe(before);
});
