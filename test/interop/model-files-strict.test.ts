// Issue 14, item 5: a model file is strict. Every config key is required (a relu model whose file lost
// `activation` must not come back as tanh), and the load options cannot override the saved config.
import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { ConfigError } from '../../src/errors.js';
import { ElmanRNN, type ElmanJSON } from '../../src/models/elman.js';
import { RNN } from '../../src/models/rnn.js';
import { thrownBy } from '../helpers/thrown.js';

beforeAll(() => init());

const saved = (): ElmanJSON =>
  JSON.parse(JSON.stringify(new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1, activation: 'relu', outputActivation: 'sigmoid', returnSequences: true, seed: 4 }).toJSON())) as ElmanJSON;

const refusal = (fn: () => unknown) => thrownBy(fn, ConfigError);

describe('fromJSON: every key required', () => {
  test('a relu model whose file lost `activation` is refused, not loaded as tanh', () => {
    const file = saved();
    delete (file.config as Partial<ElmanJSON['config']>).activation;
    const e = refusal(() => ElmanRNN.fromJSON(file));
    expect(e.argument).toBe('json.config.activation');
  });

  test.each(['inputSize', 'hiddenSize', 'outputSize', 'activation', 'outputActivation', 'returnSequences'])('missing config.%s is a ConfigError naming it', (key) => {
    const file = saved();
    delete (file.config as Record<string, unknown>)[key];
    expect(refusal(() => ElmanRNN.fromJSON(file)).argument).toBe(`json.config.${key}`);
  });

  test.each(['kernel', 'recurrentKernel', 'bias', 'outputKernel', 'outputBias'])('missing weights.%s is a ConfigError naming it', (key) => {
    const file = saved();
    delete (file.weights as Record<string, unknown>)[key];
    expect(refusal(() => ElmanRNN.fromJSON(file)).argument).toBe(`json.weights.${key}`);
  });

  test('an unknown top-level key is refused', () => {
    expect(refusal(() => ElmanRNN.fromJSON({ ...saved(), seed: 3 } as never)).argument).toBe('json.seed');
  });

  test('returnSequences must be a boolean, not a truthy stand-in', () => {
    const file = saved();
    (file.config as Record<string, unknown>).returnSequences = 1;
    expect(refusal(() => ElmanRNN.fromJSON(file)).argument).toBe('json.config.returnSequences');
  });
});

describe('fromJSON: the file decides, options choose only the backend', () => {
  test.each([
    ['activation', 'tanh'],
    ['outputActivation', 'linear'],
    ['returnSequences', false],
    ['hiddenSize', 3],
    ['kernelInitializer', 'glorotUniform'],
    ['seed', 1],
  ])('options.%s is refused', (key, value) => {
    expect(refusal(() => ElmanRNN.fromJSON(saved(), { [key]: value } as never)).argument).toBe(`options.${key}`);
  });

  test('options must be an object', () => {
    expect(refusal(() => ElmanRNN.fromJSON(saved(), null as never)).argument).toBe('options');
  });

  test('backend is the documented load option: both backends load the file with its config and weights', () => {
    const file = saved();
    const x = new Float32Array(2 * 4 * 2).map((_, i) => Math.cos(i));
    const data = { samples: 4, steps: 2, inputSize: 2, outputSize: 1, x, targets: new Float32Array(8), targetsPerStep: true };
    const wasm = ElmanRNN.fromJSON(file);
    const js = ElmanRNN.fromJSON(file, { backend: 'js' });
    for (const m of [wasm, js]) {
      expect(m.activation).toBe('relu');
      expect(m.outputActivation).toBe('sigmoid');
      expect(m.returnSequences).toBe(true);
      expect(Array.from(m.params.subarray(0, 6))).toEqual(file.weights.kernel.map(Math.fround));
    }
    expect(js.backend).toBe('js');
    // The backends agree to float32 rounding (the wasm kernel orders its sums differently).
    const a = js.predict(data), b = wasm.predict(data);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
    expect(ElmanRNN.fromJSON(file, {}).backend).toBe('wasm');
    expect(ElmanRNN.fromJSON(file, { backend: undefined }).backend).toBe('wasm');
  });
});

describe('RNN.fromJSON: the same strictness for stacks', () => {
  const file = () => JSON.parse(JSON.stringify(new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 2 }, { cell: 'lstm', units: 3 }], outputSize: 1, outputActivation: 'sigmoid', seed: 6 }).toJSON())) as Record<string, Record<string, unknown>>;

  test.each(['inputSize', 'layers', 'outputSize', 'outputActivation', 'returnSequences'])('missing config.%s is a ConfigError naming it', (key) => {
    const f = file();
    delete f.config![key];
    expect(refusal(() => RNN.fromJSON(f as never)).argument).toBe(`json.config.${key}`);
  });

  test('a layer missing its activation is refused, not given the default', () => {
    const f = file();
    delete (f.config!.layers as Array<Record<string, unknown>>)[1]!.recurrentActivation;
    expect(refusal(() => RNN.fromJSON(f as never)).argument).toBe('json.config.layers[1].recurrentActivation');
  });

  test.each([['inputSize', 3], ['outputActivation', 'linear'], ['layers', []]])('options.%s cannot override the file', (key, value) => {
    expect(refusal(() => RNN.fromJSON(file() as never, { [key]: value } as never)).argument).toBe(`options.${key}`);
  });

  test('the file loads on both backends with its own config', () => {
    for (const backend of ['wasm', 'js'] as const) {
      const m = RNN.fromJSON(file() as never, { backend });
      expect(m.toJSON()).toEqual(file());
      m.dispose();
    }
  });
});
