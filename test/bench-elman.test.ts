import { expect, test } from 'vitest';

// Not a speed claim (those live in `npm run bench:elman`): the bench file must keep running against
// the built package, so its rows are produced here once, tiny, without TF.js.
test('bench/elman.js produces a row per backend and hidden size', async () => {
  // @ts-expect-error: a plain-JavaScript bench module without type declarations
  const { benchElman } = (await import('../bench/elman.js')) as { benchElman: (o: object) => Promise<Array<{ name: string; hidden: number; sampleStepsPerSecond: number }>> };
  const rows = await benchElman({ time: 1, hidden: [2], tfjs: false });
  expect(rows.map((r) => [r.name, r.hidden])).toEqual([['elman wasm simd', 2], ['elman js', 2]]);
  for (const r of rows) expect(r.sampleStepsPerSecond).toBeGreaterThan(0);
});
