// Fuzz suite, part 1: every public entry point that is not a model or the training loop (data,
// random numbers, initialisers, optimizers, scoring, scan, analyses, plot specs, core loading), fed
// generated arguments, good and bad. Each case ends in a correct result (checked against a property
// that holds independently of the code) or an ElmanError; the harness (helpers/fuzz.ts) checks the
// arena and two sentinel models after every case. Prints one summary line with the count and time.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { core, setDefaultModule } from '../../src/backends/wasm/core.js';
import * as plots from '../../src/plots/index.js';
import * as elman from '../../src/index.js';
import { ElmanError, RandomState, type Sequences } from '../../src/index.js';
import { fuzzSuite, ok, weird } from '../helpers/fuzz.js';

// Accepted shares under 5% by design (most generated calls are malformed): floors at about half the share seen.
const fuzz = fuzzSuite('entry points', { 'scan with malformed arguments': 0.005, 'plot specs from generated series and options': 0.001 });

/** Mostly small valid sizes, sometimes something else. */
const size = (max: number) => fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max }) }, { weight: 1, arbitrary: weird });
const rng = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((s) => new RandomState(s)) }, { weight: 1, arbitrary: weird });
const binary = (a: ArrayLike<number>) => Array.prototype.every.call(a, (v: number) => v === 0 || v === 1);

describe('the harness itself', () => {
  test('fails a case that leaks arena memory, or that changes a sentinel model\'s result', () => {
    const { arena } = core();
    let leaked = -1;
    expect(() => fuzz.run(() => (leaked = arena.alloc(64, 'leak')))).toThrow(/arena bytes in use/);
    arena.release(leaked);
    // Scribble over every block in use (the sentinels' data among them), then put memory back.
    const bytes = new Uint8Array(arena.memory.buffer);
    const saved = bytes.slice();
    expect(() =>
      fuzz.run(() => {
        const f32 = arena.f32;
        for (let i = (arena.base + 15) >>> 2; i < saved.length >>> 2; i++) if (f32[i] !== 0) f32[i] = f32[i]! * 1.5;
      }),
    ).toThrow(/sentinel/);
    new Uint8Array(arena.memory.buffer).set(saved);
    expect(fuzz.run(() => 1)).toBe(1);
  });
});

