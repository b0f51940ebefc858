import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { JsStack } from '../../src/backends/js/stack.js';
import { core, init } from '../../src/backends/wasm/core.js';
import { WasmStack } from '../../src/backends/wasm/stack.js';
import type { LayerSpec, StackDims } from '../../src/stack-spec.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { layer } from '../helpers/stack-parity.js';
import { randomParams, tfPredict, wasmPredict, worstRel } from '../helpers/stack-harness.js';

// Step-by-step inference: S streams fed one step at a time give TF.js's per-step predictions of the
// whole sequences (returnSequences), the wasm step allocates nothing, and resetting one stream
// leaves the others' states alone.
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});

const stacks: Array<[string, LayerSpec[]]> = [
  ['simple', [layer('simple', 6)]],
  ['GRU', [layer('gru', 6)]],
  ['GRU(resetAfter)', [layer('gru', 6, { resetAfter: true, recurrentActivation: 'hardSigmoid' })]],
  ['LSTM', [layer('lstm', 6)]],
  ['simple→GRU→LSTM', [layer('simple', 5), layer('gru', 6), layer('lstm', 4)]],
];
const [I, O, S, T] = [3, 2, 4, 7];

/** Step every stream through all T steps on one backend, collecting [T][S][O]. */
function stepAll(backend: 'wasm' | 'js', d: StackDims, x: Float32Array, p: Float32Array, resetAt = -1, stream = 0): Float32Array {
  const out = new Float32Array(T * S * O);
  if (backend === 'js') {
    const st = new JsStack(d, S, 1);
    const y = new Float32Array(S * O);
    for (let k = 0; k < T; k++) {
      if (k === resetAt) st.resetState(stream);
      st.step(x, k * S * I, p, y);
      out.set(y, k * S * O);
    }
    return out;
  }
  const { arena } = core();
  const st = new WasmStack(d, S, 1);
  const [xp, pp, yp] = arena.allocAll([S * I * 4, p.byteLength, S * O * 4], 'test');
  try {
    arena.f32.set(p, pp! >>> 2);
    st.bindStep(xp!, pp!, yp!);
    const before = arena.bytesInUse, buffer = arena.memory.buffer;
    for (let k = 0; k < T; k++) {
      if (k === resetAt) st.resetState(stream);
      arena.f32.set(x.subarray(k * S * I, (k + 1) * S * I), xp! >>> 2);
      st.step();
      out.set(arena.f32.subarray(yp! >>> 2, (yp! >>> 2) + S * O), k * S * O);
    }
    expect(arena.bytesInUse).toBe(before); // nothing allocated by stepping
    expect(arena.memory.buffer).toBe(buffer); // nor grown
    return out;
  } finally {
    st.dispose();
    for (const b of [xp!, pp!, yp!]) arena.release(b);
  }
}

describe.each(['wasm', 'js'] as const)('step-by-step on %s', (backend) => {
  test.each(stacks)('%s: streams stepped one step at a time match TF.js on the whole sequences', (_, layers) => {
    const d: StackDims = { I, layers, O, outAct: 'linear', seq: true };
    const data = randomElmanData(41, S, T, I, O, true);
    const p = randomParams(d, 42);
    const stepped = stepAll(backend, d, data.x, p);
    expect(worstRel(stepped, tfPredict(d, data, p))).toBeLessThan(1e-5);
    if (backend === 'wasm') expect(worstRel(stepped, wasmPredict(d, data, p))).toBeLessThan(1e-6);
  });

  test('resetState(stream) restarts that stream only', () => {
    const d: StackDims = { I, layers: [layer('lstm', 5), layer('gru', 4)], O, outAct: 'linear', seq: true };
    const data = randomElmanData(43, S, T, I, O, true);
    const p = randomParams(d, 44);
    const whole = stepAll(backend, d, data.x, p);
    const reset = stepAll(backend, d, data.x, p, 3, 1);
    // The reset stream equals a fresh run on its last T − 3 steps: TF.js on that suffix.
    const tail = new Float32Array((T - 3) * S * I);
    tail.set(data.x.subarray(3 * S * I));
    const fresh = tfPredict(d, { ...data, steps: T - 3, x: tail, targets: new Float32Array((T - 3) * S * O) }, p);
    for (let k = 3; k < T; k++) {
      for (let s = 0; s < S; s++) {
        const got = reset.subarray((k * S + s) * O, (k * S + s + 1) * O);
        const want = s === 1 ? fresh.subarray(((k - 3) * S + s) * O, ((k - 3) * S + s + 1) * O) : whole.subarray((k * S + s) * O, (k * S + s + 1) * O);
        expect(worstRel(got, want)).toBeLessThan(1e-5);
      }
    }
  });
});
