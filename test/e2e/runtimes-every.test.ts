import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { nodeBinary, otherNodes } from '../helpers/nodes.js';
import { serveStatic } from '../helpers/static-server.js';

// Every runtime trains the tutorial from the *built* package (dist/ + build/elman.wasm) with seed 1,
// and must land on the same float32 bits as Node. Expected values come from SPEC.md's tutorial runs;
// a GRU → LSTM stack trained on the wasm core rides along, bits compared the same way.
const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
type Runs = Record<string, { wx: number; wRec: number; loss: number; bits: string }>;
const json = async (cmd: string, args: string[]): Promise<Runs> => JSON.parse((await run(cmd, args, { cwd: root })).stdout) as Runs;

let node: Runs;
beforeAll(async () => {
  node = await json(process.execPath, ['test/runtimes/main.mjs']);
}, 60_000);

describe('Node (the reference)', () => {
  test('trains the tutorial as SPEC.md describes, on every backend', () => {
    expect(Object.keys(node).sort()).toEqual(['gru-lstm/wasm-simd', 'rmsprop/js', 'rmsprop/wasm-scalar', 'rmsprop/wasm-simd', 'sgd/js', 'sgd/wasm-scalar', 'sgd/wasm-simd']);
    // The stacked GRU → LSTM run (test/runtimes/tutorial.mjs gatedRuns): its loss falls, and its bits are compared below.
    const gated = node['gru-lstm/wasm-simd'] as unknown as { first: number; loss: number; stepped: string };
    expect(gated.loss).toBeLessThan(gated.first);
    expect(gated.stepped).toMatch(/^([0-9a-f]{8} ){9}[0-9a-f]{8}$/);
    for (const [name, r] of Object.entries(node).filter(([k]) => !k.startsWith('gru-lstm'))) {
      // Gradient descent ends near (1.06, 0.99); RMSProp near (0.9995, 0.9993) with a loss below 0.01.
      const [wx, wRec] = name.startsWith('sgd') ? [1.06, 0.99] : [0.9995, 0.9993];
      expect(Math.abs(r.wx - wx), name).toBeLessThan(0.005);
      expect(Math.abs(r.wRec - wRec), name).toBeLessThan(0.005);
      if (name.startsWith('rmsprop')) expect(r.loss).toBeLessThan(0.01);
      expect(r.bits).toMatch(/^[0-9a-f]{8} [0-9a-f]{8}$/);
    }
  });
});

test('Deno (npm package "deno") lands on the same bits as Node', async () => {
  expect(await json(join(root, 'test/node_modules/.bin/deno'), ['run', '--allow-read', 'test/runtimes/main.mjs'])).toEqual(node);
});

test('Bun (npm package "bun") lands on the same bits as Node', async () => {
  expect(await json(join(root, 'test/node_modules/.bin/bun'), ['test/runtimes/main.mjs'])).toEqual(node);
});

// Node 22 and 24 validate relaxed SIMD, so init() would load the relaxed core there (test/core-relaxed);
// main.mjs pins the plain core, whose bits must be Node 20's.
describe.each(otherNodes)('Node %s (npm node@…), the plain core pinned', (version) => {
  test("trains the tutorial and the GRU → LSTM stack to the bits of this Node, and runs 2 threads to the bits of 1", async () => {
    const bin = await nodeBinary(version);
    expect(await json(bin, ['test/runtimes/main.mjs'])).toEqual(node);
    const threads = (await json(bin, ['test/runtimes/threads-main.mjs'])) as unknown as Record<string, { threads: number; bits: string }>;
    expect([threads[1]!.threads, threads[2]!.threads]).toEqual([1, 2]);
    expect(threads[2]!.bits).toBe(threads[1]!.bits);
  }, 300_000);
});

