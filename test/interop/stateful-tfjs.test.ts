// TF.js is the truth for stateful streams: a stateful stack built by TF.js (fixed batch size, states
// kept from one predict call to the next until resetStates) imports as a stateful elman model that
// predicts the same chunk after chunk; an elman stateful model exports with its streams as the batch
// size, and tf.loadLayersModel's copy predicts the same chunk after chunk. What TF.js cannot hold is refused.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, ElmanRNN, fromTfjs, init, RNN, toTfjs, type TfjsArtifacts } from 'elman-rnn';
import { artifactsOf, tfPredict } from '../helpers/tfjs-models.js';
import { worstRel } from '../helpers/stack-harness.js';

beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => tf.disposeVariables());

const S = 3, L = 5, I = 2, O = 2;
/**
 * TF.js computes in float32 and sums in another order. Measured worst over four calls: import 2.2e-7
 * (wasm) and 1.3e-7 (js); export 2.1e-5 (wasm) and 4.4e-6 (js, float64: TF.js's own rounding).
 */
const TOLERANCE = 5e-5;

/** Chunk c of the streams, time-major f32[L][S][I], from a seeded formula. */
const chunk = (c: number) => Float32Array.from({ length: L * S * I }, (_, i) => Math.sin(0.7 * (i + 31 * c) + 0.3 * c));

const seeded = (seed: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }), recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 50 }), biasInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed }) });

function statefulStack(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.simpleRNN({ ...seeded(1), units: 4, returnSequences: true, stateful: true, batchInputShape: [S, null, I] }),
      tf.layers.lstm({ ...seeded(2), units: 3, returnSequences: true, stateful: true }),
      tf.layers.gru({ ...seeded(3), units: 5, returnSequences: true, stateful: true }),
      tf.layers.dense({ kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }), units: O }),
    ],
  });
}

/** Three chunks, a reset, one chunk: each call's outputs, time-major. */
function run(predict: (x: Float32Array) => Float32Array, reset: () => void): Float32Array[] {
  const out = [0, 1, 2].map((c) => predict(chunk(c)));
  reset();
  out.push(predict(chunk(0)));
  return out;
}

describe.each(['wasm', 'js'] as const)('stateful TF.js models on %s', (backend) => {
  test('a stateful TF.js stack imports as a stateful model that predicts the same, chunk after chunk', async () => {
    const net = statefulStack();
    const { model } = fromTfjs(await artifactsOf(net), { backend });
    expect(model.stateful).toBe(true);
    const want = run((x) => tfPredict(net, x, L, S, I, true, O), () => net.resetStates());
    const got = run((x) => model.predict({ x, samples: S, steps: L }), () => model.resetState());
    // The carry is real: chunk 1 from the carried state is not chunk 1 from zeros.
    net.resetStates();
    expect(worstRel(want[1]!, tfPredict(net, chunk(1), L, S, I, true, O))).toBeGreaterThan(1e-3);
    got.forEach((g, c) => expect(worstRel(g, want[c]!)).toBeLessThan(TOLERANCE));
    expect(got[3]).toEqual(got[0]);
    model.dispose();
    net.dispose();
  });

  test('an elman stateful model exports with its streams as the batch size; TF.js predicts the same chunk after chunk', async () => {
    const model = new RNN({ inputSize: I, outputSize: O, returnSequences: true, layers: [{ cell: 'lstm', units: 4 }, { cell: 'simple', units: 3 }], stateful: true, seed: 5, backend });
    const a = toTfjs(model, { batchSize: S });
    const net = await tf.loadLayersModel(tf.io.fromMemory(a as unknown as tf.io.ModelArtifacts));
    const want = run((x) => tfPredict(net, x, L, S, I, true, O), () => net.resetStates());
    const got = run((x) => model.predict({ x, samples: S, steps: L }), () => model.resetState());
    got.forEach((g, c) => expect(worstRel(g, want[c]!)).toBeLessThan(TOLERANCE));
    // And back: the file says stateful, and elman reads it so.
    expect(fromTfjs(a, { backend }).model.stateful).toBe(true);
    model.dispose();
    net.dispose();
  });
});

describe('what TF.js cannot hold is a ConfigError naming it', () => {
  test('a stateful export without its batch size, a batch size without state, a learned initial state, mixed stateful layers', async () => {
    const stateful = new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, stateful: true, backend: 'js' });
    const learned = new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, learnInitialState: true, backend: 'js' });
    const plain = new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, backend: 'js' });
    const argument = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).argument;
      }
      throw new Error('no error');
    };
    expect(argument(() => toTfjs(stateful))).toBe('options.batchSize');
    expect(argument(() => toTfjs(plain, { batchSize: 2 }))).toBe('options.batchSize');
    expect(argument(() => toTfjs(learned))).toBe('model.learnInitialState');
    const mixed = tf.sequential({ layers: [tf.layers.simpleRNN({ units: 2, returnSequences: true, stateful: true, batchInputShape: [2, null, 1] }), tf.layers.simpleRNN({ units: 2 }), tf.layers.dense({ units: 1 })] });
    const artifacts: TfjsArtifacts = await artifactsOf(mixed);
    expect(argument(() => fromTfjs(artifacts))).toMatch(/^layer .*\.stateful$/);
    mixed.dispose();
  });
});
