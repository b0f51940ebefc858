import { expect, test } from 'vitest';

// Not a speed claim (those live in `npm run bench`): the bench's row code must keep running against
// the built package, so its rows are made and run here once, tiny, without TF.js.
test('bench/elman.js makes and runs a row per implementation', async () => {
  // @ts-expect-error: a plain-JavaScript bench module without type declarations
  const { elmanRows, elmanData } = (await import('../../bench/elman.js')) as {
    elmanRows: (h: number, o: object) => Promise<Array<{ key: string; name: string; run: () => unknown; dispose: () => void }>>;
    elmanData: (o: object) => object;
  };
  const rows = await elmanRows(4, { epochs: 2, data: elmanData({ samples: 30, steps: 3 }) });
  expect(rows.map((r) => r.key)).toEqual(['simd', 'js', 'plain']);
  for (const r of rows) {
    await r.run();
    r.dispose();
  }
});

test('bench/elman.js measures the relaxed-SIMD core and the plain one in child processes started with the flag', async () => {
  // @ts-expect-error: a plain-JavaScript bench module without type declarations
  const { relaxedRows } = (await import('../../bench/elman.js')) as {
    relaxedRows: (h: number, o: object) => { relaxed: { cpu: number; epochs: number }; plain: { cpu: number; epochs: number } } | undefined;
  };
  // 50 tiny epochs (about 10 ms of CPU): the thread clock (/proc/thread-self/schedstat) advances at
  // scheduler ticks, so a single 0.2 ms epoch could read 0 under load.
  const r = relaxedRows(4, { epochs: 50, rounds: 1, children: 1 });
  expect(r?.relaxed.epochs).toBe(50);
  expect(r!.relaxed.cpu).toBeGreaterThan(0);
  expect(r!.plain.cpu).toBeGreaterThan(0);
}, 60_000);

test('bench/counter.js makes and runs a row per implementation, all ending near the same weights', async () => {
  // @ts-expect-error: a plain-JavaScript bench module without type declarations
  const { counterRows } = (await import('../../bench/counter.js')) as {
    counterRows: (size: object, o: object) => Promise<Array<{ key: string; run: () => unknown; final: () => { wx: number; wRec: number }; dispose: () => void }>>;
  };
  const rows = await counterRows({ key: 'tiny', samples: 6, steps: 4, epochs: 50, threads: [2] }, {});
  expect(rows.map((r) => r.key)).toEqual(['simd', 'simdBare', 'js', 'threads2', 'plain']);
  for (const r of rows) await r.run();
  const w = rows.map((r) => r.final());
  for (const v of w) {
    expect(v.wx).toBeCloseTo(w[4]!.wx, 3);
    expect(v.wRec).toBeCloseTo(w[4]!.wRec, 3);
  }
  for (const r of rows) r.dispose();
});

test('bench/gated.js makes and runs the training and single-step rows of both cells', async () => {
  // @ts-expect-error: a plain-JavaScript bench module without type declarations
  const { gatedRows, stepRows } = (await import('../../bench/gated.js')) as {
    gatedRows: (cell: string, h: number, o: object) => Promise<Array<{ key: string; run: () => unknown; dispose: () => void }>>;
    stepRows: (o: object) => Promise<Array<{ key: string; run: () => unknown; dispose: () => void; sink: () => number }>>;
  };
  // @ts-expect-error: a plain-JavaScript bench module without type declarations
  const { elmanData } = (await import('../../bench/elman.js')) as { elmanData: (o: object) => object };
  for (const cell of ['gru', 'lstm']) {
    const rows = await gatedRows(cell, 4, { epochs: 2, data: elmanData({ samples: 30, steps: 3 }), plain: true });
    expect(rows.map((r) => r.key)).toEqual(['simd', 'js', 'plain']);
    for (const r of rows) {
      await r.run();
      r.dispose();
    }
  }
  const steps = await stepRows({ steps: 3, hidden: 4 });
  expect(steps.map((r) => r.key)).toEqual(['simd', 'js']);
  for (const r of steps) await r.run();
  // Both backends read the same outputs back (the same seed gives the same weights).
  expect(steps[0]!.sink()).toBeCloseTo(steps[1]!.sink(), 4);
  for (const r of steps) r.dispose();
});
