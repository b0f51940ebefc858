import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumAvailable } from './helpers/chromium.js';
import { openPage, screenshot, servePlayground, statusIs } from './helpers/playground.js';
import { luminance, markGroups, symbolRows } from './helpers/svg-marks.js';

// The playground's unrolled network in Chromium: step forward through the states, then back through
// dL/ds_k; the assertions count the filled nodes Vega drew and compare their fills.
const PENDING = '#ffffff';

/** The unrolled figure's node fills: [gradients + L, states + y, inputs], each left to right. */
async function rows(page: Page): Promise<string[][]> {
  return symbolRows(await page.innerHTML('#unrolled'), 'nodes').map((r) => r.map((n) => n.fill));
}
const filled = (row: string[]) => row.filter((f) => f !== PENDING).length;
const atStep = (page: Page, step: number) => page.waitForFunction((s) => document.getElementById('unrolled')?.dataset.step === String(s), step, { timeout: 30_000 });

describe.runIf(chromiumAvailable('Playground unrolled-view test'))('the unrolled network in the playground', () => {
  let served: Awaited<ReturnType<typeof servePlayground>>;
  beforeAll(async () => {
    served = await servePlayground();
  }, 180_000);
  afterAll(async () => served?.close());

  test('forward steps fill the states one by one, backward steps fill dL/ds_k from the output back; step back undoes', async () => {
    const { page, errors } = await openPage(served.browser, `${served.url}/index.html`);
    await statusIs(page, 'ready');
    // 1011001 at w_x = 1, w_rec = 1.5: T = 7, frames 0..16, all shown at first.
    await atStep(page, 16);
    let r = await rows(page);
    expect(r.map((x) => x.length)).toEqual([9, 9, 7]);
    expect([filled(r[0]!), filled(r[1]!)]).toEqual([9, 9]);

    await page.click('#unroll-reset');
    await atStep(page, 0);
    r = await rows(page);
    expect([filled(r[0]!), filled(r[1]!)]).toEqual([0, 1]);
    for (let i = 0; i < 3; i++) await page.click('#unroll-forward');
    await atStep(page, 3);
    r = await rows(page);
    expect([filled(r[0]!), filled(r[1]!)]).toEqual([0, 4]);
    expect(await page.textContent('#unroll-frame')).toBe('frame 3 of 16: forward: s_3 = x_3·w_x + s_2·w_rec = 1·1 + 1.5·1.5 = 3.25');

    // On to the first backward frame (9): y, L and dL/ds_7 appear; the earlier gradients are still pending.
    for (let i = 0; i < 6; i++) await page.click('#unroll-forward');
    await atStep(page, 9);
    r = await rows(page);
    expect([filled(r[0]!), filled(r[1]!)]).toEqual([2, 9]);
    expect(r[0]![7]).not.toBe(PENDING);
    expect(r[0]![6]).toBe(PENDING);
    for (let i = 0; i < 3; i++) await page.click('#unroll-forward');
    await atStep(page, 12);
    expect(filled((await rows(page))[0]!)).toBe(5);
    await screenshot(page, 'playground-unrolled-backward');
    await page.click('#unroll-back');
    await atStep(page, 11);
    expect(filled((await rows(page))[0]!)).toBe(4);
    expect(errors).toEqual([]);
  });

  test('exploding and vanishing: gradient fills deepen towards k = 0 at w_rec = 1.5 and fade at 0.5; play runs the frames', async () => {
    const { page, errors } = await openPage(served.browser, `${served.url}/index.html`);
    await statusIs(page, 'ready');
    await atStep(page, 16);
    const gradients = async () => (await rows(page))[0]!.slice(0, 8).map(luminance);
    const up = await gradients();
    for (let k = 1; k < 8; k++) expect(up[k - 1]!).toBeLessThan(up[k]!);

    await page.selectOption('#unroll-preset', 'vanish');
    expect(await page.inputValue('#unroll-wrec')).toBe('0.5');
    await page.waitForFunction(() => document.getElementById('unroll-frame')?.textContent?.includes('0.5'));
    const down = await gradients();
    for (let k = 1; k < 8; k++) expect(down[k - 1]!).toBeGreaterThan(down[k]!);
    // The URL keeps the view's sequence and weights.
    expect(new URL(page.url()).searchParams.get('wrec')).toBe('0.5');

    // Play from the start: the frame advances by itself.
    await page.click('#unroll-reset');
    await atStep(page, 0);
    await page.click('#unroll-play');
    await atStep(page, 2);
    await page.click('#unroll-play');
    const paused = Number(await page.getAttribute('#unrolled', 'data-step'));
    expect(paused).toBeGreaterThanOrEqual(2);

    // A bad sequence is refused by name and the last good figure stays.
    await page.fill('#unroll-seq', '10a1');
    expect(await page.textContent('#unroll-error')).toBe('sequence must be 1 to 24 digits, each 0 or 1, got "10a1"');
    expect((await rows(page))[2]).toHaveLength(7);
    await screenshot(page, 'playground-unrolled-vanishing');
    expect(errors).toEqual([]);
  });

  test('the Elman network on binary addition: trained in the worker, one held-out sum drawn as heat maps per step', async () => {
    const { page, errors } = await openPage(served.browser, `${served.url}/index.html`);
    await statusIs(page, 'ready');
    await page.fill('#addition-epochs', '');
    await page.click('#addition-train');
    expect(await page.textContent('#addition-status')).toBe('error: epochs must be an integer from 1 to 200, got an empty field');
    await page.fill('#addition-epochs', '5');
    await page.click('#addition-train');
    await page.waitForFunction(() => /^after 5 epochs/.test(document.getElementById('addition-status')?.textContent ?? ''), undefined, { timeout: 60_000 });
    // 7 steps: inputs a, b, target and output (28 cells), 3 hidden states (21), 3 gradients (21).
    const rects = markGroups(await page.innerHTML('#addition-figure')).filter((g) => g.type === 'rect').map((g) => g.items.length);
    expect(rects).toEqual([28, 21, 21]);
    const [, a, b, sum] = /: (\d+) \+ (\d+) = (\d+), the network says \d+$/.exec((await page.textContent('#addition-status'))!)!.map(Number);
    expect(a! + b!).toBe(sum);
    await screenshot(page, 'playground-addition');
    expect(errors).toEqual([]);
  });
});
