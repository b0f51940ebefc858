import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumAvailable } from '../helpers/chromium.js';
import { openPage, screenshot, servePlayground } from '../helpers/playground.js';
import { markGroups } from '../helpers/svg-marks.js';

// The benchmark page in Chromium with ?quick (tiny sizes, one short sample each: this checks that every
// row runs and is drawn, not how fast anything is; speed is proved by `npm run bench`).
describe.runIf(chromiumAvailable('Playground benchmark-page test'))('the benchmark page', () => {
  let served: Awaited<ReturnType<typeof servePlayground>>;
  beforeAll(async () => {
    served = await servePlayground();
  }, 180_000);
  afterAll(async () => served?.close());

  test('runs elman SIMD, scalar, js and the plain-JS loop at three sizes: a row and a bar each, the same weights reached', async () => {
    const { page, errors } = await openPage(served.browser, `${served.url}/bench.html?quick&autorun`);
    await page.waitForFunction(() => document.getElementById('bench-chart')?.dataset.bars === '12', undefined, { timeout: 120_000 });
    expect(await page.textContent('#bench-status')).toBe('done: 12 rows');
    const rows = await page.$$eval('#bench-rows tr', (trs) => trs.map((tr) => ({ size: tr.dataset.size, impl: tr.dataset.impl, cells: Array.from((tr as HTMLTableRowElement).cells, (c) => c.textContent ?? '') })));
    expect(rows.map((r) => `${r.size}/${r.impl}`)).toEqual(['tutorial', 'cache', 'large'].flatMap((s) => ['simd', 'scalar', 'js', 'plain'].map((i) => `${s}/${i}`)));
    // Each call starts from the same weights: at every size all four reach the plain loop's weights (to 3
    // decimals: float32 kernels against the plain loop's double arithmetic on float32 data).
    for (const size of ['tutorial', 'cache', 'large']) {
      const w = rows.filter((r) => r.size === size).map((r) => r.cells[6]!.split(', ').map(Number));
      for (const v of w) for (const i of [0, 1]) expect(v[i]!).toBeCloseTo(w[3]![i]!, 3);
    }
    // Every rate is a positive number, and each row is compared with the plain loop of its size.
    for (const r of rows) {
      expect(r.cells[3]).toMatch(/^\d+(\.\d+)? [kMG]$/);
      expect(r.cells[4]).toMatch(/^[\d.e-]+×$/);
    }
    // The chart: one bar per row, each with a positive width.
    const bars = markGroups(await page.innerHTML('#bench-chart')).filter((g) => g.type === 'rect').flatMap((g) => g.items);
    expect(bars).toHaveLength(12);
    for (const b of bars) expect(Number(/^M[-\d.]+,[-\d.]+h([-\d.]+)/.exec(b.d)![1])).toBeGreaterThan(10);
    await screenshot(page, 'playground-bench');
    expect(errors).toEqual([]);
  });
});
