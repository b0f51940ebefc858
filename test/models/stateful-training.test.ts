// Training a stateful model: train() drives batch after batch of the same streams, each starting
// from the last one's final state (Keras's fit with shuffle=False), the same bits as a hand loop
// of lossAndGrad and the optimizer; resetState in onEpoch starts each pass afresh (min-char-rnn's
// hprev = 0). Every misuse is a typed error naming its argument, before any work.
import { beforeAll, describe, expect, test } from 'vitest';
import { thrownNamed } from '../helpers/thrown.js';
import { ConfigError, ElmanRNN, gradCheck, init, RNN, sgd, trainSync, type Sequences } from 'elman-rnn';

beforeAll(async () => {
  await init();
});

const S = 2, L = 3, CHUNKS = 4, I = 1, O = 1;
/** CHUNKS batches of S streams, L steps each, a target per step: batch c holds samples c·S .. c·S + S − 1. */
const data: Sequences = {
  samples: CHUNKS * S, steps: L, inputSize: I, outputSize: O, targetsPerStep: true,
  x: Float32Array.from({ length: L * CHUNKS * S }, (_, i) => Math.sin(0.9 * i)),
  targets: Float32Array.from({ length: L * CHUNKS * S }, (_, i) => Math.cos(0.4 * i)),
};

