// A stateful model run over consecutive chunks of a long sequence equals one unrolled run with the
// gradient cut at the chunk edges, bit for bit, on both backends: predictions chunk by chunk against
// the whole sequence at once, and each training batch's gradients (the state carried from the batch
// before) against the unrolled run whose only loss sits in that chunk, truncated at the chunk length.
import { beforeAll, describe, expect, test } from 'vitest';
import { CELLS, init, RNN, type RNNOptions, type Sequences } from 'elman-rnn';

const S = 3, L = 4, CHUNKS = 3, I = 2, O = 2;
const layers = CELLS.map((cell, i) => ({ cell, units: 3 + i }));

/** A seeded stream of values in [-1, 1) (xorshift), independent of the library. */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** The whole sequences x f32[T][S][I] (time-major), T = CHUNKS·L. */
const full = values(CHUNKS * L * S * I, 7);

/** Steps [from, to) of the whole sequences as time-major x. */
const steps = (from: number, to: number) => full.slice(from * S * I, to * S * I);

const options = (backend: 'wasm' | 'js', extra: Partial<RNNOptions> = {}): RNNOptions => ({ inputSize: I, outputSize: O, layers, seed: 3, backend, ...extra });

beforeAll(async () => {
  await init();
});

describe.each(['wasm', 'js'] as const)('stateful chunks on %s', (backend) => {
  test('predictions over chunks equal the whole sequence at once, bit for bit', () => {
    const unrolled = new RNN(options(backend, { returnSequences: true }));
    const stateful = new RNN(options(backend, { returnSequences: true, stateful: true }));
    const whole = unrolled.predict({ x: full, samples: S, steps: CHUNKS * L });
    const chunks = new Float32Array(whole.length);
    for (let c = 0; c < CHUNKS; c++) chunks.set(stateful.predict({ x: steps(c * L, (c + 1) * L), samples: S, steps: L }), c * L * S * O);
    expect(chunks).toEqual(whole);
    // The carried state is the whole run's last state: one more chunk after a reset differs from one without.
    const carried = stateful.predict({ x: steps(0, L), samples: S, steps: L });
    stateful.resetState();
    expect(stateful.predict({ x: steps(0, L), samples: S, steps: L })).toEqual(whole.slice(0, L * S * O));
    expect(carried).not.toEqual(whole.slice(0, L * S * O));
    unrolled.dispose();
    stateful.dispose();
  });

  test('step continues the streams a stateful predict left, and predict what step left, bit for bit (one state per model)', () => {
    const unrolled = new RNN(options(backend, { returnSequences: true }));
    const stateful = new RNN(options(backend, { returnSequences: true, stateful: true }));
    const whole = unrolled.predict({ x: full, samples: S, steps: CHUNKS * L });
    stateful.predict({ x: steps(0, L), samples: S, steps: L });
    const stepped = new Float32Array(L * S * O);
    for (let k = 0; k < L; k++) stepped.set(stateful.step(full.subarray((L + k) * S * I, (L + k + 1) * S * I)), k * S * O);
    const last = stateful.predict({ x: steps(2 * L, 3 * L), samples: S, steps: L });
    expect(stepped).toEqual(whole.subarray(L * S * O, 2 * L * S * O));
    expect(last).toEqual(whole.subarray(2 * L * S * O));
    unrolled.dispose();
    stateful.dispose();
  });

  test("each batch's gradients equal the unrolled run's with the loss in that chunk, truncated at the chunk edges", () => {
    const targets = values(CHUNKS * S * O, 11);
    // Batch c holds chunk c of the S streams: samples c·S + s, steps k = step c·L + k of stream s.
    const x = new Float32Array(L * CHUNKS * S * I);
    for (let k = 0; k < L; k++) for (let c = 0; c < CHUNKS; c++) x.set(full.subarray(((c * L + k) * S) * I, ((c * L + k + 1) * S) * I), (k * CHUNKS * S + c * S) * I);
    const chunked: Sequences = { samples: CHUNKS * S, steps: L, inputSize: I, outputSize: O, x, targets };
    const stateful = new RNN(options(backend, { stateful: true }));
    const unrolled = new RNN(options(backend));
    const b = stateful.bind(chunked, { loss: 'mse', batchSize: S });
    for (let c = 0; c < CHUNKS; c++) {
      const loss = b.lossAndGrad(c);
      const mine = stateful.grads.slice();
      // The unrolled run: steps 0 .. (c+1)·L, one target at its last step (chunk c's), the gradient cut every L steps.
      const one: Sequences = { samples: S, steps: (c + 1) * L, inputSize: I, outputSize: O, x: steps(0, (c + 1) * L), targets: targets.slice(c * S * O, (c + 1) * S * O) };
      const u = unrolled.bind(one, { loss: 'mse', truncate: L });
      const reference = u.lossAndGrad(0);
      u.dispose();
      expect(loss).toBe(reference);
      expect(mine).toEqual(unrolled.grads);
      // Without the cut the unrolled gradient is another one: the edge is where truncation acts.
      if (c > 0) {
        const whole = unrolled.bind(one, { loss: 'mse' });
        whole.lossAndGrad(0);
        whole.dispose();
        expect(unrolled.grads).not.toEqual(mine);
      }
    }
    b.dispose();
    stateful.dispose();
    unrolled.dispose();
  });
});
