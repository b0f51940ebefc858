import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from './chromium.js';
import { serveStatic } from './static-server.js';

export const root = resolve(import.meta.dirname, '../..');
export const config = resolve(root, 'playground/vite.config.ts');
export const artifacts = resolve(root, 'test-artifacts');

/** Where the built playground is served: a sub-path, as on a project page, never the domain root. */
export const SUB_PATH = '/docs/elman/playground';

/** The static build of the playground served from SUB_PATH on 127.0.0.1, and a Chromium to open it. */
export async function servePlayground(): Promise<{ url: string; browser: Browser; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'elman-playground-'));
  await build({ configFile: config, logLevel: 'warn', build: { outDir: join(dir, SUB_PATH), emptyOutDir: true } });
  const server = await serveStatic(dir);
  const browser = await launchChromium();
  return {
    url: `${server.url}${SUB_PATH}`,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page that records uncaught errors; `errors` must stay empty. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1150, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  return { page, errors };
}

/** Save a full-page screenshot as test-artifacts/NAME.png (looked at by eye; CI keeps the folder). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: resolve(artifacts, `${name}.png`), fullPage: true });
}

/** Wait until the status line reads `text` (or matches it). */
export const statusIs = (page: Page, text: string | RegExp, timeout = 60_000) =>
  page.waitForFunction(
    ([s, flags]) => {
      const t = document.getElementById('status')?.textContent ?? '';
      return flags === null ? t === s : new RegExp(s, flags).test(t);
    },
    [typeof text === 'string' ? text : text.source, typeof text === 'string' ? null : text.flags] as const,
    { timeout },
  );

/**
 * For a describe block: build and serve the playground once (beforeAll), close it after, and return
 * `open(query, viewport)`, which opens the page and waits until its status reads 'ready'.
 */
export function usePlayground(hooks: { beforeAll: (fn: () => Promise<void>, timeout?: number) => void; afterAll: (fn: () => Promise<void>) => void }, before?: () => Promise<unknown>) {
  const state: { served?: Awaited<ReturnType<typeof servePlayground>> } = {};
  hooks.beforeAll(async () => {
    await before?.();
    state.served = await servePlayground();
  }, 180_000);
  hooks.afterAll(async () => state.served?.close());
  const open = async (query = '', viewport = { width: 1280, height: 800 }) => {
    const opened = await openPage(state.served!.browser, `${state.served!.url}/index.html${query}`);
    await opened.page.setViewportSize(viewport);
    await statusIs(opened.page, 'ready');
    return opened;
  };
  return { open, served: () => state.served! };
}
