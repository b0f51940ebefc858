// Issue 21, items 1, 3, 4, 5, 6 and 11 (the CLI's model file): untrusted model files and sources,
// through the package entry (dist/index.js) and the CLI (dist/cli/main.js). Every refusal is an
// ElmanError naming the field, before any file outside the model's folder is read.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as elman from '../../dist/index.js';
import { serveStatic } from '../helpers/static-server.js';

const { ElmanError, ElmanRNN, RNN, Predictor, init, loadTfjs, saveTfjs, tfjsFiles, toTfjs, fromTfjs, Scaler } = elman;
const root = resolve(import.meta.dirname, '../..');
const fixtures = join(root, 'test/fixtures/keras3');

/** The ElmanError a promise rejects with (anything else fails), checked to name `argument`. */
async function refused(p: Promise<unknown>, argument: string | RegExp): Promise<InstanceType<typeof ElmanError>> {
  const error = await p.then(
    () => expect.fail('expected an ElmanError, but it resolved'),
    (e: unknown) => e,
  );
  if (!(error instanceof ElmanError)) throw error;
  expect(error.argument).toMatch(argument);
  return error;
}

function cli(args: string[], stdin = '[[0.5]]'): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, ['dist/cli/main.js', 'predict', ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

let dir: string;
let secret: string;
const model = () => new ElmanRNN({ inputSize: 1, hiddenSize: 3, outputSize: 1, seed: 5 });

beforeAll(async () => {
  await init();
  dir = mkdtempSync(join(tmpdir(), 'elman-harden-'));
  // A file outside any model folder that a hostile manifest would like read into the weights.
  mkdirSync(join(dir, 'elsewhere'));
  secret = join(dir, 'elsewhere', 'secret.bin');
  writeFileSync(secret, new Uint8Array(4 * 64).fill(7));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** model.json (with `paths` as its weight paths) and weights.bin written into `folder`. */
function writeModel(folder: string, paths?: string[], metadata?: Record<string, unknown>): string {
  mkdirSync(folder, { recursive: true });
  const files = tfjsFiles(model(), metadata ? { metadata } : {});
  const json = JSON.parse(files['model.json']);
  if (paths) json.weightsManifest[0].paths = paths;
  writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
  writeFileSync(join(folder, 'weights.bin'), files['weights.bin']);
  return join(folder, 'model.json');
}

describe('item 1: weight paths stay beside model.json', () => {
  test('a remote model.json naming file:///… or another origin is refused before anything is read', async () => {
    const folder = join(dir, 'served');
    writeModel(folder);
    const served = await serveStatic(folder, {});
    try {
      // The control: a relative path on the same origin loads.
      const ok = await loadTfjs(`${served.url}/model.json`);
      expect(ok.model.inputSize).toBe(1);
      ok.model.dispose();
      for (const path of [pathToFileURL(secret).href, 'http://127.0.0.1:9/weights.bin', '//example.com/weights.bin', 'data:application/octet-stream;base64,AAAA']) {
        writeModel(folder, [path]);
        await refused(loadTfjs(`${served.url}/model.json`), 'weightsManifest[0].paths[0]');
        await refused(Predictor.load(`${served.url}/model.json`), 'weightsManifest[0].paths[0]');
      }
    } finally {
      await served.close();
    }
  });

  test("a model.json file may read only beside it: '..' and absolute paths are refused unless weightPaths: 'anywhere'", async () => {
    const folder = join(dir, 'local');
    for (const path of ['../elsewhere/secret.bin', secret, pathToFileURL(secret).href, 'sub/../../elsewhere/secret.bin']) {
      const file = writeModel(folder, [path]);
      const e = await refused(loadTfjs(file), 'weightsManifest[0].paths[0]');
      expect(e.message).toMatch(/beside model\.json/);
      await refused(Predictor.load(file), 'weightsManifest[0].paths[0]');
    }
    // The explicit option reads the absolute path (its 256 bytes are too many for this model: a ShapeError, after reading).
    const file = writeModel(folder, [join(folder, 'weights.bin')]);
    const { model: m } = await loadTfjs(file, { weightPaths: 'anywhere' });
    m.dispose();
    await refused(loadTfjs(file, { weightPaths: 'everywhere' as never }), 'options.weightPaths');
  });
});

describe('item 3: saveTfjs refuses an empty folder name, as loadTfjs does', () => {
  test.each(['', '   ', 3, null])('saveTfjs(model, %j)', async (d) => {
    await refused(saveTfjs(model(), d as never), 'dir');
  });
});

describe('item 4: hostile fields and sources give ElmanErrors naming the field', () => {
  const artifacts = () => toTfjs(model());

  test('keras_version that is not a string', () => {
    for (const v of [{ toString: 0 }, 3, ['3.1']]) {
      const a = artifacts();
      (a.modelTopology as Record<string, unknown>).keras_version = v;
      expect(() => fromTfjs(a)).toThrow(expect.objectContaining({ name: 'ConfigError', argument: 'modelTopology.keras_version' }));
    }
  });

  test.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])('a layer class_name of %s is no cell', (name) => {
    const a = artifacts();
    ((a.modelTopology.config as { layers: Array<{ class_name: string }> }).layers[0]!).class_name = name;
    expect(() => fromTfjs(a)).toThrow(expect.objectContaining({ name: 'ConfigError', argument: expect.stringMatching(/^layer /) }));
  });

  test('metadata holding a BigInt or a cycle', async () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    for (const metadata of [{ n: 3n }, cycle]) {
      expect(() => toTfjs(model(), { metadata })).toThrow(expect.objectContaining({ name: 'ConfigError', argument: 'metadata' }));
      expect(() => tfjsFiles(model(), { metadata })).toThrow(expect.objectContaining({ name: 'ConfigError', argument: 'metadata' }));
      await refused(saveTfjs(model(), join(dir, 'meta'), { metadata }), 'metadata');
    }
  });

  test('a refused connection and an ftp: URL', async () => {
    await refused(loadTfjs('http://127.0.0.1:9/model.json'), 'source');
    await refused(Predictor.load('http://127.0.0.1:9/model.json'), 'source');
    await refused(loadTfjs('ftp://example.com/model.json'), 'source');
    await refused(loadTfjs(new URL('ftp://example.com/model.json')), 'source');
    await refused(Predictor.load(new URL('ftp://example.com/model.json')), 'source');
  });

  test('the CLI prints one line and exits 2 for keras_version { toString: 0 }', async () => {
    const file = writeModel(join(dir, 'cli-version'));
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.modelTopology.keras_version = { toString: 0 };
    writeFileSync(file, JSON.stringify(json));
    const r = await cli(['--model', file]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^elman: modelTopology\.keras_version must be a string/)]);
  });
});

