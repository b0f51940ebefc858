// Fuzz suite, part 3: time series and serving (windows, windowCount, splitByTime, Scaler,
// noisySignal, checkInputs, Predictor, toTfjs/fromTfjs/tfjsFiles round trips). Each case ends in a
// correct result (checked against a property independent of the code) or an ElmanError; the harness
// (helpers/fuzz.ts) checks the arena and two sentinel models after every case. Prints a summary line.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as elman from '../../src/index.js';
import { ElmanRNN, RandomState } from '../../src/index.js';
import { fuzzSuite, ok, weird } from '../helpers/fuzz.js';

// Accepted shares under 5% by design (most generated arguments are malformed): floors at about half the share seen.
const fuzz = fuzzSuite('series and serving', {
  'windowCount and splitByTime with any arguments': 0.001,
  'noisySignal: finite values of the asked length, or an ElmanError': 0.01,
});
const often = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: weird });
const series = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 0, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 3 }).chain((w) => fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: w, maxLength: w }), { minLength: 0, maxLength: 16 })) },
  { weight: 1, arbitrary: fc.array(weird, { maxLength: 6 }) },
  { weight: 1, arbitrary: weird },
);

describe('fuzz: time series', () => {
  test('windows and windowCount agree; every window is a slice of the series; or an ElmanError', () => {
    fc.assert(
      fc.property(series, often(fc.integer({ min: 1, max: 6 })), fc.option(often(fc.integer({ min: 1, max: 3 }))), fc.option(often(fc.integer({ min: 1, max: 3 }))), (s, lookback, horizon, stride) => {
        const w = fuzz.run(() => elman.windows(s as never, { lookback, ...(horizon === null ? {} : { horizon }), ...(stride === null ? {} : { stride }) } as never));
        if (!ok(w)) return;
        // Series are rows[s][t]: one array is one series; samples read every series at each step.
        const rows = (typeof (s as unknown[])[0] === 'object' ? s : [s]) as number[][];
        const step = (stride ?? 1) as number;
        expect(w.samples).toBe(elman.windowCount(rows[0]!.length, lookback as number, (horizon ?? 1) as number, step));
        expect(w.steps).toBe(lookback);
        expect(w.inputSize).toBe(rows.length);
        // Sample n, step k, input s is series s at time n·stride + k.
        for (let n = 0; n < w.samples; n++) for (let k = 0; k < w.steps; k++) for (let i = 0; i < w.inputSize; i++) {
          expect(w.x[(k * w.samples + n) * w.inputSize + i]).toBe(Math.fround(rows[i]![n * step + k]!));
        }
      }),
      { numRuns: 8000 },
    );
  });

  test('windowCount and splitByTime with any arguments', () => {
    fc.assert(
      fc.property(weird, weird, weird, weird, series, (a, b, c, d, s) => {
        const n = fuzz.run(() => elman.windowCount(a as never, b as never, c as never, d as never));
        if (ok(n)) expect(Number.isInteger(n) && n >= 0).toBe(true);
        const split = fuzz.run(() => elman.splitByTime(s as never, a as never, b as never));
        // Train is steps [0, at), test is [at − lookback, end): together they cover the series, overlapping by lookback.
        if (ok(split)) split.train.forEach((row, k) => expect(row.length + split.test[k]!.length - (b as number)).toBe(((typeof (s as unknown[])[0] === 'object' ? s : [s]) as number[][])[k]!.length));
      }),
      { numRuns: 8000 },
    );
  });

  test('Scaler: fit, transform and inverse round-trip; JSON round-trips; or an ElmanError', () => {
    fc.assert(
      fc.property(series, fc.option(weird), fc.array(weird, { maxLength: 3 }), fc.array(weird, { maxLength: 3 }), (s, until, mean, std) => {
        const scaler = fuzz.run(() => (until === null ? elman.Scaler.fit(s as never) : elman.Scaler.fit(s as never, until as never)));
        if (ok(scaler)) {
          const t = fuzz.run(() => scaler.transform(s as never));
          if (ok(t)) {
            // inverse(transform(series s), s) gives series s back, to rounding.
            const rows = (typeof (s as unknown[])[0] === 'object' ? s : [s]) as number[][];
            t.forEach((scaled, k) => {
              const back = scaler.inverse(scaled.slice(), k);
              // To rounding at the series' own scale (a large mean leaves few bits for small values).
              const scale = Math.max(1, scaler.std[k]!, Math.abs(scaler.mean[k]!));
              back.forEach((v, i) => expect(Math.abs(v - rows[k]![i]!)).toBeLessThanOrEqual(1e-9 * scale));
            });
          }
          const again = fuzz.run(() => elman.Scaler.fromJSON(JSON.parse(JSON.stringify(scaler.toJSON()))));
          if (ok(again)) expect(again.toJSON()).toEqual(scaler.toJSON());
        }
        fuzz.run(() => new elman.Scaler(mean as never, std as never));
        fuzz.run(() => elman.Scaler.fromJSON({ mean, std } as never));
      }),
      { numRuns: 6000 },
    );
  });

  test('noisySignal: finite values of the asked length, or an ElmanError', () => {
    fc.assert(
      fc.property(often(fc.integer({ min: 1, max: 64 })), fc.option(fc.array(weird, { maxLength: 3 })), fc.option(fc.array(weird, { maxLength: 3 })), fc.option(weird), (length, frequencies, amplitudes, noise) => {
        const o: Record<string, unknown> = { length, rng: new RandomState(3) };
        if (frequencies) o.frequencies = frequencies;
        if (amplitudes) o.amplitudes = amplitudes;
        if (noise !== null) o.noise = noise;
        const v = fuzz.run(() => elman.noisySignal(o as never));
        if (ok(v)) {
          expect(v.length).toBe(length);
          expect(v.every(Number.isFinite)).toBe(true);
        }
      }),
      { numRuns: 6000 },
    );
  });

  test('checkInputs on perturbed inputs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom('samples', 'steps', 'inputSize', 'x', 'xValue', 'none'), weird, (samples, steps, field, value) => {
        const data: Record<string, unknown> = { samples, steps, inputSize: 1, x: new Float32Array(samples * steps) };
        if (field === 'xValue') (data.x as Float32Array)[0] = Number(value);
        else if (field !== 'none') data[field] = value;
        const r = fuzz.run(() => elman.checkInputs(data as never));
        if (ok(r)) expect(r.x.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 6000 },
    );
  });
});

