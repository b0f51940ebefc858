// Untrusted TF.js model files: a valid model.json mutated anywhere (topology, specs, bytes) must load
// or fail with an ElmanError (never a TypeError from deep inside), and never allocate for a claim.
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { ElmanError } from '../../src/errors.js';
import { fromTfjs, toTfjs } from '../../src/interop/tfjs.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { RNN } from '../../src/models/rnn.js';
import type { TfjsArtifacts } from '../../src/interop/tfjs-format.js';
import { loadTfjs, saveTfjs, tfjsFiles } from '../../src/interop/tfjs-io.js';
import { Predictor } from '../../src/interop/predictor.js';
import { lossSurface } from '../../src/analysis/surface.js';
import { windows } from '../../src/data/windows.js';
import { countOnes } from '../../src/data/count-ones.js';
import { RandomState } from '../../src/random.js';
import { Scaler } from '../../src/data/scaler.js';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptedShareEach, note } from '../helpers/fuzz.js';

beforeAll(() => init());
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261129) });
acceptedShareEach();

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
        const { model: loaded } = note(fromTfjs({ ...(file as unknown as TfjsArtifacts), weightData: data }));
        loaded.dispose();
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(ElmanError);
        note(e);
      }
    }),
    { numRuns: 1500 },
  );
});

/** The outcome of `fn` (sync or async), noted: a value, or the ElmanError it threw; anything else fails. */
async function outcome<T>(fn: () => T | Promise<T>): Promise<T | ElmanError> {
  try {
    return note(await fn());
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(ElmanError);
    return note(e as ElmanError);
  }
}

// Issue 21's file fields: keras_version, class_name, Keras 3 weight names (model name first),
// userDefinedMetadata's scaler and targets served by Predictor.
test('issue 21 fields: keras_version, class_name, Keras 3 names and served metadata load, serve or fail with an ElmanError', async () => {
  const gru = new RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 2 }], outputSize: 1, seed: 2 });
  const base = toTfjs(gru);
  gru.dispose();
  const odd = fc.constantFrom<unknown>({ toString: 0 }, { valueOf: 1 }, 3, null, undefined, '3.1.0', '2.15.0', 'tfjs-layers 4.22.0', ['3'], '');
  await fc.assert(
    fc.asyncProperty(
      odd,
      fc.option(fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'GRU', 'Dense', 'hasOwnProperty'), { freq: 2 }),
      fc.constantFrom('', 'sequential/', 'model/', 'a/b/'),
      fc.option(fc.record({ scaler: fc.oneof(fc.constant(new Scaler([1], [2]).toJSON()), fc.constant({ format: 'elman.Scaler', version: 1, mean: [1e39], std: [1] })), targets: fc.oneof(fc.constant([]), fc.constant([0]), fc.constant([1]), fc.constant(['0']), fc.constant(undefined)) }, { requiredKeys: [] }), { freq: 2 }),
      fc.constantFrom(0.5, 1e39, -3, 3e38),
      async (version, cls, prefix, metadata, input) => {
        const a = JSON.parse(JSON.stringify({ ...base, weightData: undefined })) as TfjsArtifacts & { modelTopology: { config: { layers: Array<{ class_name: string }> } } };
        if (version === undefined) delete a.modelTopology.keras_version;
        else a.modelTopology.keras_version = version;
        if (cls !== null) a.modelTopology.config.layers[0]!.class_name = cls;
        a.weightSpecs = a.weightSpecs.map((w) => ({ ...w, name: prefix + w.name }));
        if (metadata !== null) a.userDefinedMetadata = metadata;
        const p = await outcome(() => Predictor.load({ ...a, weightData: base.weightData }));
        if (p instanceof ElmanError) return;
        const y = await outcome(() => p.predict([[0.25, input]]) as number[][]);
        if (!(y instanceof ElmanError)) expect(y.flat().every(Number.isFinite)).toBe(true);
        p.dispose();
      },
    ),
    { numRuns: 400 },
  );
});

