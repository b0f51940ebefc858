import { createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countOnes, createOptimizer, init, LinearRNN, RandomState, trainSync } from '../../src/index.js';
import { chromiumAvailable } from '../helpers/chromium.js';
import { run, runEnds } from '../helpers/loop-page.js';
import { config, screenshot, statusIs, usePlayground } from '../helpers/playground.js';
import { markGroups } from '../helpers/svg-marks.js';

// The playground end to end in real Chromium: the static build (what gets deployed) served from a
// sub-path on 127.0.0.1, and the `npm run playground` dev server. Training runs in the page's Web Worker.
// The learner's loop itself is tested in playground-loop.test.ts.

describe.runIf(chromiumAvailable('Playground end-to-end test'))('playground in Chromium', () => {
  const { open, served } = usePlayground({ beforeAll, afterAll }, init);

  test('the dev server of `npm run playground` serves the page and its worker loads the core', async () => {
    const dev = await createServer({ configFile: config, server: { port: 0 }, logLevel: 'warn' });
    try {
      await dev.listen();
      const page = await served().browser.newPage();
      await page.goto(dev.resolvedUrls!.local[0]!);
      await statusIs(page, 'ready');
      await page.close();
    } finally {
      await dev.close();
    }
  });

  test('from a sub-path: each optimizer ends bit for bit where the API ends; prediction counts', async () => {
    const { page, errors } = await open();
    expect(new URL(page.url()).pathname).toMatch(/^\/docs\/elman\/playground\//);
    expect(await page.inputValue('#optimizer')).toBe('rmsprop');
    expect(await page.inputValue('#lr')).toBe('0.001');
    const rng = new RandomState(1);
    const data = countOnes({ samples: 20, length: 10, rng });
    const start = { wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1) };
    let id = 0;
    for (const [optimizer, lr, key] of [['rmsprop', '0.001', 'lr'], ['adam', '0.01', 'lr'], ['rprop', '0.001', 'initialStep']] as const) {
      await page.click('#reset');
      await run(page, { optimizer, lr, epochs: '2000', speed: '10000' });
      await runEnds(page, ++id);
      const model = new LinearRNN(start);
      trainSync(model, data, { optimizer: createOptimizer(optimizer, { [key]: Number(lr) }), epochs: 2000 });
      // The point follows the run to its end: the page's float32 weights, as strings of the exact values.
      await page.waitForFunction((w) => document.querySelector<SVGGElement>('#surface .point')?.dataset.wx === String(w), model.weights.wx);
      expect(Number(await page.getAttribute('#surface .point', 'data-wrec'))).toBe(model.weights.wRec);
      model.dispose();
    }
    await page.fill('#sequence', '1011001');
    await page.selectOption('#predict-run', '1');
    await page.click('#predict');
    expect(Math.abs(Number(await page.textContent('#prediction')) - 4)).toBeLessThan(0.05);
    await screenshot(page, 'playground');
    expect(errors).toEqual([]);
  });

  test('a diverging run is drawn up to its last finite point; predictions say they use those weights', async () => {
    const { page, errors } = await open();
    await run(page, { optimizer: 'sgd', lr: '0.1', speed: '10000' });
    await runEnds(page, 1);
    expect(await page.getAttribute('#runs li[data-run="1"]', 'data-state')).toBe('diverged');
    const detail = (await page.textContent('#runs li[data-run="1"] .detail'))!;
    expect(detail).toMatch(/^did not converge: diverged at epoch \d+ \(a non-finite loss\); drawn up to its last finite weights \(/);
    const epochs = Number(await page.getAttribute('#curve polyline[data-run="1"]', 'data-epochs'));
    expect(Number(/epoch (\d+)/.exec(detail)![1])).toBe(epochs + 1);
    await page.click('#predict');
    await page.waitForFunction(() => document.getElementById('prediction')?.textContent !== '–');
    expect(await page.textContent('#prediction-note')).toBe(' (#1 sgd lr=0.1 diverged: these are its last finite weights)');
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
    await page.fill('#epochs', '20');
    await page.selectOption('#optimizer', 'rprop');
    expect(await page.textContent('#lr-label')).toBe('initial step');
    await page.fill('#lr', '-1');
    await refused('initial step must be a number > 0, got -1');
    await page.fill('#lr', '0.001');
    await page.click('#train');
    await statusIs(page, /^#1 rprop step=0\.001 (did not converge|converged)/);
    expect(await page.getAttribute('#epochs', 'aria-invalid')).toBeNull();
    // The point's fields refuse by name too, and keep the last good point.
    await page.fill('#wx', '');
    await page.press('#wx', 'Tab');
    expect(await page.textContent('#status')).toBe('error: w_x must be a finite number, got an empty field');
    expect(await page.getAttribute('#wx', 'aria-invalid')).toBe('true');
    await page.close();
  });

  test('the Elman network on binary addition: trained in the worker, one held-out sum drawn as heat maps per step', async () => {
    const { page, errors } = await open();
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
