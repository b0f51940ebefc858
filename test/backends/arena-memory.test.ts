import { beforeAll, expect, test } from 'vitest';
import { Arena } from '../../src/backends/wasm/arena.js';
import { core, init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { DisposedError } from '../../src/errors.js';
import { LinearRNN } from '../../src/models/linear.js';
import { sgd } from '../../src/optimizers/sgd.js';
import { RandomState } from '../../src/random.js';
import { trainSync } from '../../src/training/train.js';

beforeAll(() => init());

test('blocks are 16-byte aligned, disjoint, and coalesce when released', () => {
  const arena = new Arena(new WebAssembly.Memory({ initial: 1 }), 100);
  const a = arena.alloc(10);
  const b = arena.alloc(100);
  const c = arena.alloc(1);
  expect([a, b, c].every((o) => o % 16 === 0)).toBe(true);
  expect(a).toBeGreaterThanOrEqual(100);
  expect(b).toBeGreaterThanOrEqual(a + 16);
  expect(c).toBeGreaterThanOrEqual(b + 112);
  arena.release(a);
  arena.release(b);
  // a and b merged: a 128-byte request fits where they were.
  expect(arena.alloc(128)).toBe(a);
  expect(() => arena.release(a + 16)).toThrow(DisposedError);
});

test('memory.grow detaches old views; the arena hands out fresh ones, so no write is lost', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const arena = new Arena(memory, 0);
  const small = arena.alloc(16);
  const stale = arena.f32;
  stale[small >>> 2] = 42;
  const big = arena.alloc(3 * 65536);
  expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(4 * 65536);
  expect(stale.length).toBe(0); // detached
  arena.f32[big >>> 2] = 7;
  expect(new Float32Array(memory.buffer)[small >>> 2]).toBe(42);
  expect(new Float32Array(memory.buffer)[big >>> 2]).toBe(7);
});

test('models alive at once never see each other’s data, and memory returns to baseline after dispose', () => {
  const { arena } = core();
  const baseline = arena.bytesInUse;
  const rng = new RandomState(3);
  const sets = [countOnes({ samples: 50, length: 7, rng }), countOnes({ samples: 13, length: 30, rng }), countOnes({ samples: 200, length: 3, rng })];
  const models = sets.map(() => new LinearRNN({ wx: 0.8, wRec: 0.9 }));
  const bound = models.map((m, i) => m.bind(sets[i]!, { loss: 'mse' }));
  const together = bound.map((b) => b.lossAndGrad());
  const alone = sets.map((d) => new LinearRNN({ wx: 0.8, wRec: 0.9, backend: 'js' }).lossAndGrad(d, 'mse').loss);
  together.forEach((l, i) => expect(l).toBeCloseTo(alone[i]!, 5));
  expect(arena.bytesInUse).toBeGreaterThan(baseline);
  models.forEach((m) => m.dispose());
  expect(arena.bytesInUse).toBe(baseline);
});

test('10,000 models created, trained and disposed keep core memory and the heap bounded', () => {
  const { arena, exports } = core();
  const data = countOnes({ samples: 64, length: 10, rng: new RandomState(4) });
  const cycle = () => {
    const m = new LinearRNN({ wx: 0.5, wRec: 0.5 });
    trainSync(m, data, { optimizer: sgd({ lr: 1e-4 }), epochs: 3, loss: 'mse' });
    m.dispose();
  };
  for (let i = 0; i < 200; i++) cycle();
  const memoryBefore = exports.memory.buffer.byteLength;
  const inUse = arena.bytesInUse;
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < 10_000; i++) cycle();
  globalThis.gc?.();
  expect(exports.memory.buffer.byteLength).toBe(memoryBefore);
  expect(arena.bytesInUse).toBe(inUse);
  // Without forced GC the heap can hold garbage, but not 10,000 models' worth of leaks.
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
});
