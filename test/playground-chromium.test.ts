import type { Page } from 'playwright-core';
import { createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumAvailable } from './helpers/chromium.js';
import { config, openPage, screenshot, servePlayground, statusIs } from './helpers/playground.js';
import { markGroups, position, strokes, vertices } from './helpers/svg-marks.js';

// The playground end to end in real Chromium: the static build (what gets deployed) served from a
// sub-path on 127.0.0.1, and the `npm run playground` dev server. Training runs in the page's Web Worker.
// Assertions read what is drawn: the SVG marks Vega put in the page.

/** The line marks of a figure (`#curve` or `#surface`), one vertex list per run. */
const lines = async (page: Page, figure: string, layer: string) =>
  markGroups(await page.innerHTML(figure)).filter((g) => g.layer.startsWith(`${layer}_marks`)).map((g) => vertices(g.items[0]!.d));
/** Wait until the curve shows these runs with these epoch counts (`id:losses`), i.e. the last redraw landed. */
const curveShows = (page: Page, runs: string) =>
  page.waitForFunction((r) => document.getElementById('curve')?.dataset.runs === r, runs, { timeout: 60_000 });
const runState = (page: Page, id: number) => page.getAttribute(`#runs li[data-run="${id}"]`, 'data-state');
const train = async (page: Page, s: { optimizer?: string; lr?: string; epochs?: string; speed?: string }) => {
  if (s.optimizer) await page.selectOption('#optimizer', s.optimizer);
  if (s.lr !== undefined) await page.fill('#lr', s.lr);
  if (s.epochs !== undefined) await page.fill('#epochs', s.epochs);
  if (s.speed !== undefined) await page.fill('#speed', s.speed);
  await page.click('#train');
};

