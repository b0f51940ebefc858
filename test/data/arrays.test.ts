// Users' arrays in, users' shapes out: nested [samples][steps][inputs] and typed { data, shape }
// data train, place, predict and evaluate exactly as the time-major Sequences they stand for,
// bit for bit on both backends; every bad shape is a typed error naming the sample and step.
import { describe, expect, test } from 'vitest';
import { BACKENDS, ConfigError, DataError, LinearRNN, RandomState, RNN, ShapeError, adam, init, trainSync, type BackendName, type Sequences } from 'elman-rnn';

await init();

const S = 5, T = 4, I = 2, O = 3;

/** Batch-major values [S][T][W] from a seeded stream, nested and flat. */
function draw(seed: number, steps: number, width: number): { nested: number[][][]; flat: Float32Array } {
  const rng = new RandomState(seed);
  const nested = Array.from({ length: S }, () => Array.from({ length: steps }, () => Array.from({ length: width }, () => Math.fround(rng.uniform(-1, 1)))));
  return { nested, flat: Float32Array.from(nested.flat(2)) };
}

/** The same values time-major [steps][S][W], written out by hand. */
function timeMajor(nested: number[][][], steps: number, width: number): Float32Array {
  const out = new Float32Array(steps * S * width);
  for (let s = 0; s < S; s++) for (let k = 0; k < steps; k++) for (let w = 0; w < width; w++) out[(k * S + s) * width + w] = nested[s]![k]![w]!;
  return out;
}

const model = (backend: BackendName, returnSequences: boolean) =>
  new RNN({ inputSize: I, layers: [{ cell: 'gru', units: 5 }], outputSize: O, returnSequences, seed: 3, backend });

describe.each(BACKENDS)('on %s', (backend) => {
  describe.each([false, true])('returnSequences %s', (seq) => {
    const x = draw(1, T, I);
    const yNested = seq ? draw(2, T, O).nested : draw(2, 1, O).nested.map((s) => s[0]!);
    const yFlat = Float32Array.from(yNested.flat(2) as number[]);
    const sequences: Sequences = { samples: S, steps: T, inputSize: I, outputSize: O, x: timeMajor(x.nested, T, I), targets: seq ? timeMajor(yNested as number[][][], T, O) : yFlat, targetsPerStep: seq };
    const nested = { x: x.nested, y: yNested };
    const typed = { x: { data: x.flat, shape: [S, T, I] }, y: { data: yFlat, shape: seq ? [S, T, O] : [S, O] } };

    test('predict answers in the form it was asked: nested, typed { data, shape }, or time-major', () => {
      const m = model(backend, seq);
      const y = m.predict({ x: sequences.x, samples: S, steps: T });
      const Tout = seq ? T : 1;
      const row = (k: number, s: number) => Array.from(y.subarray((k * S + s) * O, (k * S + s + 1) * O));
      const expected = Array.from({ length: S }, (_, s) => (seq ? Array.from({ length: T }, (_, k) => row(k, s)) : row(0, s)));
      expect(m.predict(x.nested)).toEqual(expected);
      expect(m.predict(nested)).toEqual(expected);
      const shaped = m.predict(typed);
      expect(shaped.shape).toEqual(seq ? [S, T, O] : [S, O]);
      expect(shaped.data).toEqual(Float32Array.from(expected.flat(2) as number[]));
      expect(m.predict(typed.x)).toEqual(shaped);
      expect(y.length).toBe(Tout * S * O);
      m.dispose();
    });

    test('train on nested, typed and placed arrays equals training on the time-major Sequences bit for bit', () => {
      const run = (data: unknown, validation?: unknown) => {
        const m = model(backend, seq);
        const placed = data === 'place-nested' ? m.place(nested) : undefined;
        const history = trainSync(m, (placed ?? data) as Sequences, { optimizer: adam({ lr: 0.01 }), epochs: 5, batchSize: 2, shuffle: 7, ...(validation !== undefined && { validationData: validation as Sequences }) });
        const out = { loss: history.loss, valLoss: history.valLoss, params: m.params.slice() };
        m.dispose();
        return out;
      };
      const reference = run(sequences, sequences);
      expect(run(nested, nested)).toEqual(reference);
      expect(run(typed, typed)).toEqual(reference);
      const placed = run('place-nested');
      expect(placed.params).toEqual(run(sequences).params);
    });
  });

  test('LinearRNN takes nested arrays too: one input per step, as bare numbers', () => {
    const x = [[1, 0, 1], [0, 0, 1], [1, 1, 1]];
    const y = [2, 1, 3];
    const data: Sequences = { samples: 3, steps: 3, inputSize: 1, outputSize: 1, x: Float32Array.of(1, 0, 1, 0, 0, 1, 1, 1, 1), targets: Float32Array.of(2, 1, 3) };
    const run = (d: unknown) => {
      const m = new LinearRNN({ wx: 0.3, wRec: 0.6, backend });
      trainSync(m, d as Sequences, { optimizer: adam({ lr: 0.05 }), epochs: 20 });
      return m.params.slice();
    };
    expect(run({ x, y })).toEqual(run(data));
    expect(run({ x: { data: Float32Array.of(1, 0, 1, 0, 0, 1, 1, 1, 1), shape: [3, 3, 1] }, y: { data: Float32Array.of(2, 1, 3), shape: [3, 1] } })).toEqual(run(data));
  });
});