describe('fuzz: data, random numbers, initialisers', () => {
  test('generators: a well-formed data set with the task\'s invariant, or an ElmanError', () => {
    fc.assert(
      fc.property(fc.constantFrom('countOnes', 'binaryAddition', 'sineWave', 'parity'), size(12), size(10), rng, fc.oneof(fc.constant(undefined), weird), (task, samples, length, r, noise) => {
        const d = fuzz.run(() => {
          if (task === 'countOnes') return elman.countOnes({ samples, length, rng: r } as never);
          if (task === 'binaryAddition') return elman.binaryAddition({ samples, bits: length, rng: r } as never);
          if (task === 'sineWave') return elman.sineWave({ samples, length, rng: r, noise } as never);
          return elman.parity({ samples, length, rng: r } as never);
        });
        if (!ok(d)) return;
        expect(elman.checkSequences(d)).toBe(d);
        if (task !== 'sineWave') expect(binary(d.x)).toBe(true);
        if (task === 'countOnes') for (let n = 0; n < d.samples; n++) expect(d.targets[n]).toBe(Array.from({ length: d.steps }, (_, k) => d.x[k * d.samples + n]!).reduce((a, b) => a + b, 0));
        if (task === 'parity') for (let n = 0; n < d.samples; n++) {
          let acc = 0;
          for (let k = 0; k < d.steps; k++) expect(d.targets[k * d.samples + n]).toBe((acc ^= d.x[k * d.samples + n]!));
        }
      }),
      { numRuns: 12_000 },
    );
  });

  test('timeMajor, countOnesFrom, checkSequences, sliceSamples on generated arrays', () => {
    const row = fc.oneof({ weight: 5, arbitrary: fc.array(fc.constantFrom(0, 1), { minLength: 0, maxLength: 6 }) }, { weight: 1, arbitrary: fc.array(weird, { maxLength: 4 }) }, { weight: 1, arbitrary: weird });
    fc.assert(
      fc.property(fc.oneof({ weight: 5, arbitrary: fc.array(row, { maxLength: 5 }) }, { weight: 1, arbitrary: weird }), fc.tuple(weird, weird), (rows, [from, to]) => {
        const t = fuzz.run(() => elman.timeMajor(rows as never));
        const c = fuzz.run(() => elman.countOnesFrom(rows as never));
        if (ok(t)) {
          const r = rows as number[][];
          for (let n = 0; n < t.samples; n++) for (let k = 0; k < t.steps; k++) expect(t.x[k * t.samples + n]).toBe(Math.fround(r[n]![k]!));
        }
        if (ok(c)) {
          expect(binary(c.x)).toBe(true);
          const s = fuzz.run(() => elman.sliceSamples(c, from as never, to as never));
          if (ok(s)) expect(s.samples).toBe((to as number) - (from as number));
          const whole = fuzz.run(() => elman.sliceSamples(c, 0, c.samples));
          expect(whole).toEqual(c);
        }
        fuzz.run(() => elman.checkSequences(rows as never));
      }),
      { numRuns: 5000 },
    );
  });

  test('checkSequences on perturbed data sets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom('samples', 'steps', 'inputSize', 'outputSize', 'x', 'targets', 'targetsPerStep', 'xValue', 'tValue'), weird, (samples, steps, field, value) => {
        const data: Record<string, unknown> = { samples, steps, inputSize: 1, outputSize: 1, x: new Float32Array(samples * steps), targets: new Float32Array(samples) };
        if (field === 'xValue') (data.x as Float32Array)[0] = Number(value);
        else if (field === 'tValue') (data.targets as Float32Array)[0] = Number(value);
        else data[field] = value;
        const r = fuzz.run(() => elman.checkSequences(data as unknown as Sequences));
        if (ok(r)) expect((r.x as Float32Array).every(Number.isFinite) && r.targets.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 8000 },
    );
  });

  test('RandomState: numbers in range, or an ElmanError', () => {
    fc.assert(
      fc.property(weird, weird, weird, weird, (seed, n, low, high) => {
        const r = fuzz.run(() => new RandomState(seed as never));
        if (!ok(r)) return;
        const u = fuzz.run(() => r.uniform(low as never, high as never));
        if (ok(u)) {
          const [lo, hi] = [Math.min(low as number, high as number), Math.max(low as number, high as number)];
          expect(u >= lo && u <= hi).toBe(true);
        }
        const a = fuzz.run(() => r.rand(n as never));
        if (ok(a)) expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
        fuzz.run(() => r.setState({ version: 1, key: seed, pos: n } as never));
        fuzz.run(() => r.setState(seed as never));
        const state = r.getState();
        const next = r.randint32();
        r.setState(state);
        expect(r.randint32()).toBe(next);
      }),
      { numRuns: 6000 },
    );
  });

  test('glorotUniform and orthogonal: in bounds and orthonormal, or an ElmanError before any work', () => {
    fc.assert(
      fc.property(rng, size(7), size(7), (r, rows, cols) => {
        const g = fuzz.run(() => elman.glorotUniform(r as never, rows as never, cols as never));
        if (ok(g)) {
          expect(g.length).toBe((rows as number) * (cols as number));
          const limit = Math.sqrt(6 / ((rows as number) + (cols as number)));
          expect(g.every((v) => Math.abs(v) <= limit)).toBe(true);
        }
        const q = fuzz.run(() => elman.orthogonal(r as never, rows as never, cols as never));
        if (ok(q)) {
          const [R, C] = [rows as number, cols as number];
          const [m, byCols] = R >= C ? [C, true] : [R, false];
          for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
            let dot = 0;
            for (let i = 0; i < (byCols ? R : C); i++) dot += byCols ? q[i * C + a]! * q[i * C + b]! : q[a * C + i]! * q[b * C + i]!;
            expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-12);
          }
        }
      }),
      { numRuns: 6000 },
    );
  });
});

describe('fuzz: optimizers', () => {
  const names = [...Object.keys(elman.OPTIMIZERS), 'sgdx', '__proto__', 'toString'];
  const keys = ['lr', 'momentum', 'rho', 'eps', 'beta1', 'beta2', 'initialStep', 'etaPlus', 'etaMinus', 'nesterov', 'stepMax', 'stepMin', 'centered', 'bogus'];
  test('createOptimizer, step, getState and setState: finite updates or an ElmanError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.dictionary(fc.constantFrom(...keys), weird, { maxKeys: 3 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 }), weird, (name, config, n, g, junk) => {
        const o = fuzz.run(() => elman.createOptimizer(name as never, config as never));
        if (!ok(o)) return;
        const params = new Float32Array(n).fill(0.5);
        const grads = Float32Array.from({ length: n }, (_, i) => g[i % g.length]!);
        const stepped = fuzz.run(() => o.step(params, grads));
        if (ok(stepped)) expect(o.iterations).toBe(1);
        const state = o.getState();
        // A refused call leaves the state exactly as it was; an accepted setState is undone for the next one.
        const attempt = (fn: () => void) => {
          const r = fuzz.run(fn);
          if (ok(r)) o.setState(state);
          expect(o.getState()).toEqual(state);
        };
        attempt(() => o.step(params, new Float32Array(n + 1)));
        attempt(() => o.setState(junk as never));
        attempt(() => o.setState({ ...state, step: junk } as never));
        attempt(() => o.setState({ ...state, slots: junk } as never));
        attempt(() => o.setState({ ...state, slots: Object.fromEntries(Object.keys(state.slots).map((k) => [k, junk])) } as never));
      }),
      { numRuns: 6000 },
    );
  });
});

