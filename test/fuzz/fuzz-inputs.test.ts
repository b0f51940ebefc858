// Property tests: thousands of generated inputs, good and bad, against every public entry point of
// the counter. Each must end in a correct result or an ElmanError: never another exception, a hang,
// or a non-finite number handed back.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { lossSurface } from '../../src/analysis/surface.js';
import { init } from '../../src/backends/wasm/core.js';
import { main } from '../../src/cli/main.js';
import { countOnes, countOnesFrom } from '../../src/data/count-ones.js';
import type { Sequences } from '../../src/data/sequences.js';
import { DivergenceError, ElmanError } from '../../src/errors.js';
import { LinearRNN } from '../../src/models/linear.js';
import { createOptimizer, OPTIMIZER_SPECS } from '../../src/optimizers/index.js';
import { RandomState } from '../../src/random.js';
import { scan } from '../../src/scan.js';
import { trainSync } from '../../src/training/train.js';
import { acceptedShareEach, note } from '../helpers/fuzz.js';

beforeAll(() => init());

// A fixed seed keeps CI reproducible; FC_SEED=<n> explores other cases (a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261129) });
// Accepted shares under 5% by design (most generated calls are malformed): floors at about half the share seen.
acceptedShareEach(0.05, { 'countOnes, countOnesFrom, RandomState and lossSurface': 0.01, 'scan with malformed arguments': 0.01 });

/** Runs `fn`; an ElmanError is an accepted outcome, anything else thrown fails the property. */
function outcome<T>(fn: () => T): T | ElmanError {
  try {
    return note(fn());
  } catch (e) {
    if (e instanceof ElmanError) return note(e);
    throw e;
  }
}

const RUNS = 1000;
const weird = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 2 ** 32, -(2 ** 31), Number.MAX_VALUE),
  fc.integer({ min: -5, max: 40 }),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(null, undefined, true, [], {}, [1, 0], new Float32Array(3)),
);

/** Sequences-like objects: mostly consistent, with one field perturbed some of the time. */
const sequences = fc
  .record({
    samples: fc.integer({ min: 1, max: 40 }),
    steps: fc.integer({ min: 1, max: 12 }),
    binary: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
    poison: fc.option(fc.record({ field: fc.constantFrom('samples', 'steps', 'inputSize', 'outputSize', 'x', 'targets', 'xValue', 'tValue'), value: weird }), { freq: 2 }),
  })
  .map(({ samples, steps, binary, seed, poison }) => {
    const rng = new RandomState(seed);
    const x = new Float32Array(samples * steps);
    for (let i = 0; i < x.length; i++) x[i] = binary ? (rng.randomSample() > 0.5 ? 1 : 0) : rng.uniform(-2, 2);
    const targets = new Float32Array(samples);
    for (let i = 0; i < samples; i++) targets[i] = rng.uniform(-5, 5);
    const data: Record<string, unknown> = { samples, steps, inputSize: 1, outputSize: 1, x, targets };
    if (poison) {
      if (poison.field === 'xValue') x[seed % x.length] = Number(poison.value);
      else if (poison.field === 'tValue') targets[seed % samples] = Number(poison.value);
      else data[poison.field] = poison.value;
    }
    return data as unknown as Sequences;
  });

