import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { Predictor } from '../../src/interop/predictor.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { serveStatic } from '../helpers/static-server.js';

// In a browser the built package fetches a TF.js model.json (a path relative to the page) and its
// weights, with no node:fs in sight; it must forecast what Node forecasts from the same file.
const root = resolve(import.meta.dirname, '../..');
const input = [Array.from({ length: 32 }, (_, t) => Math.sin(0.1 * t)), Array.from({ length: 20 }, (_, t) => Math.cos(0.2 * t))];
const page = `<!doctype html><script type="importmap">{ "imports": { "elman-rnn": "/dist/index.js" } }</script>
  <script type="module">
  import { init, Predictor } from 'elman-rnn';
  try {
    await init(undefined, { relaxedSimd: false }); // the plain core, as in Node: the same bits (Chromium would pick the relaxed one)
    const p = await Predictor.load('examples/edge-worker/model/model.json');
    window.result = p.predict(${JSON.stringify(input)});
  } catch (e) { window.result = { error: String(e) }; }
</script>`;

describe.runIf(chromiumAvailable('TF.js model over fetch in Chromium'))('Chromium', () => {
  let server: Awaited<ReturnType<typeof serveStatic>>;
  beforeAll(async () => {
    await init();
    server = await serveStatic(root, { '/predict.html': page });
  });
  afterAll(() => server?.close());

  test('Predictor.load fetches model.json and weights.bin relative to the page; same forecasts as Node', async () => {
    const node = await Predictor.load(resolve(root, 'examples/edge-worker/model/model.json'));
    const expected = node.predict(input);
    node.dispose();
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(`${server.url}/predict.html`);
      const result = await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 30_000 });
      expect(await result.jsonValue()).toEqual(expected);
    } finally {
      await browser.close();
    }
  });
});