describe('hostile shapes are typed errors naming the sample and step, before any work', () => {
  const good = () => ({ x: draw(1, T, I).nested, y: draw(2, 1, O).nested.map((s) => s[0]!) });
  const cases: Array<[string, (d: ReturnType<typeof good>) => unknown, typeof ShapeError | typeof DataError | typeof ConfigError, string]> = [
    ['a step with a missing input', (d) => ((d.x[3]![2] = [0.5]), d), ShapeError, 'x[3][2]'],
    ['a sample with a step too few', (d) => (d.x[1]!.pop(), d), ShapeError, 'x[1]'],
    ['NaN inside a step', (d) => ((d.x[2]![1]![1] = Number.NaN), d), DataError, 'x[2][1]'],
    ['a value beyond float32', (d) => ((d.x[4]![3]![0] = 1e39), d), DataError, 'x[4][3]'],
    ['a string for a value', (d) => ((d.x[0]![0]![0] = '1' as never), d), DataError, 'x[0][0]'],
    ['targets for a sample too few', (d) => (d.y.pop(), d), ShapeError, 'y'],
    ['a target row too short', (d) => ((d.y[2] = [1]), d), ShapeError, 'y[2]'],
    ['an empty x', () => ({ x: [], y: [] }), ShapeError, 'x'],
    ['no targets to train on', (d) => ({ x: d.x }), ConfigError, 'y'],
    ['typed x whose length is not its shape', () => ({ x: { data: new Float32Array(10), shape: [S, T, I] }, y: good().y }), ShapeError, 'x.data'],
    ['typed x of rank 2', () => ({ x: { data: new Float32Array(10), shape: [5, 2] }, y: good().y }), ShapeError, 'x.shape'],
    ['a shape claiming 2^50 values', () => ({ x: { data: new Float32Array(4), shape: [2 ** 20, 2 ** 20, 2 ** 10] }, y: good().y }), ShapeError, 'x.shape'],
    ['a fractional size', () => ({ x: { data: new Float32Array(4), shape: [2, 1.5, 1] }, y: good().y }), ConfigError, 'x.shape[1]'],
    ['typed y for other samples', () => ({ x: { data: new Float32Array(S * T * I), shape: [S, T, I] }, y: { data: new Float32Array(3 * O), shape: [3, O] } }), ShapeError, 'y.shape[0]'],
    ['typed NaN named by sample and step', () => ({ x: { data: new Float32Array(S * T * I).fill(Number.NaN, 2 * T * I + 3 * I), shape: [S, T, I] }, y: good().y }), DataError, 'x[2][3]'],
  ];
  test.each(cases)('%s', (_, make, type, argument) => {
    const m = model('js', false);
    const before = m.params.slice();
    const refused = (f: () => unknown) => {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({ argument });
    };
    refused(() => trainSync(m, make(good()) as Sequences, { optimizer: adam(), epochs: 1 }));
    refused(() => m.place(make(good()) as Sequences));
    expect(m.params).toEqual(before);
    m.dispose();
  });

  test('predict names the sample and step of bare nested arrays under data', () => {
    const m = model('wasm', false);
    expect(() => m.predict([[[0.5, 0.5], [0.5]]])).toThrow(expect.objectContaining({ argument: 'data[0][1]' }));
    expect(() => m.predict({ x: [[[0.5, 0.5, 0.5]]] })).toThrow(expect.objectContaining({ argument: 'x' }));
    m.dispose();
  });
});
