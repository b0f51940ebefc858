// Issue 14, item 14: allocation errors name the argument they are for, multi-block allocation is
// all-or-nothing, and temporary (staging) blocks are released on every exit path.
import { expect, test } from 'vitest';
import { Arena } from '../../src/backends/wasm/arena.js';
import { core, init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { ConfigError } from '../../src/errors.js';
import { LinearRNN } from '../../src/models/linear.js';
import { RandomState } from '../../src/random.js';
import { thrownBy } from '../helpers/thrown.js';

const PAGE = 65536;

/** An arena over a memory that may grow to `pages` pages in all, like a core near its limit. */
const small = (pages: number) => new Arena(new WebAssembly.Memory({ initial: 1, maximum: pages }), 64);

const configError = (fn: () => unknown) => thrownBy(fn, ConfigError);

test('a block over 4 GiB is a ConfigError naming the argument it is for, not `bytes`', () => {
  const arena = small(2);
  const e = configError(() => arena.alloc(2 ** 32, 'batchSize'));
  expect(e.argument).toBe('batchSize');
  expect(e.message).toContain('4 GiB');
  expect(configError(() => arena.alloc(-1, 'data')).argument).toBe('data');
  expect(configError(() => arena.alloc(1.5, 'data')).argument).toBe('data');
  expect(arena.bytesInUse).toBe(0);
});

test('memory the runtime will not grow is a ConfigError naming the argument', () => {
  const arena = small(2);
  const e = configError(() => arena.alloc(3 * PAGE, 'data'));
  expect(e.argument).toBe('data');
  expect(e.message).toContain('grow');
});

test('allocAll: when a later block cannot be had, the earlier ones are given back', () => {
  const arena = small(4);
  const keep = arena.alloc(100, 'other');
  const before = arena.bytesInUse;
  // Passes the 4 GiB pre-check, but the memory may not grow past 4 pages: the third block fails.
  const e = configError(() => arena.allocAll([PAGE, PAGE, 3 * PAGE], 'data'));
  expect(e.argument).toBe('data');
  expect(arena.bytesInUse).toBe(before);
  // The space is really free again: the same two blocks fit, at the same place.
  const [a, b] = arena.allocAll([PAGE, PAGE], 'data');
  expect(a).toBe(keep + 112);
  expect(b).toBe(a! + PAGE);
});

test('transaction: a binding whose staging block cannot be had leaves nothing behind', () => {
  // The pattern of the counter's 0/1 packing: data blocks, then a 64 KiB staging block through which
  // the inputs are copied. With memory nearly full the data fits and the staging block does not.
  const arena = small(2);
  const before = arena.bytesInUse;
  const e = configError(() =>
    arena.transaction(() => {
      const blocks = arena.allocAll([PAGE, PAGE / 2, 16], 'data');
      arena.withBlock(PAGE, 'data', () => {
        throw new Error('unreachable: the staging block does not fit');
      });
      return blocks;
    }),
  );
  expect(e.argument).toBe('data');
  expect(arena.bytesInUse).toBe(before);
});

test('transaction: any error inside releases what it took; success keeps the blocks; nesting hands them out', () => {
  const arena = small(16);
  expect(() =>
    arena.transaction(() => {
      arena.alloc(1000, 'x');
      arena.transaction(() => arena.alloc(2000, 'y'));
      throw new RangeError('a kernel failed');
    }),
  ).toThrow(RangeError);
  expect(arena.bytesInUse).toBe(0);
  const [a, b] = arena.transaction(() => [arena.alloc(1000, 'x'), arena.transaction(() => arena.alloc(2000, 'y'))]);
  expect(arena.bytesInUse).toBe(1008 + 2000);
  // Blocks released inside a failing transaction are not released twice.
  expect(() =>
    arena.transaction(() => {
      const c = arena.alloc(64, 'z');
      arena.release(c);
      arena.release(a!);
      throw new Error('late failure');
    }),
  ).toThrow('late failure');
  expect(arena.bytesInUse).toBe(2000);
  arena.release(b!);
  expect(arena.bytesInUse).toBe(0);
});

test('withBlock releases its block when `use` returns and when it throws', () => {
  const arena = small(4);
  expect(arena.withBlock(PAGE, 'stage', (o) => o % 16)).toBe(0);
  expect(arena.bytesInUse).toBe(0);
  expect(() => arena.withBlock(PAGE, 'stage', () => { throw new Error('copy failed'); })).toThrow('copy failed');
  expect(arena.bytesInUse).toBe(0);
});

test('the counter\'s 0/1 packing with no room left for its 64 KiB staging block leaves nothing behind', async () => {
  await init();
  const { arena } = core();
  // 20,000 0/1 inputs (80 KB as f32, more than 64 KiB): held as bytes, staged through 64 KiB.
  const data = countOnes({ samples: 20_000, length: 1, rng: new RandomState(1) });
  const top = arena.alloc(16, 'probe');
  arena.release(top);
  // Fill the 4 GiB address space but for room for the byte blocks (20,016 + 80,000 + 128 + 32 bytes) and a little.
  const filler = arena.alloc(2 ** 32 - top - (20_016 + 80_000 + 128 + 32 + 1000), 'filler');
  try {
    const before = arena.bytesInUse;
    const model = new LinearRNN({ wx: 1, wRec: 1 });
    try {
      model.bind(data, { loss: 'sse' }).dispose();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
    }
    expect(arena.bytesInUse).toBe(before);
    model.dispose();
    expect(arena.bytesInUse).toBe(before);
  } finally {
    arena.release(filler);
  }
});