describe('fuzz: serving and interchange', () => {
  test('Predictor.of(model).predict on nested sequences: the model\'s own predict, or an ElmanError', () => {
    fc.assert(
      fc.property(fc.constantFrom('wasm', 'js'), fc.boolean(), fc.oneof({ weight: 4, arbitrary: fc.array(fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(fc.array(weird, { maxLength: 3 }), { maxLength: 3 }) }, { weight: 1, arbitrary: weird }), (backend, seq, sequences) => {
        fuzz.run((keep) => {
          const model = keep(new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1, returnSequences: seq, backend, seed: 4 }));
          const predictor = elman.Predictor.of(model);
          const y = fuzz.run(() => predictor.predict(sequences as never));
          if (!ok(y)) return;
          const rows = sequences as number[][][];
          const steps = rows[0]!.length;
          if (rows.some((r) => r.length !== steps)) return; // a ragged batch may be predicted row by row
          const x = new Float32Array(rows.length * steps * 2);
          rows.forEach((r, n) => r.forEach((v, k) => x.set(v, (k * rows.length + n) * 2)));
          const direct = model.predict({ samples: rows.length, steps, inputSize: 2, x } as never);
          expect(y.flat(2)).toHaveLength(direct.length);
        });
      }),
      { numRuns: 3000 },
    );
  });

  test('toTfjs then fromTfjs reproduces any model exactly; fromTfjs with junk options is an ElmanError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom('linear', 'tanh', 'relu', 'sigmoid'), fc.constantFrom('linear', 'sigmoid', 'softmax'), fc.boolean(), fc.option(fc.dictionary(fc.constantFrom('backend', 'bogus', 'inputSize'), weird, { maxKeys: 2 })), (I, H, O, activation, outputActivation, returnSequences, options) => {
        fuzz.run((keep) => {
          const model = keep(new ElmanRNN({ inputSize: I, hiddenSize: H, outputSize: O, activation, outputActivation, returnSequences, seed: I * 16 + H * 4 + O }));
          const files = elman.tfjsFiles(model);
          expect(files['model.json'].length).toBeGreaterThan(0);
          const back = fuzz.run((keepToo) => keepToo(elman.fromTfjs(elman.toTfjs(model), (options ?? undefined) as never).model));
          if (ok(back)) expect(back.toJSON()).toEqual(model.toJSON());
        });
      }),
      { numRuns: 3000 },
    );
  });
});
