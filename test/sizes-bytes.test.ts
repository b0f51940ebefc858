// byteSize: sizes multiplied in float64 and checked against WebAssembly's 4 GiB, with BigInt as the
// independent truth (exact at any size).
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ConfigError, ShapeError } from '../src/errors.js';
import { byteSize, totalBytes, WASM32_BYTES } from '../src/sizes.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261129) });

/** What `fn` throws, or undefined when it returns. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

test('the issue case: 4,096 sequences × 2,048 steps × 256 units × 4 bytes is 8 GiB, which 32 bits wrap to 0', () => {
  const factors = [4096, 2048, 256, 4];
  expect(factors.reduce((a, b) => Math.imul(a, b))).toBe(0); // what a 32-bit core computes
  const e = thrown(() => byteSize('batchSize', 4096, factors));
  expect(e).toBeInstanceOf(ConfigError);
  expect((e as ConfigError).argument).toBe('batchSize');
  expect((e as ConfigError).value).toBe(4096);
  expect((e as ConfigError).message).toContain('8589934592 bytes');
  expect((e as ConfigError).message).toContain('batchSize must be');
});

test('exactly 4 GiB fits, one byte more does not', () => {
  expect(byteSize('n', 1, [2 ** 30, 4])).toBe(WASM32_BYTES);
  expect(thrown(() => byteSize('n', 1, [WASM32_BYTES + 1]))).toBeInstanceOf(ConfigError);
  expect(byteSize('n', 1, [])).toBe(1);
  expect(byteSize('n', 1, [0, 7])).toBe(0);
});

test('agrees with BigInt on generated factors: the exact size, or an error naming the argument', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 32 - 1, 2 ** 53 - 1)), { maxLength: 5 }), fc.option(fc.integer({ min: 0, max: WASM32_BYTES })), (factors, cap) => {
      const exact = factors.reduce((a, b) => a * BigInt(b), 1n);
      const limit = BigInt(cap ?? WASM32_BYTES);
      const r = thrown(() => byteSize('hiddenSize', 77, factors, cap === null ? {} : { cap }));
      if (exact <= limit) expect(byteSize('hiddenSize', 77, factors, cap === null ? {} : { cap })).toBe(Number(exact));
      else {
        expect(r).toBeInstanceOf(ConfigError);
        expect((r as ConfigError).argument).toBe('hiddenSize');
      }
    }),
    { numRuns: 5000 },
  );
});

test('a factor that is not a non-negative safe integer is a ConfigError; kind shape gives a ShapeError', () => {
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53, 3n, '4', null]) {
    const e = thrown(() => byteSize('length', bad, [bad as number, 4]));
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).argument).toBe('length');
  }
  const e = thrown(() => byteSize('data.x', 'x', [2 ** 20, 2 ** 20, 4], { kind: 'shape', cap: 2 ** 30, capReason: '1 GiB of float32' }));
  expect(e).toBeInstanceOf(ShapeError);
  expect((e as ShapeError).message).toContain('1 GiB of float32');
  expect(thrown(() => byteSize('n', 1, [1], { cap: 2 ** 33 }))).toBeInstanceOf(ConfigError);
});

test('totalBytes: blocks that fit one by one but not together are refused', () => {
  expect(totalBytes('data', 1, [2 ** 31, 2 ** 31])).toBe(WASM32_BYTES);
  expect(thrown(() => totalBytes('data', 1, [2 ** 31, 2 ** 31, 16]))).toBeInstanceOf(ConfigError);
});
