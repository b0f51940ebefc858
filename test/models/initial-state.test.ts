// A learned initial state (learnInitialState): each layer's h0 (and c0) are parameters after the
// head's, their gradient Σ over samples of ∂L/∂h[0] read from the backward kernels' carry, checked
// against central differences of the float64 loss; given initial states (predict, setState) start
// a call where they say; the state round-trips through JSON.
import { beforeAll, describe, expect, test } from 'vitest';
import { binaryAddition, CELLS, ElmanRNN, gradCheck, init, RandomState, RNN, rmsprop, sineWave, trainSync } from 'elman-rnn';

beforeAll(async () => {
  await init();
});

const layers = CELLS.map((cell, i) => ({ cell, units: 2 + i }));
/** Floats of the learned states: h per layer, c too for cells with a cell state (LSTM). */
const s0Floats = layers.reduce((a, l) => a + (l.cell === 'lstm' ? 2 : 1) * l.units, 0);

describe.each(['wasm', 'js'] as const)('learned initial state on %s', (backend) => {
  test('its gradient (the carry after step 1, summed over samples) matches float64 central differences', () => {
    const model = new RNN({ inputSize: 1, outputSize: 1, returnSequences: true, layers, learnInitialState: true, seed: 4, backend });
    // Away from zero, so every state's ∂L/∂h0 is a different number.
    model.setWeights({ initialStates: model.weights.initialStates!.map((s, i) => ({ h: s.h.map((_, j) => 0.3 - 0.2 * j + 0.1 * i), ...(s.c && { c: s.c.map((_, j) => -0.2 + 0.15 * j) }) })) });
    const data = sineWave({ samples: 5, length: 6, rng: new RandomState(5) });
    const r = gradCheck(model, data, { loss: 'mse', eps: 1e-5 });
    const tail = (a: ArrayLike<number>) => Array.from(a).slice(model.params.length - s0Floats);
    expect(model.params.length - s0Floats).toBe(new RNN({ inputSize: 1, outputSize: 1, returnSequences: true, layers, seed: 4, backend: 'js' }).params.length);
    // Every learned state's gradient is there (none zero) and agrees with the differences: on js to the
    // float32 rounding of the gradient (measured 9.5e-8), in the core to float32 BPTT (3.4e-5); the other
    // weights as gradCheck's own tests hold them (the worst 4e-4, a hardSigmoid kink or float32).
    const rel = (a: number, n: number) => Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), 1e-6);
    expect(tail(r.analytic).every((g) => Math.abs(g) > 1e-6)).toBe(true);
    const worstS0 = Math.max(...tail(r.analytic).map((a, i) => rel(a, tail(r.numerical)[i]!)));
    expect(worstS0).toBeLessThan(backend === 'js' ? 2e-7 : 1e-4);
    expect(r.maxRelativeError).toBeLessThan(1e-3);
    expect(model.gradients.initialStates!.flatMap((s) => [...s.h, ...(s.c ?? [])])).toEqual(tail(r.analytic));
    model.dispose();
  });

  test("the binary adder learns its S0 (ElmanRNN), and the file keeps it", () => {
    const data = binaryAddition({ samples: 64, bits: 6, rng: new RandomState(2) });
    const model = new ElmanRNN({ inputSize: 2, hiddenSize: 6, outputSize: 1, outputActivation: 'sigmoid', returnSequences: true, learnInitialState: true, seed: 2, backend });
    expect(model.weights.initialState).toEqual(new Float32Array(6));
    trainSync(model, data, { optimizer: rmsprop({ lr: 0.02 }), loss: 'bce', epochs: 5, batchSize: 16 });
    const s0 = model.weights.initialState!;
    expect(s0.some((v) => v !== 0)).toBe(true);
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.config.learnInitialState).toBe(true);
    const back = ElmanRNN.fromJSON(json, { backend });
    expect(back.weights.initialState).toEqual(s0);
    expect(back.predict(data)).toEqual(model.predict(data));
    model.dispose();
    back.dispose();
  });

  test('predict from a given initial state equals the steps from the same state; setState sets what step continues', () => {
    const model = new RNN({ inputSize: 1, outputSize: 1, returnSequences: true, layers: [{ cell: 'lstm', units: 3 }, { cell: 'simple', units: 2 }], seed: 6, backend });
    const h0 = [{ h: [[0.1, -0.2, 0.3], [0.0, 0.5, -0.5]], c: [[0.2, 0.2, -0.1], [0.4, 0.0, 0.1]] }, { h: new Float32Array([0.3, -0.3, 0.1, 0.2]) }];
    const xs = [[[0.5], [-0.1], [0.2]], [[0.3], [0.9], [-0.4]]];
    const y = model.predict(xs, { initialState: h0 }) as number[][][];
    expect(y).not.toEqual(model.predict(xs));
    model.setState(h0);
    // Nested in, nested out: y[sample][step][output].
    for (let k = 0; k < 3; k++) expect(Array.from(model.step([xs[0]![k]!, xs[1]![k]!]))).toEqual([y[0]![k]![0], y[1]![k]![0]]);
    // The state after three steps is what `state` reads; a non-stateful predict left it alone.
    const after = model.state!;
    model.predict(xs);
    expect(model.state).toEqual(after);
    model.resetState();
    expect(model.state).toBeUndefined();
    model.dispose();
  });
});
