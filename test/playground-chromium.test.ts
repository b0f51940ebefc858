import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { build, createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumAvailable, launchChromium } from './helpers/chromium.js';
import { serveStatic } from './helpers/static-server.js';
import { markGroups, vertices } from './helpers/svg-marks.js';

// The playground end to end in real Chromium: the static build (what gets deployed) served on
// 127.0.0.1, and the `npm run playground` dev server. Training runs in the page's Web Worker.
const root = resolve(import.meta.dirname, '..');
const config = resolve(root, 'playground/vite.config.ts');
const artifacts = resolve(root, 'test-artifacts');

describe.runIf(chromiumAvailable('Playground end-to-end test'))('playground in Chromium', () => {
  const out = mkdtempSync(join(tmpdir(), 'elman-playground-'));
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Browser;
  beforeAll(async () => {
    await build({ configFile: config, logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
    server = await serveStatic(out);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  });

  test('the dev server of `npm run playground` serves the page and its worker loads the core', async () => {
    const dev = await createServer({ configFile: config, server: { port: 0 }, logLevel: 'warn' });
    try {
      await dev.listen();
      const page = await browser.newPage();
      await page.goto(dev.resolvedUrls!.local[0]!);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 60_000 });
      await page.close();
    } finally {
      await dev.close();
    }
  });

  test('Train with RMSProp: the loss falls below 0.01 live, the weights reach (1, 1), the figures show the run, prediction counts', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 60_000 });
    expect(await page.inputValue('#optimizer')).toBe('rmsprop');
    expect(await page.inputValue('#lr')).toBe('0.001');

    // Count the live updates of the epoch counter while training runs in the worker.
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

    // Wait for the last redraw, then read the figures: 2001 losses on the curve, 2002 weights on the path.
    await page.waitForFunction(() => (document.querySelector('#curve .mark-line path')?.getAttribute('d')?.split('L').length ?? 0) === 2001, undefined, { timeout: 30_000 });
    const curve = markGroups(await page.innerHTML('#curve')).filter((g) => g.type === 'line');
    expect(curve.map((g) => vertices(g.items[0]!.d).length)).toEqual([2001]);
    const surface = markGroups(await page.innerHTML('#surface'));
    expect(surface.find((g) => g.type === 'rect')!.items).toHaveLength(2500);
    // The path is drawn through points 1/400 of the picture apart: RMSProp's last thousand tiny steps collapse.
    expect(vertices(surface.find((g) => g.type === 'line')!.items[0]!.d).length).toBeGreaterThan(50);

    await page.fill('#sequence', '1011001');
    await page.click('#predict');
    await page.waitForFunction(() => document.getElementById('prediction')?.textContent !== '–');
    expect(Math.abs(Number(await page.textContent('#prediction')) - 4)).toBeLessThan(0.05);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: resolve(artifacts, 'playground.png'), fullPage: true });

    // A learning rate the optimizer refuses comes back from the worker as the typed error, shown on the page.
    await page.fill('#lr', '0');
    await page.click('#train');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('error'));
    expect(await page.textContent('#status')).toBe('error: lr must be a finite number > 0, got 0');
    expect(errors).toEqual([]);
  });
});
