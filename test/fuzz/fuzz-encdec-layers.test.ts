// Fuzz: random layer lists of recurrent, { repeatVector } and { bidirectional } entries (now and then
// a wrong value or a misplaced entry). Each either builds a model whose js and wasm predictions agree
// and have the decoder's shape, or throws a ConfigError naming an entry of the list (`layers[j]…`)
// with j a real index; a minimum share of the lists must be accepted, so a constructor that refused
// everything would fail here.
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { CELLS, ConfigError, init, RNN, type LayerEntry } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

const weird = fc.constantFrom<unknown>(0, -1, 2.5, '3', null, undefined, {}, [], 'mul', true, Number.NaN);
const recurrent = fc.record({
  cell: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...CELLS) }, { weight: 1, arbitrary: weird }),
  units: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: weird }),
  returnSequences: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.boolean() }, { weight: 1, arbitrary: weird }),
}).map((l) => Object.fromEntries(Object.entries(l).filter(([k, v]) => !(k === 'returnSequences' && v === undefined))));
const entry = fc.oneof(
  { weight: 6, arbitrary: recurrent },
  { weight: 3, arbitrary: fc.record({ repeatVector: fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: weird }) }) },
  { weight: 3, arbitrary: fc.record({ bidirectional: recurrent, merge: fc.oneof({ weight: 10, arbitrary: fc.constantFrom('concat', 'sum', undefined) }, { weight: 1, arbitrary: weird }) }) },
);

test('random layer lists build models the two backends agree on, or are refused by entry', () => {
  let accepted = 0, cases = 0;
  fc.assert(
    fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), fc.constantFrom(true, false, undefined), (layers, seq) => {
      cases++;
      const make = (backend: 'js' | 'wasm') => new RNN({ inputSize: 2, outputSize: 2, layers: layers as LayerEntry[], seed: 1, backend, ...(seq !== undefined && { returnSequences: seq }) });
      let js: RNN;
      try {
        js = make('js');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        const m = /^layers\[(\d+)\]/.exec((error as ConfigError).message);
        expect(m, (error as Error).message).not.toBeNull();
        expect(Number(m![1])).toBeLessThan(layers.length);
        return;
      }
      accepted++;
      const wasm = make('wasm');
      const x = Float32Array.from({ length: 3 * 2 * 2 }, (_, i) => Math.sin(i));
      const a = js.predict({ x, samples: 2, steps: 3 }), b = wasm.predict({ x, samples: 2, steps: 3 });
      expect(a.length).toBe(js.outputSteps(3) * 2 * 2);
      a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5));
      js.dispose();
      wasm.dispose();
    }),
    { numRuns: 300, seed: 19 },
  );
  console.log(`fuzz encoder–decoder layer lists: ${cases} cases, ${accepted} accepted`);
  expect(accepted / cases).toBeGreaterThan(0.2); // 81 of 300 with this seed
});