describe.runIf(chromiumAvailable('Playground end-to-end test'))('playground in Chromium', () => {
  let served: Awaited<ReturnType<typeof servePlayground>>;
  beforeAll(async () => {
    served = await servePlayground();
  }, 180_000);
  afterAll(async () => served?.close());
  const open = async (query = '') => {
    const opened = await openPage(served.browser, `${served.url}/index.html${query}`);
    await statusIs(opened.page, 'ready');
    return opened;
  };

  test('the dev server of `npm run playground` serves the page and its worker loads the core', async () => {
    const dev = await createServer({ configFile: config, server: { port: 0 }, logLevel: 'warn' });
    try {
      await dev.listen();
      const page = await served.browser.newPage();
      await page.goto(dev.resolvedUrls!.local[0]!);
      await statusIs(page, 'ready');
      await page.close();
    } finally {
      await dev.close();
    }
  });

  test('from a sub-path: RMSProp learns live, both figures draw the run in one colour, prediction counts', async () => {
    const { page, errors } = await open();
    expect(new URL(page.url()).pathname).toMatch(/^\/docs\/elman\/playground\//);
    expect(await page.inputValue('#optimizer')).toBe('rmsprop');
    expect(await page.inputValue('#lr')).toBe('0.001');
    await page.evaluate(() => {
      const w = window as unknown as { updates: number };
      w.updates = 0;
      new MutationObserver(() => w.updates++).observe(document.getElementById('epoch')!, { childList: true, characterData: true, subtree: true });
    });
    await page.click('#train');
    await page.waitForSelector('#loss[data-final]', { timeout: 60_000 });
    const result = await page.evaluate(() => ({
      loss: Number(document.getElementById('loss')!.dataset.final),
      wx: Number(document.getElementById('weights')!.dataset.wx),
      wRec: Number(document.getElementById('weights')!.dataset.wrec),
      epoch: document.getElementById('epoch')!.textContent,
      updates: (window as unknown as { updates: number }).updates,
    }));
    expect(result.loss).toBeLessThan(0.01);
    expect(Math.abs(result.wx - 1)).toBeLessThan(0.01);
    expect(Math.abs(result.wRec - 1)).toBeLessThan(0.01);
    expect(result.epoch).toBe('2000');
    // 2001 epochs at 20 per frame: about 100 progress messages, so the page was redrawn as it went.
    expect(result.updates).toBeGreaterThan(50);

    await curveShows(page, '1:2001');
    expect((await lines(page, '#curve', 'curves')).map((v) => v.length)).toEqual([2001]);
    const surface = markGroups(await page.innerHTML('#surface'));
    expect(surface.find((g) => g.type === 'rect')!.items).toHaveLength(2500);
    // The path runs from the start ring to the end star; both figures use the swatch's colour.
    const path = (await lines(page, '#surface', 'paths'))[0]!;
    const ring = position(surface.find((g) => g.layer.startsWith('starts'))!.items[0]!.transform);
    const star = position(surface.find((g) => g.layer.startsWith('ends'))!.items[0]!.transform);
    for (const i of [0, 1]) {
      expect(ring[i]).toBeCloseTo(path[0]![i]!, 2);
      expect(star[i]).toBeCloseTo(path.at(-1)![i]!, 2);
    }
    const swatch = await page.$eval('#runs li[data-run="1"] .swatch', (e) => getComputedStyle(e).backgroundColor);
    const hex = strokes(await page.innerHTML('#curve'), 'curves')[0]!;
    expect(strokes(await page.innerHTML('#surface'), 'paths')).toEqual([hex]);
    expect(swatch).toBe(`rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`);

    await page.fill('#sequence', '1011001');
    await page.click('#predict');
    await page.waitForFunction(() => document.getElementById('prediction')?.textContent !== '–');
    expect(Math.abs(Number(await page.textContent('#prediction')) - 4)).toBeLessThan(0.05);
    // The unrolled view offers the run's weights: choosing them unrolls the trained counter (y ≈ 4 for 1011001).
    await page.selectOption('#unroll-preset', 'run:1');
    expect(Number(await page.inputValue('#unroll-wx'))).toBeCloseTo(result.wx, 6);
    expect(Number(await page.inputValue('#unroll-wrec'))).toBeCloseTo(result.wRec, 6);
    await page.waitForFunction(() => />y=(3\.99|4)</.test(document.getElementById('unrolled')?.innerHTML ?? ''), undefined, { timeout: 30_000 });
    await screenshot(page, 'playground');
    expect(errors).toEqual([]);
  });

  test('overlaid runs: two optimizers on both figures, the URL reproduces them, a run can be removed', async () => {
    const { page, errors } = await open();
    await train(page, { optimizer: 'rmsprop', lr: '0.001', epochs: '2001', speed: '500' });
    await page.waitForFunction(() => document.querySelector('#runs li[data-run="1"]')?.getAttribute('data-state') === 'done', undefined, { timeout: 60_000 });
    await train(page, { optimizer: 'sgd', lr: '0.00001', epochs: '2001', speed: '500' });
    await curveShows(page, '1:2001,2:2001');
    expect(await runState(page, 2)).toBe('done');
    const curve = await page.innerHTML('#curve');
    const colours = strokes(curve, 'curves');
    expect(new Set(colours).size).toBe(2);
    expect(strokes(await page.innerHTML('#surface'), 'paths')).toEqual(colours);
    // The legend names both runs (the gradient-descent one by its learning rate).
    expect(curve).toContain('#1 rmsprop lr=0.001');
    expect(curve).toContain('#2 sgd lr=0.00001');
    await screenshot(page, 'playground-overlay');

    const url = page.url();
    expect(new URL(url).searchParams.get('runs')).toBe('rmsprop:0.001:2001:500,sgd:0.00001:2001:500');
    await page.click('#runs li[data-run="1"] .remove');
    await curveShows(page, '2:2001');
    expect(await lines(page, '#curve', 'curves')).toHaveLength(1);
    expect(new URL(page.url()).searchParams.get('runs')).toBe('sgd:0.00001:2001:500');

    // The shared link trains both runs again, one after the other, and draws them the same.
    const shared = await openPage(served.browser, url);
    await curveShows(shared.page, '1:2001,2:2001');
    expect(strokes(await shared.page.innerHTML('#curve'), 'curves')).toEqual(colours);
    expect(errors.concat(shared.errors)).toEqual([]);
  });

  test('a diverging run is drawn up to its last finite point and marked; predictions say they use those weights', async () => {
    const { page, errors } = await open();
    await train(page, { optimizer: 'sgd', lr: '0.001' });
    await page.waitForFunction(() => document.querySelector('#runs li[data-run="1"]')?.getAttribute('data-state') === 'diverged', undefined, { timeout: 60_000 });
    const at = Number(/diverged at epoch (\d+)/.exec((await page.textContent('#status'))!)![1]);
    expect(at).toBeGreaterThan(1);
    // Epochs 0..at-1 had a finite loss: that many vertices; the curve's end mark is a cross (a symbol turned 45°).
    await curveShows(page, `1:${at}`);
    expect((await lines(page, '#curve', 'curves')).map((v) => v.length)).toEqual([at]);
    const curveEnd = markGroups(await page.innerHTML('#curve')).find((g) => g.layer.startsWith('ends'))!.items[0]!;
    expect(curveEnd.transform).toMatch(/rotate\(45\)/);
    // On the surface the end is the 12-corner ×, not the 10-corner star.
    const surfaceEnd = markGroups(await page.innerHTML('#surface')).find((g) => g.layer.startsWith('ends'))!.items[0]!;
    expect(vertices(surfaceEnd.d)).toHaveLength(12);

    // Predict with the diverged run: its last finite weights, as shown, and a note saying so.
    const [wx, wRec] = (await page.textContent('#weights'))!.match(/-?\d+\.\d+/g)!.map(Number);
    await page.click('#predict');
    await page.waitForFunction(() => document.getElementById('prediction')?.textContent !== '–');
    let s = 0;
    for (const x of [1, 0, 1, 1, 0, 0, 1]) s = x * wx! + s * wRec!;
    expect(Number(await page.textContent('#prediction'))).toBeCloseTo(s, 1);
    expect(await page.textContent('#prediction-note')).toBe(' (#1 sgd lr=0.001 diverged: these are its last finite weights)');
    await screenshot(page, 'playground-diverged');
    expect(errors).toEqual([]);
  });

  test('Train during a run replaces it: the new run alone, exactly its epochs, no segment from the old one', async () => {
    const { page, errors } = await open();
    await train(page, { optimizer: 'adam', lr: '0.01', epochs: '5000', speed: '1' });
    await page.waitForFunction(() => Number(/epoch (\d+)/.exec(document.querySelector('#runs li[data-run="1"]')?.textContent ?? '')?.[1] ?? 0) >= 30, undefined, { timeout: 60_000 });
    await train(page, { optimizer: 'rmsprop', lr: '0.001', epochs: '300', speed: '50' });
    await page.waitForFunction(() => document.querySelector('#runs li[data-run="2"]')?.getAttribute('data-state') === 'done', undefined, { timeout: 60_000 });
    await curveShows(page, '2:300');
    expect(await page.$$eval('#runs li', (li) => li.map((l) => l.dataset.run))).toEqual(['2']);
    expect(await page.textContent('#epoch')).toBe('299');
    const [curve] = await lines(page, '#curve', 'curves');
    // 300 epochs span the full 360-px plot: the x axis ends at epoch 299, not at the old run's length.
    expect(curve).toHaveLength(300);
    expect(curve!.at(-1)![0]).toBeCloseTo(360, 0);
    // The surface path starts at the start ring: no straight segment from where the old run was.
    const surface = markGroups(await page.innerHTML('#surface'));
    const path = (await lines(page, '#surface', 'paths'))[0]!;
    const ring = position(surface.find((g) => g.layer.startsWith('starts'))!.items[0]!.transform);
    expect(ring[0]).toBeCloseTo(path[0]![0], 2);
    expect(ring[1]).toBeCloseTo(path[0]![1], 2);
    expect(errors).toEqual([]);
  });

  test('refused fields: the message names the field and what was typed; a good submit clears it', async () => {
    const { page } = await open();
    const refused = async (text: string) => {
      await page.click('#train');
      expect(await page.textContent('#status')).toBe(`error: ${text}`);
    };
    await page.fill('#lr', '');
    await refused('learning rate must be a number > 0, got an empty field');
    expect(await page.getAttribute('#lr', 'aria-invalid')).toBe('true');
    await page.fill('#lr', '0');
    await refused('learning rate must be a number > 0, got 0');
    await page.fill('#lr', '0.001');
    await page.fill('#epochs', '2.5');
    await refused('epochs must be an integer from 1 to 100,000, got 2.5');
    expect(await page.getAttribute('#lr', 'aria-invalid')).toBeNull();
    await page.fill('#epochs', '200001');
    await refused('epochs must be an integer from 1 to 100,000, got 200001');
    await page.fill('#epochs', '20');
    await page.selectOption('#optimizer', 'rprop');
    expect(await page.textContent('#lr-label')).toBe('initial step');
    await page.fill('#lr', '-1');
    await refused('initial step must be a number > 0, got -1');
    await page.fill('#lr', '0.001');
    await page.click('#train');
    await statusIs(page, /^done: #1 rprop step=0\.001, final loss/);
    expect(await page.getAttribute('#epochs', 'aria-invalid')).toBeNull();
    await page.close();
  });
});
