import { expect, test } from 'vitest';

// The bench's interval for a median of paired ratios (the stateful/stateless row of issue 19): its
// order statistics and coverage against the binomial distribution computed here exactly, in BigInt.

// @ts-expect-error: plain-JavaScript bench module without type declarations
const { medianInterval } = (await import('../../bench/rounds.js')) as {
  medianInterval: (ratios: number[]) => { median: number; low: number; high: number; level: number };
};

/** P(Binomial(n, ½) < k), exactly, as a number. */
function below(n: number, k: number): number {
  let sum = 0n, c = 1n;
  for (let j = 0; j < k; j++) {
    sum += c;
    c = (c * BigInt(n - j)) / BigInt(j + 1);
  }
  return Number((sum * 10n ** 18n) / 2n ** BigInt(n)) / 1e18;
}

test.each([6, 11, 20, 31, 41, 100])('n = %i: the k-th smallest and largest, k the largest with P(B < k) ≤ 2.5 %%, and the exact coverage', (n) => {
  // Shuffled 1..n: the order statistics name their rank.
  const ratios = Array.from({ length: n }, (_, i) => i + 1).sort((a, b) => ((a * 7919) % n) - ((b * 7919) % n));
  const { median, low, high, level } = medianInterval(ratios);
  expect(median).toBe((n + 1) / 2);
  const k = low;
  expect(high).toBe(n + 1 - k);
  expect(below(n, k)).toBeLessThanOrEqual(0.025);
  expect(below(n, k + 1)).toBeGreaterThan(0.025);
  expect(level).toBeCloseTo(1 - 2 * below(n, k), 12);
  expect(level).toBeGreaterThanOrEqual(0.95);
});

test('31 rounds (the bench): the 10th to the 22nd ratio, 97.1 % coverage', () => {
  const { low, high, level } = medianInterval(Array.from({ length: 31 }, (_, i) => 31 - i));
  expect([low, high]).toEqual([10, 22]);
  expect(level).toBeCloseTo(0.9706, 4);
});

test('fewer than 6 ratios: the whole range, with its coverage below 95 %', () => {
  const { low, high, level } = medianInterval([3, 1, 2]);
  expect([low, high]).toEqual([1, 3]);
  expect(level).toBeCloseTo(1 - 2 / 8, 12);
});
