import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adam, countOnes, ElmanRNN, LinearRNN, RandomState, train } from '../../src/index.js';
import { init } from '../../src/backends/wasm/core.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { serveStatic } from '../helpers/static-server.js';
import { randomElmanData } from '../helpers/elman-data.js';

// The built package in Chromium, unbundled (dist/ through an import map): in a page served with
// COOP/COEP (cross-origin isolated) threads run as Web Workers from an inline source, the main thread
// spinning on Atomics.load; without those headers any thread count falls back to one thread.
const root = resolve(import.meta.dirname, '../..');
const elmanOptions = { inputSize: 2, hiddenSize: 16, outputSize: 1, seed: 5 };
const trainOptions = { epochs: 4, batchSize: 50, shuffle: 3 };

const page = `<!doctype html><script type="importmap">{ "imports": { "elman-rnn": "/dist/index.js" } }</script>
<script type="module">
import { init, ElmanRNN, LinearRNN, countOnes, RandomState, adam, train, lossSurface, lossSurfaceThreaded } from 'elman-rnn';
// The test's data, rebuilt here from the same numbers (helpers/elman-data.ts ships no browser copy).
const data = __DATA__;
data.x = Float32Array.from(data.x);
data.targets = Float32Array.from(data.targets);
try {
  // The plain SIMD core, as in Node: the fallback's bits are compared with Node's.
  await init(undefined, { relaxedSimd: false });
  const out = { isolated: globalThis.crossOriginIsolated === true, elman: {}, counter: {}, surface: {} };
  for (const threads of [1, 2]) {
    const model = new ElmanRNN(${JSON.stringify(elmanOptions)});
    const placed = await model.placeThreaded(data, { threads });
    const history = await train(model, placed, { optimizer: adam({ lr: 1e-2 }), ...${JSON.stringify(trainOptions)} });
    out.elman[threads] = { params: Array.from(model.params), threads: history.threads };
    model.dispose();
  }
  const counts = countOnes({ samples: 500, length: 12, rng: new RandomState(2) });
  for (const threads of [1, 2]) {
    const model = new LinearRNN({ wx: 0.7, wRec: 0.9 });
    const placed = await model.placeThreaded(counts, { threads });
    out.counter[threads] = model.lossAndGrad(placed);
    model.dispose();
  }
  const grid = { wx: { min: -2, max: 2, count: 9 }, wRec: { min: -2, max: 2, count: 7 } };
  out.surface.same = Array.from((await lossSurfaceThreaded(counts, { ...grid, threads: 2 })).loss).every((v, i, a) => Object.is(v, lossSurface(counts, grid).loss[i]));
  window.result = out;
} catch (e) { window.result = { error: String(e && e.stack || e) }; }
</script>`;

describe.runIf(chromiumAvailable('threads in Chromium'))('threads in Chromium', () => {
  const data = randomElmanData(6, 150, 7, 2, 1, false);
  const pageWith = page.replace('__DATA__', JSON.stringify({ ...data, x: Array.from(data.x), targets: Array.from(data.targets) }));
  let isolated: Awaited<ReturnType<typeof serveStatic>>;
  let plain: Awaited<ReturnType<typeof serveStatic>>;
  let node: { threaded: Float32Array; placed: Float32Array; counter: unknown };
  beforeAll(async () => {
    await init();
    const coop = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    isolated = await serveStatic(root, { '/threads.html': pageWith }, coop);
    plain = await serveStatic(root, { '/threads.html': pageWith });
    // What Node computes: the threaded (block) path, and the ordinary placement a fallback uses.
    const run = async (threaded: boolean) => {
      const model = new ElmanRNN(elmanOptions);
      const placed = threaded ? await model.placeThreaded(data, { threads: 1 }) : model.place(data);
      await train(model, placed, { optimizer: adam({ lr: 1e-2 }), ...trainOptions });
      const params = Float32Array.from(model.params);
      model.dispose();
      return params;
    };
    const counter = new LinearRNN({ wx: 0.7, wRec: 0.9 });
    const counts = countOnes({ samples: 500, length: 12, rng: new RandomState(2) });
    node = { threaded: await run(true), placed: await run(false), counter: counter.lossAndGrad(await counter.placeThreaded(counts, { threads: 1 })) };
    counter.dispose();
  });
  afterAll(async () => {
    await isolated?.close();
    await plain?.close();
  });

  async function open(url: string) {
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      await tab.goto(`${url}/threads.html`);
      const result = (await (await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 60_000 })).jsonValue()) as {
        error?: string;
        isolated: boolean;
        elman: Record<string, { params: number[]; threads: number }>;
        counter: Record<string, unknown>;
        surface: { same: boolean };
      };
      expect(result.error).toBeUndefined();
      expect(errors).toEqual([]);
      return result;
    } finally {
      await browser.close();
    }
  }

  test('cross-origin isolated: threads 2 run (history.threads 2) and give the bits of threads 1, which are the bits Node computes', async () => {
    const r = await open(isolated.url);
    expect(r.isolated).toBe(true);
    expect([r.elman[1]!.threads, r.elman[2]!.threads]).toEqual([1, 2]);
    expect(r.elman[2]!.params).toEqual(r.elman[1]!.params);
    expect(Float32Array.from(r.elman[1]!.params)).toEqual(node.threaded);
    expect(r.counter[2]).toEqual(r.counter[1]);
    expect(r.counter[1]).toEqual(node.counter);
    expect(r.surface.same).toBe(true);
  }, 120_000);

  test('not isolated: threads 2 falls back to one ordinary thread (history.threads 1, the bits of model.place in Node)', async () => {
    const r = await open(plain.url);
    expect(r.isolated).toBe(false);
    expect([r.elman[1]!.threads, r.elman[2]!.threads]).toEqual([1, 1]);
    expect(Float32Array.from(r.elman[2]!.params)).toEqual(node.placed);
    expect(r.surface.same).toBe(true);
  }, 120_000);
});