describe.each(['wasm', 'js'] as const)('stateful training on %s', (backend) => {
  const make = () => new RNN({ inputSize: I, outputSize: O, returnSequences: true, layers: [{ cell: 'gru', units: 4 }, { cell: 'lstm', units: 3 }], stateful: true, seed: 8, backend });

  test('train() equals a hand loop over the batches with the state carried, and resetState in onEpoch restarts each pass', () => {
    const model = make(), hand = make();
    const losses: number[] = [];
    const history = trainSync(model, data, { optimizer: sgd({ lr: 0.1 }), loss: 'mse', epochs: 3, batchSize: S, onEpoch: () => model.resetState() });
    const opt = sgd({ lr: 0.1 });
    const b = hand.bind(data, { loss: 'mse', batchSize: S });
    for (let e = 0; e < 3; e++) {
      let sum = 0;
      for (let c = 0; c < CHUNKS; c++) {
        sum += b.lossAndGrad(c);
        opt.step(hand.params, hand.grads);
      }
      losses.push(sum / CHUNKS);
      hand.resetState();
    }
    b.dispose();
    expect(model.params).toEqual(hand.params);
    expect(history.loss.map(Math.fround)).toEqual(losses.map(Math.fround));
    model.dispose();
    hand.dispose();
  });

  test('without the reset, the next pass continues the streams (the losses differ)', () => {
    const a = make(), b = make();
    const reset = trainSync(a, data, { optimizer: sgd({ lr: 0.1 }), loss: 'mse', epochs: 2, batchSize: S, onEpoch: () => a.resetState() });
    const carried = trainSync(b, data, { optimizer: sgd({ lr: 0.1 }), loss: 'mse', epochs: 2, batchSize: S });
    expect(carried.loss[0]).toBe(reset.loss[0]);
    expect(carried.loss[1]).not.toBe(reset.loss[1]);
    expect(b.state![1]!.c!.length).toBe(S * 3);
    a.dispose();
    b.dispose();
  });

  test("gradCheck of a stateful model: lossAt starts where the analytic pass started, not where it left the streams", () => {
    const model = make();
    model.predict({ x: new Float32Array(L * CHUNKS * S).map((_, i) => Math.cos(i)), samples: CHUNKS * S, steps: L });
    const r = gradCheck(model, data, { loss: 'mse', eps: 1e-5 });
    expect(r.maxRelativeError).toBeLessThan(1e-3);
    model.dispose();
  });

  test('misuse is a typed error naming the argument', async () => {
    const model = make();
    expect(thrownNamed(() => trainSync(model, data, { optimizer: sgd(), epochs: 1, batchSize: 3 }))).toEqual(['ConfigError', 'batchSize']);
    expect(thrownNamed(() => trainSync(model, data, { optimizer: sgd(), epochs: 1, batchSize: S, shuffle: true }))).toEqual(['ConfigError', 'shuffle']);
    expect(thrownNamed(() => trainSync(model, data, { optimizer: sgd(), epochs: 1, batchSize: S, validationSplit: 0.25 }))).toEqual(['ConfigError', 'validationSplit']);
    expect(thrownNamed(() => trainSync(model, data, { optimizer: sgd(), epochs: 1, batchSize: S, validationData: data }))).toEqual(['ConfigError', 'validationData']);
    expect(model.state).toBeUndefined();
    // Two streams carried: a call with three is refused until resetState.
    model.predict({ x: new Float32Array(L * S), samples: S, steps: L });
    expect(thrownNamed(() => model.predict({ x: new Float32Array(L * 3), samples: 3, steps: L }))).toEqual(['ShapeError', 'data.samples']);
    expect(thrownNamed(() => model.step([[0], [0], [0]]))).toEqual(['ShapeError', 'x']);
    model.resetState();
    expect(model.predict({ x: new Float32Array(L * 3), samples: 3, steps: L })).toHaveLength(L * 3);
    // Initial states: the layers, the streams, the cell state, the values.
    const xs = [[[0], [0], [0]]];
    expect(thrownNamed(() => model.predict(xs, { initialState: [{ h: [0, 0, 0, 0] }] as never }))).toEqual(['ConfigError', 'initialState']);
    // A given state replaces the carried one (Keras's initial_state), whatever its stream count.
    expect(model.predict(xs, { initialState: [[0, 0, 0, 0], { h: [0, 0, 0], c: [0, 0, 0] }] })[0]).toHaveLength(L); // nested out: [1 sample][L steps][1]
    expect(thrownNamed(() => model.predict(xs, { initialState: [[0, 0, 0, 0, 0, 0, 0, 0], { h: [0, 0, 0], c: [0, 0, 0] }] }))).toEqual(['ShapeError', 'initialState[0]']);
    expect(thrownNamed(() => model.predict(xs, { initialState: [[0, 0, 0, 0], { h: [0, 0, 0] }] }))).toEqual(['ConfigError', 'initialState[1].c']);
    expect(thrownNamed(() => model.predict(xs, { initialState: [[0, 0, 0, 0], [0, 0, 0]] }))).toEqual(['ConfigError', 'initialState[1]']);
    expect(thrownNamed(() => model.predict(xs, { initialState: [{ h: [0, 0, 0, 0], c: [0, 0, 0, 0] }, { h: [0, 0, 0], c: [0, 0, 0] }] }))).toEqual(['ConfigError', 'initialState[0].c']);
    expect(thrownNamed(() => model.setState([[0, NaN, 0, 0], { h: [0, 0, 0], c: [0, 0, 0] }]))).toEqual(['DataError', 'state[0]']);
    expect(thrownNamed(() => model.predict(xs, { initialStates: [] } as never))).toEqual(['ConfigError', 'predict options.initialStates']);
    expect(thrownNamed(() => model.resetState(2))).toEqual(['ConfigError', 'stream']);
    // A learned initial state is not carried, and weights it does not have are refused.
    expect(thrownNamed(() => new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, stateful: true, learnInitialState: true }))).toEqual(['ConfigError', 'learnInitialState']);
    expect(thrownNamed(() => model.setWeights({ initialStates: [] }))).toEqual(['ConfigError', 'weights.initialStates']);
    expect(thrownNamed(() => RNN.fromJSON({ ...model.toJSON(), config: { ...model.toJSON().config, stateful: false as never } }))).toEqual(['ConfigError', 'json.config.stateful']);
    model.dispose();
  });

  test('the file keeps stateful; a loaded model starts afresh', () => {
    const model = make();
    model.predict({ x: new Float32Array(L * S).fill(0.5), samples: S, steps: L });
    const back = RNN.fromJSON(JSON.parse(JSON.stringify(model.toJSON())), { backend });
    expect(back.stateful).toBe(true);
    expect(back.state).toBeUndefined();
    const e = ElmanRNN.fromJSON(JSON.parse(JSON.stringify(new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, stateful: true, backend }).toJSON())), { backend });
    expect(e.stateful).toBe(true);
    model.dispose();
    back.dispose();
    e.dispose();
  });
});

test('a threaded placement of a stateful model is refused by name (its blocks start from zeros in the core)', async () => {
  const model = new RNN({ inputSize: I, outputSize: O, returnSequences: true, layers: [{ cell: 'simple', units: 3 }], stateful: true });
  const placed = await model.placeThreaded(data, { threads: 2 });
  expect(thrownNamed(() => trainSync(model, placed, { optimizer: sgd(), epochs: 1, batchSize: S }))).toEqual(['ConfigError', 'data']);
  expect(thrownNamed(() => model.predict(placed))).toEqual(['ConfigError', 'data']);
  model.dispose();
});
