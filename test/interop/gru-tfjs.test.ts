import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { GateActivation } from '../../src/backends/js/layer.js';
import { init } from '../../src/backends/wasm/core.js';
import { checkParity, HEADS, Worst } from '../helpers/stack-parity.js';

// A GRU layer + dense head against tf.layers.gru + tf.layers.dense with the same weights (resetAfter,
// which tf.layers.gru refuses, against the same equations in tf ops), and against float64 differences:
// every activation × recurrent activation × resetAfter, cycling through losses and output shapes.
const worst = new Worst();
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => worst.print('GRU'));

const acts: GateActivation[] = ['tanh', 'relu', 'sigmoid', 'linear', 'hardSigmoid'];
const recActs: GateActivation[] = ['sigmoid', 'hardSigmoid'];
const cases = acts.flatMap((a, i) => recActs.flatMap((ra, j) => [false, true].map((after, k) => [a, ra, after, HEADS[(i + j + 2 * k) % HEADS.length]!] as const)));

describe.each(['wasm', 'js'] as const)('GRU on %s', (backend) => {
  test.each(cases)('activation %s, recurrent %s, resetAfter %s, head %j', (act, recAct, resetAfter, head) => {
    const layers = [{ cell: 'gru', units: 7, activation: act, recurrentActivation: recAct, resetAfter }] as const;
    worst.add(`${backend} resetAfter=${resetAfter}`, checkParity(backend, layers, head, 17));
  });
});
