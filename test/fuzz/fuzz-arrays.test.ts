// Fuzz suite: users' arrays (nested and typed { data, shape }) into predict and evaluate. Each case
// ends in the result the time-major path gives for the same values (transposed here, by hand) or an
// ElmanError; the harness (helpers/fuzz.ts) checks the arena and two sentinel models after every case.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { evaluate, RNN, type Sequences } from '../../src/index.js';
import { fuzzSuite, ok, weird } from '../helpers/fuzz.js';

// Floors at about half the accepted share seen (most cases are well formed by design).
const fuzz = fuzzSuite('users arrays', {
  'predict on nested or typed inputs equals the time-major predict, or an ElmanError': 0.2,
  'evaluate on nested { x, y } equals evaluate on the time-major Sequences, or an ElmanError': 0.2,
});

const I = 2, O = 2;
const model = new RNN({ inputSize: I, layers: [{ cell: 'gru', units: 3 }], outputSize: O, seed: 5 });

const value = fc.oneof({ weight: 30, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) }, { weight: 1, arbitrary: weird });
/** A [samples][steps][width] array, mostly of the model's width, sometimes ragged or corrupted. */
const nested = (width: number) =>
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.oneof({ weight: 8, arbitrary: fc.constant(width) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) })).chain(([S, T, W]) =>
    fc.array(fc.array(fc.oneof({ weight: 40, arbitrary: fc.array(value, { minLength: W, maxLength: W }) }, { weight: 1, arbitrary: fc.array(value, { maxLength: 3 }) }, { weight: 1, arbitrary: weird }), { minLength: T, maxLength: T }), { minLength: S, maxLength: S }));

/** Time-major Sequences of the same values, written out independently of src/data/arrays.ts. */
function timeMajor(x: number[][][], y?: number[][]): Sequences {
  const S = x.length, T = x[0]!.length;
  const tx = new Float32Array(T * S * I);
  for (let s = 0; s < S; s++) for (let k = 0; k < T; k++) for (let i = 0; i < I; i++) tx[(k * S + s) * I + i] = x[s]![k]![i]!;
  return { samples: S, steps: T, inputSize: I, outputSize: O, x: tx, targets: y ? Float32Array.from(y.flat()) : new Float32Array(S * O) };
}

describe('fuzz: users arrays', () => {
  test('predict on nested or typed inputs equals the time-major predict, or an ElmanError', () => {
    fc.assert(
      fc.property(nested(I), fc.boolean(), (x, typed) => {
        const S = x.length, T = x[0]!.length;
        const input = typed ? { x: { data: x.flat(2) as number[], shape: [S, T, I] } } : x;
        const got = fuzz.run(() => model.predict(input as never) as unknown);
        if (!ok(got)) return;
        const y = model.predict(timeMajor(x as number[][][]));
        if (typed) expect(got).toEqual({ data: y.slice(), shape: [S, O] });
        else expect(got).toEqual(Array.from({ length: S }, (_, s) => Array.from(y.subarray(s * O, (s + 1) * O))));
      }),
      { numRuns: 1500 },
    );
  });

  test('evaluate on nested { x, y } equals evaluate on the time-major Sequences, or an ElmanError', () => {
    fc.assert(
      fc.property(nested(I), fc.array(fc.array(value, { minLength: O, maxLength: O }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 9 }), (x, rows, short) => {
        // One target row per sample, but now and then one too few.
        const y = rows.slice(0, short === 0 ? x.length - 1 : x.length);
        const got = fuzz.run(() => evaluate(model, { x, y } as never, { loss: 'mse', metrics: ['mae'] }));
        if (!ok(got)) return;
        expect(got).toEqual(evaluate(model, timeMajor(x as number[][][], y as number[][]), { loss: 'mse', metrics: ['mae'] }));
      }),
      { numRuns: 1500 },
    );
  });
});
