import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { GateActivation } from '../../src/backends/js/layer.js';
import { init } from '../../src/backends/wasm/core.js';
import { checkParity, HEADS, Worst } from '../helpers/stack-parity.js';

// An LSTM layer + dense head against tf.layers.lstm + tf.layers.dense with the same weights, and
// against float64 differences: every activation × recurrent activation, cycling through losses and output shapes.
const worst = new Worst();
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => worst.print('LSTM'));

const acts: GateActivation[] = ['tanh', 'relu', 'sigmoid', 'linear', 'hardSigmoid'];
const recActs: GateActivation[] = ['sigmoid', 'hardSigmoid'];
const cases = acts.flatMap((a, i) => recActs.map((ra, j) => [a, ra, HEADS[(i + 2 * j) % HEADS.length]!] as const));

describe.each(['wasm', 'js'] as const)('LSTM on %s', (backend) => {
  test.each(cases)('activation %s, recurrent %s, head %j', (act, recAct, head) => {
    const layers = [{ cell: 'lstm', units: 7, activation: act, recurrentActivation: recAct, resetAfter: false }] as const;
    worst.add(backend, checkParity(backend, layers, head, 17));
  });
});
