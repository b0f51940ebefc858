// Every example in examples/ runs and does what its comment says. The Node ones import 'elman-rnn' by
// name (the package resolving itself through its exports map, as an installed copy would); the Deno
// script runs from the installed tarball in test/e2e/consumer-matrix.test.ts.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import replay from '../fixtures/replay.json' with { type: 'json' };
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { serveStatic } from '../helpers/static-server.js';

const root = resolve(import.meta.dirname, '../..');
const node = async (script: string) => (await promisify(execFile)(process.execPath, [script], { cwd: root })).stdout.trim().split('\n');

// examples/forecast/, examples/char-rnn/, examples/addition-rnn/ and examples/edge-worker/ (a Cloudflare worker) have their own test files.
test('examples/ holds the eight examples, each run by a test', () => {
  expect(readdirSync(join(root, 'examples')).sort()).toEqual(['addition-rnn', 'binary-addition.mjs', 'char-rnn', 'deno.ts', 'edge-worker', 'forecast', 'tutorial.mjs', 'web-worker']);
});

test("tutorial.mjs prints the tutorial's lines, numpy's replay to 2 decimals, and converges", async () => {
  const lines = await node('examples/tutorial.mjs');
  expect(lines[0]).toBe('Initial weights: wx =   0.0900, wRec =   0.0113');
  expect(lines).toHaveLength(1 + 20 + 2);
  replay.rmsprop.lines.forEach(([epoch, cost], i) => {
    expect(lines[1 + i]!.startsWith(`epoch[${String(epoch).padStart(5)}] : cost =`)).toBe(true);
    expect(Number(lines[1 + i]!.split('=')[1])).toBeCloseTo(cost!, 2);
  });
  expect(lines.at(-2)).toBe('Final weights : wx =   1.0006, wRec =   1.0005');
  // 1 + 0 + 1 + 1 ones: the count is 3.
  expect(Number(lines.at(-1)!.split('=')[1])).toBeCloseTo(3, 1);
});

test('binary-addition.mjs gets every held-out sum right', async () => {
  const lines = await node('examples/binary-addition.mjs');
  expect(lines).toHaveLength(11);
  expect(lines.at(-1)).toBe('held-out sums: 100.00% of bits, 100.00% of sums entirely right');
});

describe.runIf(chromiumAvailable('Web Worker example'))('web-worker/ in Chromium', () => {
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  afterAll(() => server?.close());

  test('the worker trains the tutorial and the page shows the weights', async () => {
    server = await serveStatic(root);
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(`${server.url}/examples/web-worker/index.html`);
      const handle = await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 30_000 });
      const result = (await handle.jsonValue()) as { wx: number; wRec: number; loss: number; error?: string };
      expect(result.error).toBeUndefined();
      expect(Math.abs(result.wx - 1)).toBeLessThan(0.01);
      expect(Math.abs(result.wRec - 1)).toBeLessThan(0.01);
      expect(await tab.textContent('#status')).toMatch(/^wx = 1\.000\d, wRec = 1\.000\d, loss 0\.00382$/);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
