// evaluate: the loss lossAndGrad reports, bit for bit, and metrics recomputed here in float64 from
// predict's outputs; weights and gradients untouched.
import { describe, expect, test } from 'vitest';
import { BACKENDS, ConfigError, countOnes, ElmanRNN, evaluate, LinearRNN, RandomState, RNN, init, type Sequences } from 'elman-rnn';

await init();

describe.each(BACKENDS)('on %s', (backend) => {
  test.each(['mse', 'sse', 'huber'] as const)('the %s loss equals lossAndGrad bit for bit; mse and mae match float64 sums of predict', (loss) => {
    const m = new RNN({ inputSize: 2, layers: [{ cell: 'lstm', units: 4 }], outputSize: 2, returnSequences: true, seed: 9, backend });
    const rng = new RandomState(4);
    const x = Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]));
    const y = Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]));
    m.grads.fill(0.25);
    const params = m.params.slice();
    const result = evaluate(m, { x, y }, { loss, metrics: ['mse', 'mae'] });
    expect(m.params).toEqual(params);
    expect(m.grads.every((g) => g === 0.25)).toBe(true);
    const p = m.predict(x);
    let sq = 0, abs = 0;
    p.forEach((row, s) => (row as number[][]).forEach((step, k) => step.forEach((v, o) => {
      const t = Math.fround(y[s]![k]![o]!);
      sq += (v - t) ** 2;
      abs += Math.abs(v - t);
    })));
    expect(result.mse).toBeCloseTo(sq / 30, 12);
    expect(result.mae).toBeCloseTo(abs / 30, 12);
    expect(result.loss).toBe(m.lossAndGrad(m.place({ x, y }), loss).loss);
    m.dispose();
  });

  test('accuracy: argmax per row for a softmax head, per value at 0.5 for a sigmoid head, refused for a linear head', () => {
    // A softmax head over 3 classes; targets one-hot. Counted by hand from predict below.
    const soft = new RNN({ inputSize: 1, layers: [{ cell: 'simple', units: 3 }], outputSize: 3, outputActivation: 'softmax', seed: 2, backend });
    const x = [[[0.5], [-1]], [[1], [1]], [[-0.5], [0.25]], [[2], [-2]]];
    const out = soft.predict(x) as number[][];
    const argmax = (r: number[]) => r.indexOf(Math.max(...r));
    // Targets: the model's own class for samples 0 and 1, another class for 2 and 3: accuracy 1/2.
    const y = out.map((r, s) => [0, 1, 2].map((c) => (c === (s < 2 ? argmax(r) : (argmax(r) + 1) % 3) ? 1 : 0)));
    expect(evaluate(soft, { x, y }, { loss: 'cce', metrics: ['accuracy'] }).accuracy).toBe(0.5);
    const sig = new ElmanRNN({ inputSize: 1, hiddenSize: 3, outputSize: 2, outputActivation: 'sigmoid', seed: 2, backend });
    const o2 = sig.predict(x) as number[][];
    // Targets on the model's side of 0.5 for 5 of the 8 values.
    let agree = 0;
    const y2 = o2.map((r, s) => r.map((v, j) => {
      const same = s * 2 + j < 5;
      if (same) agree++;
      return (v > 0.5) === same ? 1 : 0;
    }));
    expect(agree).toBe(5);
    expect(evaluate(sig, { x, y: y2 }, { loss: 'bce', metrics: ['accuracy'] }).accuracy).toBe(5 / 8);
    const lin = new RNN({ inputSize: 1, layers: [{ cell: 'simple', units: 3 }], outputSize: 1, seed: 2, backend });
    expect(() => evaluate(lin, { x, y: [[1], [0], [1], [0]] }, { metrics: ['accuracy'] })).toThrow(ConfigError);
    for (const m of [soft, sig, lin]) m.dispose();
  });

  test('LinearRNN: the exact counter scores 0; a wrong one its hand-computed error', () => {
    const data: Sequences = countOnes({ samples: 10, length: 6, rng: new RandomState(3) });
    const exact = new LinearRNN({ wx: 1, wRec: 1, backend });
    expect(evaluate(exact, data, { loss: 'sse', metrics: ['mae', 'mse'] })).toEqual({ loss: 0, mae: 0, mse: 0 });
    // wx = 2: every prediction is twice the count, so the error is the count itself.
    const twice = new LinearRNN({ wx: 2, wRec: 1, backend });
    const counts = Array.from(data.targets);
    const r = evaluate(twice, data, { loss: 'sse', metrics: ['mae'] });
    expect(r.mae).toBeCloseTo(counts.reduce((a, c) => a + c, 0) / 10, 12);
    expect(r.loss).toBe(twice.lossAndGrad(data, 'sse').loss);
  });
});

test('options are checked by name', () => {
  const m = new LinearRNN();
  const data = countOnes({ samples: 4, length: 3, rng: new RandomState(1) });
  expect(() => evaluate(m, data, { loss: 'bce' as 'sse' })).toThrow(expect.objectContaining({ argument: 'loss' }));
  expect(() => evaluate(m, data, { metrics: ['f1' as 'mae'] })).toThrow(expect.objectContaining({ argument: 'metrics[0]' }));
  expect(() => evaluate(m, data, { metric: ['mae'] } as never)).toThrow(expect.objectContaining({ argument: 'evaluate options.metric' }));
  expect(() => evaluate(m, m.place(data), { metrics: ['mae'] })).toThrow(expect.objectContaining({ argument: 'metrics' }));
});
