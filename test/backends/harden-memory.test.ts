// Issue 21, item 14: a rotating live set of models (create, place, bind, train, dispose while 16
// others stay bound) keeps WebAssembly memory flat after warm-up, through the package entry. A
// model's dispose frees what its bindings took too (their scratch), as its doc promises.
import { beforeAll, expect, test } from 'vitest';
import { core } from '../../dist/backends/wasm/core.js';
import * as elman from '../../dist/index.js';

beforeAll(() => elman.init());

/** Round r's model: units, samples, steps and cell cycle together with period PERIOD (a multiple of each), so two cycles reach every live set's peak. */
const PERIOD = 7 * 5 * 3 * elman.CELLS.length;

function make(r: number): { dispose(): void } {
  const units = 4 + (r % 7), samples = 8 + (r % 5), steps = 4 + (r % 3);
  const m = new elman.RNN({ inputSize: 2, layers: [{ cell: elman.CELLS[r % elman.CELLS.length]!, units }], outputSize: 1 });
  const data = { samples, steps, inputSize: 2, outputSize: 1, x: new Float32Array(samples * steps * 2).fill(0.1), targets: new Float32Array(samples).fill(0.5) };
  const placed = m.place(data);
  // Bound and left bound: the model's dispose is all that frees it.
  m.bind(placed, { loss: 'mse' }).lossAndGrad(0);
  elman.trainSync(m, placed, { epochs: 2, optimizer: elman.adam({ lr: 0.001 }) });
  return m;
}

test('memory.buffer.byteLength stays flat under a steady rotating workload, and bytes in use return to where they were', () => {
  const { arena, exports } = core();
  const base = arena.bytesInUse;
  const live = Array.from({ length: 16 }, (_, k) => make(k));
  let r = 16;
  const rotate = (rounds: number) => {
    for (const end = r + rounds; r < end; r++) {
      live.shift()!.dispose();
      live.push(make(r));
    }
  };
  rotate(2 * PERIOD);
  const warm = exports.memory.buffer.byteLength;
  const sizes: number[] = [];
  for (let i = 0; i < 6; i++) {
    rotate(PERIOD);
    sizes.push(exports.memory.buffer.byteLength);
  }
  expect(sizes).toEqual(sizes.map(() => warm));
  for (const m of live) m.dispose();
  expect(arena.bytesInUse).toBe(base);
}, 120_000);
