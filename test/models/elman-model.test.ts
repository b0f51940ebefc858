import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { core } from '../../src/backends/wasm/core.js';
import { ConfigError, NumericError, ShapeError } from '../../src/errors.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { glorotUniform, orthogonal } from '../../src/models/init.js';
import { RandomState } from '../../src/random.js';
import { randomElmanData } from '../helpers/elman-data.js';

beforeAll(() => init());

describe('ElmanRNN weights', () => {
  test('named weights in the Keras layout, as copies; set by name, flat or as rows', () => {
    const m = new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1 });
    expect(m.params.length).toBe(2 * 3 + 3 * 3 + 3 + 3 * 1 + 1);
    m.setWeights({ kernel: [[1, 2, 3], [4, 5, 6]], outputBias: [0.5] });
    expect(Array.from(m.weights.kernel)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(m.params.subarray(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.params.at(-1)).toBe(0.5);
    const copy = m.weights;
    copy.kernel[0] = 99;
    expect(m.params[0]).toBe(1);
  });

  test('bad weights are refused before anything changes', () => {
    const m = new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1 });
    const before = m.params.slice();
    expect(() => m.setWeights({ bias: [0, 0, 0], kernel: [1, 2] })).toThrow(ShapeError);
    expect(() => m.setWeights({ bias: [0, NaN, 0] })).toThrow(/weights.bias\[1\] must be a finite float32 number \(\|v\| < 3.4e38\), got NaN/);
    expect(() => m.setWeights({ kernal: [1] } as never)).toThrow(ConfigError);
    expect(() => m.setWeights({ outputBias: [1e39] })).toThrow(/float32/); // finite as a double, Infinity as float32
    expect(m.params).toEqual(before);
  });

  test('weights too large for float32 arithmetic: a NumericError, never a silent Infinity', () => {
    const m = new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, activation: 'linear' });
    m.setWeights({ kernel: [1e30, 1e30], outputKernel: [1e30, 1e30] });
    const data = randomElmanData(1, 3, 2, 1, 1, false);
    expect(() => m.predict(data)).toThrow(NumericError);
    expect(() => m.lossAndGrad(data)).toThrow(NumericError);
  });

  test('options are validated by name', () => {
    expect(() => new ElmanRNN({ inputSize: 0, hiddenSize: 3, outputSize: 1 })).toThrow(/inputSize/);
    expect(() => new ElmanRNN({ inputSize: 1, hiddenSize: 3, outputSize: 1, activation: 'gelu' as never })).toThrow(/activation must be one of linear, tanh, relu, sigmoid, got "gelu"/);
    const m = new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1 });
    expect(() => m.bind(randomElmanData(1, 3, 2, 1, 1, false), { loss: 'bce' })).toThrow(/sigmoid/);
    expect(() => m.bind(randomElmanData(1, 3, 2, 1, 1, true), { loss: 'mse' })).toThrow(/targetsPerStep/);
  });

  test('toJSON / fromJSON round trip is exact and keeps the outputs', () => {
    const m = new ElmanRNN({ inputSize: 3, hiddenSize: 7, outputSize: 2, activation: 'relu', outputActivation: 'softmax', returnSequences: true, seed: 9 });
    m.setWeights({ bias: Array.from({ length: 7 }, (_, i) => Math.fround(Math.PI * i / 100)) });
    const json = JSON.parse(JSON.stringify(m));
    expect(json.format).toBe('elman.ElmanRNN');
    expect(json.version).toBe(1);
    const back = ElmanRNN.fromJSON(json, { backend: 'js' });
    expect(back.params).toEqual(m.params);
    expect([back.activation, back.outputActivation, back.returnSequences]).toEqual(['relu', 'softmax', true]);
    const data = randomElmanData(2, 4, 3, 3, 2, true);
    expect(ElmanRNN.fromJSON(json).predict(data)).toEqual(m.predict(data));
    expect(() => ElmanRNN.fromJSON({ ...json, version: 2 })).toThrow(/json.version/);
  });

  test('disposing frees the arena back to its baseline', () => {
    const { arena } = core();
    const base = arena.bytesInUse;
    const m = new ElmanRNN({ inputSize: 2, hiddenSize: 8, outputSize: 1, returnSequences: true });
    const b = m.bind(randomElmanData(3, 20, 5, 2, 1, true), { loss: 'mse', batchSize: 8 });
    b.shuffle!(new Uint32Array(20).map((_, i) => 19 - i));
    b.lossAndGrad(2);
    expect(arena.bytesInUse).toBeGreaterThan(base);
    m.dispose();
    expect(arena.bytesInUse).toBe(base);
  });
});

describe('initialisers (seeded)', () => {
  test('orthogonal: QᵀQ = I for square and tall shapes, QQᵀ = I for wide ones', () => {
    for (const [r, c] of [[6, 6], [7, 3], [3, 7]] as const) {
      const q = orthogonal(new RandomState(1), r, c);
      const [m, byCols] = r >= c ? [c, true] : [r, false];
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
        let dot = 0;
        for (let i = 0; i < (byCols ? r : c); i++) dot += byCols ? q[i * c + a]! * q[i * c + b]! : q[a * c + i]! * q[b * c + i]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    }
    expect(orthogonal(new RandomState(1), 4, 4)).toEqual(orthogonal(new RandomState(1), 4, 4));
  });

  test('glorotUniform stays within √(6 / (fanIn + fanOut)) and fills it', () => {
    const w = glorotUniform(new RandomState(2), 10, 20);
    const limit = Math.sqrt(6 / 30);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * limit);
  });
});