// Issue 21's weight paths: a model.json file's manifest may name only files beside it.
test("weightsManifest paths: beside model.json loads, '..', absolute and other schemes are refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elman-fuzz-paths-'));
  try {
    const files = tfjsFiles(model);
    mkdirSync(join(dir, 'm', 'sub'), { recursive: true });
    for (const at of ['m/weights.bin', 'm/sub/weights.bin', 'weights.bin']) writeFileSync(join(dir, at), files['weights.bin']);
    const path = fc.oneof(
      fc.constantFrom('weights.bin', './weights.bin', 'sub/weights.bin', 'sub/../weights.bin', '../weights.bin', '../m/weights.bin', join(dir, 'weights.bin'), `file://${join(dir, 'weights.bin')}`, 'http://127.0.0.1:9/w.bin', '//x/w.bin', 'ftp://x/w', 'data:,x', '%2e%2e/weights.bin', 'sub%2f..%2f..%2fweights.bin', 'weights.bin?x=1', '\\weights.bin', ''),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(path, fc.constantFrom(undefined, 'beside', 'anywhere'), async (p, weightPaths) => {
        const json = JSON.parse(files['model.json']);
        json.weightsManifest[0].paths = [p];
        writeFileSync(join(dir, 'm', 'model.json'), JSON.stringify(json));
        const r = await outcome(() => loadTfjs(join(dir, 'm', 'model.json'), weightPaths === undefined ? {} : { weightPaths }));
        if (!(r instanceof ElmanError)) {
          r.model.dispose();
          // Accepted without 'anywhere': the path resolved inside m/.
          if (weightPaths !== 'anywhere') expect(p).not.toMatch(/\.\.|%2e%2e|^[\\/]|^[a-z][a-z0-9+.-]*:/i);
        }
      }),
      { numRuns: 300 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Issue 21 item 8's option keys: known keys with weird values, and misspelled keys, on the options
// objects that used to take any key; a misspelled key is always refused.
test('options of toTfjs, tfjsFiles, saveTfjs, loadTfjs, windows and lossSurface: unknown keys refused, known ones judged', async () => {
  const weirdValue = fc.constantFrom<unknown>(undefined, null, 0, 1, 2, -1, 1.5, NaN, 'js', 'wasm', 'beside', 'anywhere', {}, [], { a: 1 }, { min: 0, max: 1, count: 3 }, [0]);
  const calls: Record<string, { keys: string[]; misspelt: string[]; run: (o: Record<string, unknown>) => unknown }> = {
    toTfjs: { keys: ['metadata'], misspelt: ['metdata', 'meta'], run: (o) => toTfjs(model, o as never) },
    tfjsFiles: { keys: ['metadata'], misspelt: ['metdata'], run: (o) => tfjsFiles(model, o as never) },
    saveTfjs: { keys: ['metadata'], misspelt: ['metdata'], run: (o) => saveTfjs(model, '', o as never) },
    loadTfjs: { keys: ['backend', 'weightPaths'], misspelt: ['backnd', 'weightPath'], run: async (o) => (await loadTfjs(toTfjs(model), o as never)).model.dispose() },
    windows: { keys: ['lookback', 'horizon', 'stride', 'targets'], misspelt: ['horizion', 'lookBack'], run: (o) => windows([1, 2, 3, 4, 5, 6], { lookback: 2, ...o } as never) },
    lossSurface: { keys: ['wx', 'wRec', 'loss', 'backend'], misspelt: ['wRek', 'losss'], run: (o) => lossSurface(countOnes({ samples: 2, length: 3, rng: new RandomState(1) }), o as never) },
  };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(calls)), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.array(weirdValue, { minLength: 4, maxLength: 4 }), async (name, count, misspell, values) => {
      const c = calls[name]!;
      const o: Record<string, unknown> = {};
      for (let i = 0; i < count && i < c.keys.length; i++) if (values[i] !== undefined) o[c.keys[i]!] = values[i];
      if (misspell) o[c.misspelt[values.length % c.misspelt.length]!] = values[3];
      const r = await outcome(() => c.run(o));
      if (misspell) {
        expect(r).toBeInstanceOf(ElmanError);
        if (name !== 'saveTfjs') expect((r as ElmanError).argument).toMatch(/\.(metdata|meta|backnd|weightPath|horizion|lookBack|wRek|losss)$/);
      }
    }),
    { numRuns: 600 },
  );
});
