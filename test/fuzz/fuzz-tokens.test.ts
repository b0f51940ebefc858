// Fuzz suite: token models (an embedding, class-id targets) and the vocabulary. Each case ends in a
// correct result or an ElmanError: a DataError exactly when some id is not an integer in [0, vocab),
// naming the first such id's sample and step; otherwise finite outputs and loss, both backends
// agreeing. Vocabulary: decode(encode(text)) is the text. The harness (helpers/fuzz.ts) checks the
// arena and two sentinel models after every case.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DataError, RNN, Vocabulary } from '../../src/index.js';
import { fuzzSuite, ok, weird } from '../helpers/fuzz.js';

const fuzz = fuzzSuite('tokens');
const V = 6, O = 4;
const id = (max: number) => fc.oneof({ weight: 80, arbitrary: fc.integer({ min: 0, max: max - 1 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, max, max + 0.5, 0.25, 2 ** 24, NaN, Infinity, -0) });

/** The first id outside [0, max) as checkIds reports it, or undefined. */
const firstBad = (a: Float32Array, samples: number, max: number) => {
  const i = a.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v < max));
  return i < 0 ? undefined : { i, sample: i % samples, step: Math.floor(i / samples) };
};

describe('fuzz: tokens', () => {
  test('ids and class ids: a DataError naming the first bad one, else finite and agreeing on wasm and js', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }), fc.infiniteStream(id(V)), fc.infiniteStream(id(O)), (samples, steps, seed, xs, ts) => {
        const x = Float32Array.from({ length: samples * steps }, () => xs.next().value);
        const targets = Float32Array.from({ length: samples * steps }, () => ts.next().value);
        const data = { samples, steps, inputSize: 1, outputSize: 1, x, targets, targetsPerStep: true };
        // The checks' order: every value finite in float32 (inputs, then targets), then the ids (inputs, then class ids).
        const nonFinite = (a: Float32Array, name: string) => {
          const i = a.findIndex((v) => !Number.isFinite(v));
          return i < 0 ? undefined : `${name}[${i}] must be a finite number`;
        };
        const idError = (a: Float32Array, name: string, max: number) => {
          const b = firstBad(a, samples, max);
          return b && `${name}[${b.i}] must be a token id, an integer in [0, ${max}) (sample ${b.sample}, step ${b.step})`;
        };
        const expected = nonFinite(x, 'data.x') ?? nonFinite(targets, 'data.targets') ?? idError(x, 'data.x', V) ?? idError(targets, 'data.targets', O);
        const results = (['wasm', 'js'] as const).map((backend) => fuzz.run((keep) => {
          const m = keep(new RNN({ inputSize: 1, embedding: { vocab: V, dim: 3 }, layers: [{ cell: 'gru', units: 3 }], outputSize: O, outputActivation: 'softmax', returnSequences: true, seed, backend }));
          return { loss: m.lossAndGrad(data, 'sparseCce').loss, y: m.predict(data) };
        }));
        for (const r of results) {
          if (expected) {
            expect(r).toBeInstanceOf(DataError);
            expect((r as Error).message.startsWith(expected)).toBe(true);
          } else {
            expect(ok(r)).toBe(true);
            if (ok(r)) expect(Number.isFinite(r.loss) && r.y.every(Number.isFinite)).toBe(true);
          }
        }
        const [a, b] = results as [typeof results[0], typeof results[0]];
        if (ok(a) && ok(b)) expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-4 * Math.max(1, a.loss));
      }),
      { numRuns: 120 },
    );
  });

  test('Vocabulary: decode(encode(text)) is the text; anything else is an ElmanError', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) }, { weight: 1, arbitrary: weird }), (text) => {
        const r = fuzz.run(() => {
          const v = Vocabulary.fromText(text as string);
          return { v, again: v.decode(v.encode(text as string)) };
        });
        if (ok(r)) {
          expect(r.again).toBe(text);
          expect([...r.v.symbols].sort()).toEqual([...new Set(text as string)].sort());
        }
      }),
      { numRuns: 200 },
    );
  });
});
