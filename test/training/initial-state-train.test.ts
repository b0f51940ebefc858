// Issue 19, item 1: train(model, data, { initialState }). A stateful model's streams start the call
// from the given state (the same bits as setState before the call); a stateless model's samples
// start from their own rows ([samples][units], following each sample through shuffles) or one row
// for all ([1][units]), the same bits as the stateful path from the same rows, and as a hand loop
// over the shuffled batches. Every bad state is a typed error naming it, before any work.
import { beforeAll, describe, expect, test } from 'vitest';
import { thrownNamed } from '../helpers/thrown.js';
import { init, RandomState, RNN, sgd, trainSync, type LayerStateInput, type Sequences } from 'elman-rnn';

beforeAll(async () => {
  await init();
});

const N = 6, T = 4, I = 2, O = 1;
const data: Sequences = {
  samples: N, steps: T, inputSize: I, outputSize: O, targetsPerStep: true,
  x: Float32Array.from({ length: T * N * I }, (_, i) => Math.sin(0.7 * i)),
  targets: Float32Array.from({ length: T * N * O }, (_, i) => Math.cos(0.3 * i)),
};
const layers = [{ cell: 'gru' as const, units: 3 }, { cell: 'lstm' as const, units: 2 }];
/** Each layer's state of `rows` streams, away from zero and different per row. */
const stateOf = (rows: number): LayerStateInput[] =>
  layers.map((l, i) => {
    const v = (k: number) => Array.from({ length: rows }, (_, s) => Array.from({ length: l.units }, (_, j) => 0.4 * Math.sin(1 + s + 2 * j + 3 * i + k)));
    return l.cell === 'lstm' ? { h: v(0), c: v(5) } : { h: v(0) };
  });
/** Rows `picked` of a state. */
const rowsOf = (state: LayerStateInput[], picked: ArrayLike<number>): LayerStateInput[] =>
  state.map((s) => {
    const { h, c } = s as { h: number[][]; c?: number[][] };
    const take = (r: number[][]) => Array.from(picked, (k) => r[k]!);
    return c ? { h: take(h), c: take(c) } : { h: take(h) };
  });
