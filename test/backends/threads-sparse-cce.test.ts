import { beforeAll, expect, test } from 'vitest';
import { ConfigError, RNN } from '../../src/index.js';
import { init } from '../../src/backends/wasm/core.js';
import { randomElmanData } from '../helpers/elman-data.js';

// Class-id targets on threaded placements: each block's targets start one id (not O values) a row
// further (assembly/threads.ts reads the loss's target width), so sparseCce on 1, 2 and 3 threads
// equals cce on the same ids as one-hot rows, bit for bit. Token inputs (an embedding) stay on one thread.
beforeAll(() => init());

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

test('sparseCce on threads 1, 2, 3 equals cce on one-hot rows there, bit for bit', async () => {
  const O = 3;
  const dense = randomElmanData(5, 101, 6, 2, O, true, 'onehot'); // 101 samples: uneven blocks over the threads
  const ids = { ...dense, outputSize: 1, targets: Float32Array.from({ length: dense.targets.length / O }, (_, r) => dense.targets.subarray(r * O, r * O + O).indexOf(1)) };
  const model = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 5 }], outputSize: O, outputActivation: 'softmax', returnSequences: true, seed: 3 });
  try {
    // Threaded sums run per block in float64 (not the one-thread core's order): compare threaded with threaded.
    const runs: Array<{ loss: number; grads: number[] }> = [];
    for (const threads of [1, 2, 3]) {
      for (const [data, loss] of [[ids, 'sparseCce'], [dense, 'cce']] as const) {
        const placed = await model.placeThreaded(data, { threads });
        runs.push({ loss: model.lossAndGrad(placed, loss).loss, grads: bits(model.grads) });
        placed.dispose();
      }
    }
    expect(runs[0]!.loss).toBeGreaterThan(0);
    for (const r of runs) expect(r).toEqual(runs[0]);
  } finally {
    model.dispose();
  }
  const tokens = new RNN({ inputSize: 1, embedding: { vocab: 4, dim: 2 }, layers: [{ cell: 'gru', units: 3 }], outputSize: O, outputActivation: 'softmax', returnSequences: true });
  await expect(tokens.placeThreaded({ ...ids, inputSize: 1, x: new Float32Array(ids.x.length / 2) }, { threads: 2 })).rejects.toThrow(ConfigError);
  tokens.dispose();
});