test('item 5: metadata targets: [] beside a scaler is refused at load', async () => {
  const scaler = new Scaler([1], [2]).toJSON();
  const a = toTfjs(model(), { metadata: { scaler, targets: [] } });
  await refused(Predictor.load(a), 'metadata.targets');
  // The control: targets [0] serves finite numbers.
  const p = await Predictor.load(toTfjs(model(), { metadata: { scaler, targets: [0] } }));
  expect(Number.isFinite((p.predict([[1, 2]]) as number[][])[0]![0])).toBe(true);
  p.dispose();
});

describe('item 6: Keras 3 files as Keras 3.x writes them (test/fixtures/make_keras3.py)', () => {
  test.each(['gru', 'stack'])('%s: imports, and predicts what Keras 3 predicted', async (name) => {
    const { x, y } = JSON.parse(readFileSync(join(fixtures, `${name}.expected.json`), 'utf8')) as { x: number[][][]; y: number[][] };
    for (const backend of ['wasm', 'js'] as const) {
      const { model: m } = await loadTfjs(join(fixtures, `${name}.json`), { backend });
      expect(m).toBeInstanceOf(RNN);
      const p = Predictor.of(m);
      const out = p.predict(x) as number[][];
      out.forEach((row, n) => row.forEach((v, o) => expect(Math.abs(v - y[n]![o]!)).toBeLessThan(1e-5)));
      p.dispose();
    }
  });

  test('the Sequential names its weights model-first, and a missing one is named plainly', async () => {
    const json = JSON.parse(readFileSync(join(fixtures, 'gru.json'), 'utf8'));
    expect(json.weightsManifest[0].weights[0].name).toBe('sequential/gru/gru_cell/kernel');
    json.weightsManifest[0].weights[0].name = 'sequential/gru/gru_cell/kernal';
    const weightData = new Uint8Array(readFileSync(join(fixtures, 'gru.weights.bin'))).buffer;
    const e = (() => {
      try {
        fromTfjs({ ...json, weightSpecs: json.weightsManifest[0].weights, weightData });
      } catch (error) {
        return error as Error;
      }
      return expect.fail('expected a refusal');
    })();
    expect(e).toBeInstanceOf(ElmanError);
    expect(e.message).toMatch(/^weightSpecs must name the weight gru\/kernel, got only sequential\/gru\/gru_cell\/kernal/);
  });
});

describe('item 11: the CLI on a model path that is a folder, a device, or lacks its weights', () => {
  test('a folder', async () => {
    const r = await cli(['--model', dir]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^elman: --model must be a model file, not a folder/)]);
  });

  test('/dev/zero is refused without reading it', async () => {
    const r = await cli(['--model', '/dev/zero']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^elman: --model must be a model file, not a device/)]);
  });

  test('a model.json whose weights.bin is missing names weights.bin, not --model', async () => {
    const file = writeModel(join(dir, 'no-weights'));
    rmSync(join(dir, 'no-weights', 'weights.bin'));
    const r = await cli(['--model', file]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^elman: a weight file file:.*\/no-weights\/weights\.bin must be an existing, readable file \(ENOENT\)/)]);
  });
});