describe('property: the counter never crashes, hangs or returns non-finite numbers', () => {
  test('LinearRNN options', () => {
    fc.assert(
      fc.property(fc.record({ wx: weird, wRec: weird, backend: fc.constantFrom('wasm', 'js', 'gpu', undefined, 3), simd: fc.constantFrom(true, false, undefined, 'yes') }, { requiredKeys: [] }), (o) => {
        const r = outcome(() => new LinearRNN(o as never));
        if (r instanceof LinearRNN) expect(Number.isFinite(r.params[0]) && Number.isFinite(r.params[1])).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  test('lossAndGrad and forwardStates on generated data agree across backends or throw typed errors', () => {
    fc.assert(
      fc.property(sequences, fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -1.1, max: 1.1, noNaN: true }), fc.constantFrom('sse', 'mse'), (data, wx, wRec, loss) => {
        const wasm = outcome(() => new LinearRNN({ wx, wRec }).lossAndGrad(data, loss));
        const js = outcome(() => new LinearRNN({ wx, wRec, backend: 'js' }).lossAndGrad(data, loss));
        if (wasm instanceof ElmanError || js instanceof ElmanError) {
          expect(wasm instanceof ElmanError && js instanceof ElmanError && wasm.constructor === js.constructor).toBe(true);
          return;
        }
        for (const v of [wasm.loss, wasm.grads.wx, wasm.grads.wRec]) expect(Number.isFinite(v)).toBe(true);
        expect(Math.abs(wasm.loss - js.loss)).toBeLessThanOrEqual(1e-4 * Math.max(1, js.loss));
        const S = outcome(() => new LinearRNN({ wx, wRec }).forwardStates(data));
        if (!(S instanceof ElmanError)) expect(S.data.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  test('training with any optimizer config ends in finite weights, a DivergenceError with finite weights, or a ConfigError', () => {
    const data = countOnes({ samples: 8, length: 6, rng: new RandomState(5) });
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(OPTIMIZER_SPECS), 'sgdx'),
        fc.dictionary(fc.constantFrom('lr', 'momentum', 'rho', 'eps', 'beta1', 'beta2', 'initialStep', 'etaPlus', 'etaMinus', 'nesterov', 'stepMax'), weird, { maxKeys: 3 }),
        fc.integer({ min: -2, max: 60 }),
        fc.constantFrom('wasm', 'js'),
        (name, config, epochs, backend) => {
          const model = new LinearRNN({ wx: 0.3, wRec: 0.7, backend });
          const r = outcome(() => trainSync(model, data, { optimizer: createOptimizer(name, config as never), epochs, loss: 'mse' }));
          expect(Number.isFinite(model.params[0]) && Number.isFinite(model.params[1])).toBe(true);
          if (r instanceof DivergenceError) expect([...r.weights].every(Number.isFinite)).toBe(true);
          if (!(r instanceof ElmanError)) expect(r.loss.every(Number.isFinite)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('countOnes, countOnesFrom, RandomState and lossSurface', () => {
    fc.assert(
      fc.property(weird, weird, weird, fc.array(fc.array(weird, { maxLength: 5 }), { maxLength: 4 }), (a, b, c, rows) => {
        const d = outcome(() => countOnes({ samples: a, length: b, rng: new RandomState(1) } as never));
        if (!(d instanceof ElmanError)) expect(d.targets.every((t, n) => t >= 0 && t <= d.steps && Number.isInteger(t) && n < d.samples)).toBe(true);
        const e = outcome(() => countOnesFrom(rows as never));
        if (!(e instanceof ElmanError)) expect(e.x.every((v) => v === 0 || v === 1)).toBe(true);
        outcome(() => new RandomState(c as never).uniform(a as never, b as never));
        const s = outcome(() => lossSurface(countOnes({ samples: 3, length: 4, rng: new RandomState(2) }), { wx: { min: a, max: b, count: c } as never }));
        if (!(s instanceof ElmanError)) expect(s.loss.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  test('scan with malformed arguments', () => {
    fc.assert(
      fc.property(fc.array(weird, { maxLength: 3 }), fc.array(weird, { maxLength: 2 }), weird, (sequences, outputsInfo, nSteps) => {
        outcome(() => scan({ fn: (...a: unknown[]) => a[0], sequences: sequences as never, outputsInfo: outputsInfo as never, nSteps: nSteps as never }));
      }),
      { numRuns: RUNS },
    );
  });

  test('the CLI exits 0, 1 or 2 with one error line, whatever the argv', async () => {
    const flags = ['train', '--lr', '--epochs', '--samples', '--length', '--optimizer', '--loss', '--init', '--backend', '--seed', '--json', '--rho', '--eta-plus', '--bogus', 'help'];
    const values = ['1', '0', '-1', '1e-3', 'NaN', 'abc', '2.5', 'sgd', 'rprop', 'mse', '1,1', '-1.5,2', '', 'js', '3'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...flags), fc.constantFrom(...values)), { maxLength: 8 }), async (tail) => {
        const argv = ['train', ...tail, '--epochs', '3'];
        const err: string[] = [];
        const code = await main(argv, () => {}, (l) => err.push(l));
        note(code === 0 ? code : new ElmanError(err.join(' '), 'argv', argv));
        expect([0, 1, 2]).toContain(code);
        if (code !== 0) expect(err).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});