describe('fuzz: scoring, scan, analyses and plot specs', () => {
  test('accuracy: counts in [0, 1] that match a direct count, or an ElmanError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: -2, max: 2 }), fc.oneof(fc.constantFrom('round', 'threshold'), weird), fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: weird }), (samples, steps, off, scoring, badData) => {
        const d = elman.parity({ samples, length: steps, rng: new RandomState(samples * 7 + steps) });
        const y = new Float32Array(Math.max(0, d.targets.length + (off === 2 ? 0 : off))).map((_, i) => (i % 3) / 2);
        const r = fuzz.run(() => elman.accuracy(y, (badData ?? d) as never, scoring as never));
        if (!ok(r)) return;
        let right = 0;
        for (let i = 0; i < y.length; i++) if ((scoring === 'round' ? Math.round(y[i]!) : y[i]! >= 0.5 ? 1 : 0) === d.targets[i]) right++;
        expect(r.perValue).toBe(right / y.length);
        expect(r.perSequence >= 0 && r.perSequence <= 1).toBe(true);
      }),
      { numRuns: 6000 },
    );
  });

  test('scan with malformed arguments', () => {
    fc.assert(
      fc.property(fc.array(weird, { maxLength: 3 }), fc.array(weird, { maxLength: 2 }), weird, (sequences, outputsInfo, nSteps) => {
        fuzz.run(() => elman.scan({ fn: (...a: unknown[]) => a[0], sequences: sequences as never, outputsInfo: outputsInfo as never, nSteps: nSteps as never }));
        fuzz.run(() => elman.scan(sequences as never));
      }),
      { numRuns: 6000 },
    );
  });

  test('lossSurface and gradientFlow: finite values on both backends, or an ElmanError', () => {
    const data = elman.countOnes({ samples: 4, length: 5, rng: new RandomState(2) });
    fc.assert(
      fc.property(fc.record({ min: weird, max: weird, count: fc.oneof(fc.integer({ min: 1, max: 6 }), weird) }, { requiredKeys: [] }), fc.constantFrom('wasm', 'js', 'gpu', undefined), fc.constantFrom('sse', 'mse', 'bce', undefined), weird, weird, (axis, backend, loss, wx, wRec) => {
        const s = fuzz.run(() => elman.lossSurface(data, { wx: axis as never, backend: backend as never, loss: loss as never, wRec: { min: -1, max: 1, count: 3 } }));
        if (ok(s)) expect(s.loss.every((v) => v >= 0 && !Number.isNaN(v))).toBe(true);
        const g = fuzz.run(() => elman.gradientFlow(data, { wx, wRec } as never, loss as never));
        if (ok(g)) expect(g.every((v) => !Number.isNaN(v))).toBe(true);
        fuzz.run(() => elman.lossSurface(axis as never));
      }),
      { numRuns: 5000 },
    );
  });

  test('plot specs from generated series and options', () => {
    const series = fc.oneof({ weight: 3, arbitrary: fc.array(fc.record({ name: fc.oneof(fc.string({ maxLength: 3 }), weird), loss: fc.oneof(fc.array(weird, { maxLength: 4 }), weird), grad: fc.oneof(fc.array(weird, { maxLength: 4 }), weird) }), { maxLength: 3 }) }, { weight: 1, arbitrary: weird });
    const options = fc.oneof(fc.record({ log: weird, title: weird, width: weird, height: weird }, { requiredKeys: [] }), weird);
    fc.assert(
      fc.property(series, options, (s, o) => {
        for (const make of [plots.lossCurveSpec, plots.gradientFlowSpec]) {
          const spec = fuzz.run(() => make(s as never, o as never));
          if (ok(spec)) expect(JSON.parse(JSON.stringify(spec))).toBeTypeOf('object');
        }
        const surface = { wx: Float64Array.of(0, 1), wRec: Float64Array.of(0, 1), loss: Float32Array.of(1, 2, 3, 4) };
        fuzz.run(() => plots.lossSurfaceSpec(s as never, o as never));
        fuzz.run(() => plots.lossSurfaceSpec(surface, s as never, o as never));
      }),
      { numRuns: 5000 },
    );
  });

  test('core loading: init, initSync and setDefaultModule with any source', async () => {
    await fc.assert(
      fc.asyncProperty(weird, async (source) => {
        fuzz.run(() => setDefaultModule(source as never));
        fuzz.run(() => elman.initSync(source as never));
        await fuzz.runAsync(() => elman.init(source as never));
        expect(elman.isInitialized()).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
