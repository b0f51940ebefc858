import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import type { LayerSpec } from '../../src/stack-spec.js';
import { checkParity, HEADS, Worst, layer } from '../helpers/stack-parity.js';

// Stacks of mixed layers + dense against the same tf.layers stack (or its tf-ops form when a GRU
// uses resetAfter) and against float64 differences, on both backends: each layer's dx must reach
// the layer below, each layer's own BPTT must hold.
const worst = new Worst();
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => worst.print('Stacks'));

const stacks: Array<[string, LayerSpec[]]> = [
  ['simple→GRU→LSTM', [layer('simple', 5), layer('gru', 6), layer('lstm', 4)]],
  ['LSTM→LSTM', [layer('lstm', 6, { recurrentActivation: 'hardSigmoid' }), layer('lstm', 5)]],
  ['GRU(resetAfter)→simple', [layer('gru', 5, { resetAfter: true }), layer('simple', 7, { activation: 'relu' })]],
  ['LSTM→GRU→simple', [layer('lstm', 4), layer('gru', 9, { recurrentActivation: 'hardSigmoid' }), layer('simple', 3, { activation: 'sigmoid' })]],
  ['GRU→GRU(resetAfter)', [layer('gru', 8), layer('gru', 4, { resetAfter: true })]],
];

describe.each(['wasm', 'js'] as const)('stacks on %s', (backend) => {
  test.each(stacks.flatMap(([name, layers], i) => [0, 2].map((j) => [name, HEADS[(i + j) % HEADS.length]!, layers] as const)))('%s + dense, head %j', (name, head, layers) => {
    worst.add(`${backend} ${name}`, checkParity(backend, layers, head, 29));
  });
});
