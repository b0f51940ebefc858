import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import type { StackDims } from '../../src/stack-spec.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { jsLossGrad, randomParams, wasmLossGrad, worstRel } from '../helpers/stack-harness.js';
import { checkParity, HEADS, Worst, layer } from '../helpers/stack-parity.js';

// Truncated BPTT against TF.js with a zero-gradient identity on every layer's carried state at the
// window edges (steps 1, 1 + w, 1 + 2w, …), the independent form of what the kernels cut.
const worst = new Worst();
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => worst.print('Truncated BPTT'));


describe.each(['wasm', 'js'] as const)('truncated BPTT on %s', (backend) => {
  test.each([
    ['GRU', 2, [layer('gru', 6)]],
    ['GRU(resetAfter)', 4, [layer('gru', 6, { resetAfter: true })]],
    ['LSTM', 2, [layer('lstm', 6)]],
    ['simple→GRU→LSTM', 3, [layer('simple', 5), layer('gru', 6), layer('lstm', 4)]],
  ] as const)('%s, window %s', (name, window, layers) => {
    worst.add(`${backend} ${name}`, checkParity(backend, layers, HEADS[0]!, 31, window));
  });

  test('a window shorter than the sequence changes the gradients but not the loss (the cut is real)', () => {
    const d: StackDims = { I: 3, layers: [layer('lstm', 6)], O: 2, outAct: 'linear', seq: true };
    const data = randomElmanData(5, 4, 6, 3, 2, true);
    const p = randomParams(d, 6);
    const run = (w: number) => (backend === 'wasm' ? wasmLossGrad(d, data, p, 'squared', 1, w) : jsLossGrad(d, data.x, data.targets, 4, 6, p, 'squared', 1, w));
    const full = run(0), cut = run(2);
    expect(cut.loss).toBe(full.loss);
    expect(worstRel(cut.grads, full.grads)).toBeGreaterThan(1e-2);
  });
});