describe('threads (test/runtimes/threads-main.mjs): an Elman network on placeThreaded data, 1 and 2 threads', () => {
  type ThreadRuns = Record<string, { threads: number; bits: string }>;
  let nodeThreads: ThreadRuns;
  beforeAll(async () => {
    nodeThreads = (await json(process.execPath, ['test/runtimes/threads-main.mjs'])) as unknown as ThreadRuns;
  }, 60_000);

  test('Node: worker_threads, 2 threads ran, the bits of 1', () => {
    expect([nodeThreads[1]!.threads, nodeThreads[2]!.threads]).toEqual([1, 2]);
    expect(nodeThreads[2]!.bits).toBe(nodeThreads[1]!.bits);
  });

  test.each([
    ['Node', process.execPath, []],
    ['Deno', join(root, 'test/node_modules/.bin/deno'), ['run', '--allow-read']],
    ['Bun', join(root, 'test/node_modules/.bin/bun'), []],
  ])('%s: a threaded placement left undisposed does not keep the process alive', async (_, cmd, args) => {
    const r = await run(cmd, [...args, 'test/runtimes/threads-undisposed.mjs'], { cwd: root, timeout: 30_000 });
    expect(JSON.parse(r.stdout)).toEqual({ threads: 2 });
  }, 40_000);

  test('Deno (worker_threads) and Bun (Web Workers) from the inline source: 2 threads ran, the bits of Node', async () => {
    expect(await json(join(root, 'test/node_modules/.bin/deno'), ['run', '--allow-read', 'test/runtimes/threads-main.mjs'])).toEqual(nodeThreads);
    expect(await json(join(root, 'test/node_modules/.bin/bun'), ['test/runtimes/threads-main.mjs'])).toEqual(nodeThreads);
  }, 60_000);
});

describe('workerd (through miniflare)', () => {
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  // Where the "workerd" export condition sends `import 'elman-rnn'`, read from package.json as wrangler would.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
  const entry = pkg.exports['.']!.workerd!;
  // What a bundler hands workerd: every ES module, the .wasm as a compiled module (no bytes), and the
  // name 'elman-rnn' bound to that entry (workerd looks bare names up beside the importing module).
  const worker = (script: string) =>
    new Miniflare({
      modulesRoot: root,
      compatibilityDate: '2025-01-01',
      modules: [
        { type: 'ESModule', path: join(root, script) },
        { type: 'ESModule', path: join(root, 'test/runtimes/tutorial.mjs') },
        { type: 'ESModule', path: join(root, 'test/runtimes/elman-rnn'), contents: `export * from '../../${entry.replace(/^\.\//, '')}';` },
        ...walk(join(root, 'dist')).filter((p) => p.endsWith('.js')).map((path) => ({ type: 'ESModule' as const, path })),
        { type: 'CompiledWasm', path: join(root, 'build/elman.wasm') },
      ],
    });
  const get = async (mf: Miniflare, path: string) => {
    try {
      const res = await mf.dispatchFetch(`http://localhost${path}`);
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    } finally {
      await mf.dispose();
    }
  };

  test('refuses bytes, and init() without a module says how to pass one', async () => {
    const r = await get(worker('test/runtimes/worker-module.mjs'), '/default');
    expect(r.bytesRefused).toMatch(/CompileError|disallowed|not allowed/i);
    expect(r.name).toBe('InitError');
    expect(r.message).toContain("import wasm from 'elman-rnn/elman.wasm'; await init(wasm);");
  });

  test('init(importedModule) lands on the same bits as Node', async () => {
    expect(await get(worker('test/runtimes/worker-module.mjs'), '/train')).toEqual(node);
  });

  test('import \'elman-rnn\' under the "workerd" export condition makes init() work with no argument, same bits', async () => {
    expect(entry).toBe('./dist/workerd.js');
    expect(await get(worker('test/runtimes/worker-entry.mjs'), '/')).toEqual(node);
  });
});

describe.runIf(chromiumAvailable('Chromium runtime test'))('Chromium', () => {
  // The import map stands in for a bundler resolving 'elman-rnn' to the package's default entry.
  const page = `<!doctype html><script type="importmap">{ "imports": { "elman-rnn": "/dist/index.js" } }</script>
    <script type="module">
    import * as elman from 'elman-rnn';
    import { tutorialRuns } from '/test/runtimes/tutorial.mjs';
    try { await elman.init(undefined, { relaxedSimd: false }); window.result = tutorialRuns(elman); } catch (e) { window.result = { error: String(e) }; }
  </script>`;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  afterAll(() => server?.close());

  test('init() fetches the .wasm next to the package and lands on the same bits as Node', async () => {
    server = await serveStatic(root, { '/runtime.html': page });
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(`${server.url}/runtime.html`);
      const result = await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 30_000 });
      expect(await result.jsonValue()).toEqual(node);
    } finally {
      await browser.close();
    }
  });
});