/** Samples `picked` of a time-major data set. */
function samplesOf(d: Sequences, picked: ArrayLike<number>): Sequences {
  const b = picked.length, x = new Float32Array(T * b * I), t = new Float32Array(T * b * O);
  for (let k = 0; k < T; k++) {
    for (let s = 0; s < b; s++) {
      x.set(d.x.subarray((k * N + picked[s]!) * I, (k * N + picked[s]!) * I + I), (k * b + s) * I);
      t.set(d.targets.subarray((k * N + picked[s]!) * O, (k * N + picked[s]!) * O + O), (k * b + s) * O);
    }
  }
  return { ...d, samples: b, x, targets: t };
}
describe.each(['wasm', 'js'] as const)('train from a given initial state on %s', (backend) => {
  const make = (stateful = false, extra = {}) => new RNN({ inputSize: I, outputSize: O, returnSequences: true, layers, stateful, seed: 3, backend, ...extra });

  test('stateful: the streams start from it, the same bits as setState before the call; the final state is carried on', () => {
    const given = make(true), set = make(true), zero = make(true);
    const opts = { optimizer: sgd({ lr: 0.1 }), loss: 'mse' as const, epochs: 2, batchSize: 2 };
    const a = trainSync(given, data, { ...opts, optimizer: sgd({ lr: 0.1 }), initialState: stateOf(2) });
    set.setState(stateOf(2));
    const b = trainSync(set, data, { ...opts, optimizer: sgd({ lr: 0.1 }) });
    const z = trainSync(zero, data, { ...opts, optimizer: sgd({ lr: 0.1 }) });
    expect(a.loss).toEqual(b.loss);
    expect(given.params).toEqual(set.params);
    expect(given.state).toEqual(set.state);
    // The state mattered: from zeros the first loss differs.
    expect(z.loss[0]).not.toBe(a.loss[0]);
    // A given state replaces a carried one: `zero` carries its streams on; from the given state it trains as a twin set to it.
    const twin = make(true);
    twin.params.set(zero.params);
    twin.setState(stateOf(2));
    const again = trainSync(zero, data, { ...opts, epochs: 1, optimizer: sgd({ lr: 0.1 }), initialState: stateOf(2) });
    expect(again.loss).toEqual(trainSync(twin, data, { ...opts, epochs: 1, optimizer: sgd({ lr: 0.1 }) }).loss);
    expect(zero.params).toEqual(twin.params);
    for (const m of [given, set, zero, twin]) m.dispose();
  });

  test('stateless, one row per sample: the same bits as a stateful model set to those rows, full batch', () => {
    const stateless = make(), stateful = make(true);
    // The first loss is predict's from the same rows (another path: predict's initialState), its mse summed in float64.
    const y = stateless.predict(data, { initialState: stateOf(N) }) as Float32Array;
    const mseOf = (out: Float32Array) => out.reduce((sum, v, i) => sum + (v - data.targets[i]!) ** 2, 0) / out.length;
    const mse = mseOf(y);
    // From zeros the loss is another one: the rows are what is checked.
    expect(Math.abs(mseOf(stateless.predict(data)) - mse) / mse).toBeGreaterThan(1e-3);
    const h = trainSync(stateless, data, { optimizer: sgd({ lr: 0.1 }), loss: 'mse', epochs: 1, initialState: stateOf(N) });
    expect(Math.abs(h.loss[0]! - mse) / mse).toBeLessThan(1e-6);
    stateful.setState(stateOf(N));
    const r = trainSync(stateful, data, { optimizer: sgd({ lr: 0.1 }), loss: 'mse', epochs: 1 });
    expect(h.loss).toEqual(r.loss);
    expect(stateless.params).toEqual(stateful.params);
    // Every epoch starts from the given rows again (nothing carried): the second epoch's loss is at the first's start, moved only by the update.
    const twice = make(), once = make();
    trainSync(once, data, { optimizer: sgd({ lr: 0.1 }), loss: 'mse', epochs: 1, initialState: stateOf(N) });
    const h2 = trainSync(twice, data, { optimizer: sgd({ lr: 0.1 }), loss: 'mse', epochs: 2, initialState: stateOf(N) });
    const b = once.bind(data, { loss: 'mse', initialState: stateOf(N) });
    expect(h2.loss[1]).toBe(b.lossAndGrad(0));
    b.dispose();
    for (const m of [stateless, stateful, twice, once]) m.dispose();
  });

  test('stateless with shuffled mini-batches: each row follows its sample (a hand loop over the same permutation)', () => {
    const model = make(), hand = make();
    const B = 4, epochs = 3, seed = 7, lr = 0.05;
    const history = trainSync(model, data, { optimizer: sgd({ lr }), loss: 'mse', epochs, batchSize: B, shuffle: seed, initialState: stateOf(N) });
    // The loop's own shuffle: Fisher–Yates over 0..N−1 with RandomState(seed), every epoch.
    const rng = new RandomState(seed), opt = sgd({ lr }), losses: number[] = [];
    for (let e = 0; e < epochs; e++) {
      const order = Array.from({ length: N }, (_, i) => i);
      for (let i = N - 1; i > 0; i--) {
        const j = Math.floor(rng.randomSample() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let sum = 0;
      for (let n0 = 0; n0 < N; n0 += B) {
        const picked = order.slice(n0, n0 + B);
        const b = hand.bind(samplesOf(data, picked), { loss: 'mse', initialState: rowsOf(stateOf(N), picked) });
        sum += b.lossAndGrad(0) * (picked.length / N);
        b.dispose();
        opt.step(hand.params, hand.grads);
      }
      losses.push(sum);
    }
    expect(model.params).toEqual(hand.params);
    expect(history.loss.map(Math.fround)).toEqual(losses.map(Math.fround));
    // The permutation mattered: rows taken in the original order give other weights.
    const unfollowed = make();
    trainSync(unfollowed, data, { optimizer: sgd({ lr }), loss: 'mse', epochs, batchSize: B, shuffle: seed, initialState: rowsOf(stateOf(N), [5, 4, 3, 2, 1, 0]) });
    expect(unfollowed.params).not.toEqual(model.params);
    for (const m of [model, hand, unfollowed]) m.dispose();
  });

  test('stateless, one row for every sample: the same bits as that row repeated per sample', () => {
    const one = make(), many = make();
    const a = trainSync(one, data, { optimizer: sgd({ lr: 0.1 }), loss: 'mse', epochs: 2, batchSize: 4, initialState: stateOf(1) });
    const b = trainSync(many, data, { optimizer: sgd({ lr: 0.1 }), loss: 'mse', epochs: 2, batchSize: 4, initialState: rowsOf(stateOf(1), Array(N).fill(0)) });
    expect(a.loss).toEqual(b.loss);
    expect(one.params).toEqual(many.params);
    one.dispose();
    many.dispose();
  });

  test('a bad initial state is a typed error naming it, before any work (weights, optimizer and carried state untouched)', async () => {
    const model = make(), stateful = make(true), learned = make(false, { learnInitialState: true });
    const before = model.params.slice();
    const opt = sgd({ lr: 0.1 });
    const run = (m: RNN, initialState: unknown, extra = {}) => () => trainSync(m, data, { optimizer: opt, loss: 'mse', epochs: 1, initialState: initialState as LayerStateInput[], ...extra });
    expect(thrownNamed(run(model, stateOf(N).slice(0, 1)))).toEqual(['ConfigError', 'initialState']);
    expect(thrownNamed(run(model, [{ h: [[1, 2]] }, stateOf(1)[1]]))).toEqual(['ShapeError', 'initialState[0].h[0]']);
    expect(thrownNamed(run(model, [{ h: [1, 2] }, stateOf(1)[1]]))).toEqual(['ShapeError', 'initialState[0].h']);
    expect(thrownNamed(run(model, [stateOf(1)[0], { h: [[0, 0]] }]))).toEqual(['ConfigError', 'initialState[1].c']);
    expect(thrownNamed(run(model, [stateOf(1)[0], { h: [[0, 0]], c: [[0, 0]], x: 1 }]))).toEqual(['ConfigError', 'initialState[1].x']);
    expect(thrownNamed(run(model, [stateOf(2)[0], stateOf(1)[1]]))).toEqual(['ShapeError', 'initialState[1].h']);
    // Neither one row nor one per sample.
    expect(thrownNamed(run(model, stateOf(2)))).toEqual(['ShapeError', 'initialState[0].h']);
    expect(thrownNamed(run(model, [{ h: [[NaN, 0, 0]] }, stateOf(1)[1]]))).toEqual(['DataError', 'initialState[0].h[0]']);
    // Stateful: one row per stream (batchSize), not per sample.
    expect(thrownNamed(run(stateful, stateOf(N), { batchSize: 2 }))).toEqual(['ShapeError', 'initialState[0].h']);
    expect(thrownNamed(run(learned, stateOf(1)))).toEqual(['ConfigError', 'initialState']);
    expect(thrownNamed(run(model, stateOf(1), { initalState: stateOf(1) }))).toEqual(['ConfigError', 'options.initalState']);
    if (backend === 'wasm') {
      const threaded = await model.placeThreaded(data, { threads: 2 });
      expect(thrownNamed(() => trainSync(model, threaded, { optimizer: opt, loss: 'mse', epochs: 1, initialState: stateOf(1) }))).toEqual(['ConfigError', 'data']);
      threaded.dispose();
    }
    expect(model.params).toEqual(before);
    expect(opt.iterations).toBe(0);
    expect(stateful.state).toBeUndefined();
    for (const m of [model, stateful, learned]) m.dispose();
  });
});
