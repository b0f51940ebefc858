// Untrusted TF.js model files: a valid model.json mutated anywhere (topology, specs, bytes) must load
// or fail with an ElmanError (never a TypeError from deep inside), and never allocate for a claim.
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { init } from '../src/backends/wasm/core.js';
import { ElmanError } from '../src/errors.js';
import { fromTfjs, toTfjs } from '../src/interop/tfjs.js';
import { ElmanRNN } from '../src/models/elman.js';
import type { TfjsArtifacts } from '../src/interop/tfjs-format.js';

beforeAll(() => init());
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261129) });

const model = new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 2, returnSequences: true, seed: 5 });
const valid = toTfjs(model);

/** Every path to a value inside the JSON part of the artifacts (what a model.json file carries). */
function paths(v: unknown, at: string[] = []): string[][] {
  if (typeof v !== 'object' || v === null) return [at];
  return [at, ...Object.keys(v).flatMap((k) => paths((v as Record<string, unknown>)[k], [...at, k]))];
}
const json = { modelTopology: valid.modelTopology, weightSpecs: valid.weightSpecs, userDefinedMetadata: {} };
const all = paths(json).filter((p) => p.length > 0);

const junk = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, -1, 0, 1, 3, 2 ** 31, 1e300, '', 'Dense', 'LSTM', 'float16', 'relu', null, true, [], {}, [null], [2 ** 30, 2 ** 30], { class_name: 'Dense' }),
  fc.string({ maxLength: 6 }),
);

test('mutated TF.js artifacts load or fail with an ElmanError', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...all), fc.oneof(junk, fc.constant(undefined))), { minLength: 1, maxLength: 3 }), fc.oneof(fc.constant(4 * model.params.length), fc.nat(4 * model.params.length + 8)), (edits, bytes) => {
      const file = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
      for (const [path, value] of edits) {
        let target = file;
        for (const k of path.slice(0, -1)) {
          const next = target[k];
          if (typeof next !== 'object' || next === null) break;
          target = next as Record<string, unknown>;
        }
        if (value === undefined) delete target[path.at(-1)!];
        else target[path.at(-1)!] = value;
      }
      const data = (valid.weightData as ArrayBuffer).slice(0, bytes);
      try {
        const { model: loaded } = fromTfjs({ ...(file as unknown as TfjsArtifacts), weightData: data });
        loaded.dispose();
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(ElmanError);
      }
    }),
    { numRuns: 1500 },
  );
});
