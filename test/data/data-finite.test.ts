import { expect, test } from 'vitest';
import { checkFinite32 } from '../../src/data/sequences.js';
import { DataError } from '../../src/errors.js';

test('checkFinite32 finds the first non-finite value at every position of short and unrolled lengths, and passes finite extremes', () => {
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 17]) {
    for (let at = 0; at < n; at++) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const a = new Float32Array(n).fill(1);
        a[at] = bad;
        if (at + 1 < n) a[n - 1] = NaN; // a later one too: the error names the first
        let caught: unknown;
        try {
          checkFinite32('x', a);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(DataError);
        expect((caught as DataError).message).toContain(`x[${at}]`);
      }
    }
  }
  // -0, the largest float32 and the smallest denormal are finite: v·0 of each is ±0.
  expect(() => checkFinite32('x', Float32Array.of(-0, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, 0))).not.toThrow();
});
