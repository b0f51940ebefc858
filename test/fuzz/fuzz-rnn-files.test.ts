// Untrusted RNN files: mutated valid files must load to an exact round trip or fail with an
// ElmanError, never crash with another error, never pollute prototypes, never leave memory held.
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { core, init } from '../../src/backends/wasm/core.js';
import { ElmanError } from '../../src/errors.js';
import { RNN, type RNNJSON } from '../../src/models/rnn.js';

import { acceptedShareEach, editPath, note } from '../helpers/fuzz.js';

beforeAll(() => init());
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261129) });
// A single check, not a property: it counts no cases.
const NOT_PROPERTIES = { 'an oversized claim is refused before anything is allocated': 'not a property' } as const;
acceptedShareEach(0.05, NOT_PROPERTIES);

const valid = (seed: number): RNNJSON =>
  new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 3, resetAfter: seed % 2 === 0 }, { cell: 'lstm', units: 2 }], outputSize: 1, seed, backend: 'js' }).toJSON();

function load(json: unknown): RNN | ElmanError {
  try {
    return note(RNN.fromJSON(json as RNNJSON));
  } catch (e) {
    if (e instanceof ElmanError) return note(e);
    throw e;
  }
}

const junk = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -1, 0, 1e9, 4097, '3', null, true, [], {}, [1, 2, 3], 'hardSigmoid', 'lstm'), fc.string({ maxLength: 5 }));
const paths = [
  'format', 'version', 'config', 'config.inputSize', 'config.outputSize', 'config.layers', 'config.layers.0', 'config.layers.0.cell', 'config.layers.1.units',
  'config.layers.0.resetAfter', 'config.layers.1.recurrentActivation', 'config.layers.0.extra', 'config.outputActivation', 'weights', 'weights.layers', 'weights.layers.0',
  'weights.layers.1.bias', 'weights.layers.0.kernel.2', 'weights.outputKernel', 'weights.outputBias', 'config.__proto__', 'weights.__proto__', 'config.layers.0.__proto__',
];

test('mutated valid RNN files load to an exact round trip or fail with an ElmanError, holding no memory', () => {
  const before = core().arena.bytesInUse;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.tuple(fc.constantFrom(...paths), junk), { maxLength: 3 }), (seed, edits) => {
      const file = JSON.parse(JSON.stringify(valid(seed))) as Record<string, unknown>;
      for (const [path, value] of edits) editPath(file, path, value);
      const r = load(file);
      if (r instanceof RNN) {
        expect(r.params.every(Number.isFinite)).toBe(true);
        const again = RNN.fromJSON(r.toJSON());
        expect(again.params).toEqual(r.params);
        again.dispose();
        r.dispose();
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }),
    { numRuns: 1500 },
  );
  expect(core().arena.bytesInUse).toBe(before);
});

test('arbitrary JSON values never crash RNN.fromJSON', () => {
  // Valid files among the arbitrary values: the property must see fromJSON accept too.
  fc.assert(
    fc.property(fc.oneof({ weight: 4, arbitrary: fc.jsonValue() }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 1000 }).map((seed) => JSON.parse(JSON.stringify(valid(seed)))) }), (v) => {
      const r = load(v);
      if (!(r instanceof ElmanError)) r.dispose();
    }),
    { numRuns: 1500 },
  );
});

test('an oversized claim is refused before anything is allocated', () => {
  const file = JSON.parse(JSON.stringify(valid(1))) as RNNJSON;
  file.config.layers = Array.from({ length: 64 }, () => ({ cell: 'lstm', units: 4096, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false }));
  expect(load(file)).toBeInstanceOf(ElmanError);
  expect(String(load(file))).toMatch(/layers/);
});
