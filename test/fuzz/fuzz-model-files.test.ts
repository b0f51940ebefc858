// Untrusted model files: generated and mutated ElmanRNN JSON must load exactly or fail with an
// ElmanError, never pollute prototypes, never allocate for an oversized claim.
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { core, init } from '../../src/backends/wasm/core.js';
import { ElmanError } from '../../src/errors.js';
import { ElmanRNN, type ElmanJSON } from '../../src/models/elman.js';

import { acceptedShareEach, editPath, note } from '../helpers/fuzz.js';

beforeAll(() => init());
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261129) });
// Single checks, not properties: they count no cases.
const NOT_PROPERTIES = {
  'an oversized claim is refused before anything is allocated': 'not a property',
  'a __proto__ key in a parsed file is an error, and pollutes nothing': 'not a property',
  '10,000 Elman models created, trained one step and disposed keep core memory bounded': 'not a property',
} as const;
acceptedShareEach(0.05, NOT_PROPERTIES);

const valid = (seed: number): ElmanJSON =>
  new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1, activation: 'tanh', outputActivation: 'sigmoid', seed }).toJSON();

function load(json: unknown): ElmanRNN | ElmanError {
  try {
    return note(ElmanRNN.fromJSON(json as ElmanJSON));
  } catch (e) {
    if (e instanceof ElmanError) return note(e);
    throw e;
  }
}

const junk = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -1, 0, 1e9, 4097, '3', null, true, [], {}, [1, 2, 3]), fc.string({ maxLength: 5 }));
const paths = ['format', 'version', 'config', 'config.inputSize', 'config.hiddenSize', 'config.outputSize', 'config.activation', 'config.outputActivation', 'config.returnSequences', 'weights', 'weights.kernel', 'weights.bias', 'weights.outputBias', 'weights.recurrentKernel.0', 'weights.kernel.3', 'config.__proto__', 'weights.__proto__', 'config.constructor', 'config.kernelInitializer'];

test('mutated valid files load to an exact round trip or fail with an ElmanError', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.tuple(fc.constantFrom(...paths), junk), { maxLength: 3 }), (seed, edits) => {
      // JSON text round trip, as a file would arrive; edits land on own keys, including __proto__.
      const file = JSON.parse(JSON.stringify(valid(seed))) as Record<string, unknown>;
      for (const [path, value] of edits) editPath(file, path, value);
      const r = load(file);
      if (r instanceof ElmanRNN) {
        expect(r.params.every(Number.isFinite)).toBe(true);
        expect(JSON.parse(JSON.stringify(r.toJSON()))).toEqual(JSON.parse(JSON.stringify(ElmanRNN.fromJSON(r.toJSON()).toJSON())));
        r.dispose();
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'kernel')).toBe(false);
    }),
    { numRuns: 2000 },
  );
});

test('arbitrary JSON values never crash fromJSON', () => {
  // Valid files among the arbitrary values: the property must see fromJSON accept too.
  fc.assert(
    fc.property(fc.oneof({ weight: 4, arbitrary: fc.jsonValue() }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 1000 }).map((seed) => JSON.parse(JSON.stringify(valid(seed)))) }), (v) => {
      const r = load(v);
      if (!(r instanceof ElmanError)) r.dispose();
    }),
    { numRuns: 2000 },
  );
});

test('an oversized claim is refused before anything is allocated', () => {
  const before = core().arena.bytesInUse;
  const heap = process.memoryUsage().heapUsed;
  const file = { ...valid(1), config: { ...valid(1).config, hiddenSize: 4096 } };
  expect(load(file)).toBeInstanceOf(ElmanError);
  expect(load({ ...valid(1), config: { ...valid(1).config, hiddenSize: 1e9 } })).toBeInstanceOf(ElmanError);
  expect(core().arena.bytesInUse).toBe(before);
  expect(process.memoryUsage().heapUsed - heap).toBeLessThan(16 * 1024 * 1024);
});

test('a __proto__ key in a parsed file is an error, and pollutes nothing', () => {
  const text = JSON.stringify(valid(2)).replace('"config":{', '"config":{"__proto__":{"polluted":1},');
  const r = load(JSON.parse(text));
  expect(r).toBeInstanceOf(ElmanError);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('10,000 Elman models created, trained one step and disposed keep core memory bounded', () => {
  const { arena, exports } = core();
  const m0 = new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 1 });
  const data = { samples: 8, steps: 5, inputSize: 2, outputSize: 1, x: new Float32Array(80).fill(0.5), targets: new Float32Array(8).fill(1) };
  m0.dispose();
  const cycle = (i: number) => {
    const m = new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1, seed: i });
    const b = m.bind(data, { loss: 'mse' });
    b.lossAndGrad();
    m.dispose();
  };
  for (let i = 0; i < 100; i++) cycle(i);
  const memory = exports.memory.buffer.byteLength;
  const inUse = arena.bytesInUse;
  for (let i = 0; i < 10_000; i++) cycle(i);
  expect(exports.memory.buffer.byteLength).toBe(memory);
  expect(arena.bytesInUse).toBe(inUse);
});

const mostly = <T>(valid: fc.Arbitrary<T>, weird: fc.Arbitrary<unknown>) => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: weird });

test('ElmanRNN options, data and losses: a correct result or an ElmanError, never a non-finite number', () => {
  const weird = fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constantFrom(NaN, Infinity, 1.5, 5000, '2', null, undefined, 'tanh', 'relu', 'softmax', 'sigmoid', 'bogus', true));
  fc.assert(
    fc.property(
      // Mostly valid values, some weird: the property must reach lossAndGrad, not only the constructor's refusals.
      fc.record({
        inputSize: mostly(fc.integer({ min: 1, max: 4 }), weird),
        hiddenSize: mostly(fc.integer({ min: 1, max: 6 }), weird),
        outputSize: mostly(fc.integer({ min: 1, max: 3 }), weird),
        activation: mostly(fc.constantFrom('tanh', 'relu', 'sigmoid'), weird),
        outputActivation: mostly(fc.constantFrom('linear', 'sigmoid', 'softmax', 'tanh'), weird),
        returnSequences: fc.constantFrom(true, false, 1),
      }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 5 }),
      fc.constantFrom('mse', 'sse', 'bce', 'cce', 'mae'),
      fc.constantFrom('wasm', 'js'),
      fc.option(fc.constantFrom(NaN, Infinity, 1e30), { freq: 3 }),
      (o, samples, steps, loss, backend, poison) => {
        let model: ElmanRNN;
        try {
          model = new ElmanRNN({ ...(o as object), backend, seed: 3 } as never);
        } catch (e) {
          expect(e).toBeInstanceOf(ElmanError);
          note(e);
          return;
        }
        const I = model.inputSize;
        const O = model.outputSize;
        const x = new Float32Array(samples * steps * I).map((_, i) => Math.sin(i));
        const targets = new Float32Array((model.returnSequences ? steps : 1) * samples * O).map((_, i) => (i % 2) * (O > 1 ? 1 / O : 1));
        if (poison !== null) x[0] = poison;
        try {
          const r = note(model.lossAndGrad({ samples, steps, inputSize: I, outputSize: O, x, targets, targetsPerStep: model.returnSequences }, loss as never));
          expect(Number.isFinite(r.loss)).toBe(true);
          for (const g of Object.values(r.grads)) expect(g.every(Number.isFinite)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(ElmanError);
          note(e);
        } finally {
          model.dispose();
        }
      },
    ),
    { numRuns: 1500 },
  );
});
