// The door users use: the packed tarball installed into a fresh project, then built with each bundler
// (no configuration for elman; Vite 7 and 8), run in Node 20, 22 and 24, Deno, Bun, workerd and
// Chromium, type-checked the ways TypeScript projects resolve, and the `elman` command run through npm's bin link. Every runtime trains the
// tutorial and must land on the float32 bits of the installed package in Node, on the plain SIMD core
// (relaxedSimd: false; Chromium and Deno would load the relaxed one, see test/core-relaxed).
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { nodeBinary, otherNodes } from '../helpers/nodes.js';
import { serveStatic } from '../helpers/static-server.js';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const tmp = mkdtempSync(join(tmpdir(), 'elman-consumer-'));
const app = join(tmp, 'app');
type Runs = Record<string, { wx: number; wRec: number; loss: number; bits: string }>;

/** What each bundler and runtime printed, for the closing note (written to the test's temp dir). */
const printed: Record<string, string> = {};

/** Run a command in the app; resolves to its exit code and output, never rejects. */
function sh(cmd: string, args: string[], cwd = app): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

const page = (script: string, importMap = '') =>
  `<!doctype html><meta charset="utf-8">${importMap}<script type="module">${script}</script>`;

let reference: Runs;

beforeAll(async () => {
  // `npm test` has built dist/ and build/; pack without re-running prepack's build.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root });
  const tarball = join(tmp, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // elman has no dependencies; npm still reads the metadata of its optional vega peers (from the cache when it has them).
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: app });
  cpSync(join(root, 'test/runtimes/tutorial.mjs'), join(app, 'tutorial.mjs'));
  cpSync(join(root, 'test/runtimes/threads.mjs'), join(app, 'threads.mjs'));
  writeFileSync(join(app, 'node.mjs'), "import * as elman from 'elman-rnn';\nimport { tutorialRuns } from './tutorial.mjs';\nawait elman.init(undefined, { relaxedSimd: false });\nconsole.log(JSON.stringify(tutorialRuns(elman)));\n");
  writeFileSync(
    join(app, 'browser.mjs'),
    "import * as elman from 'elman-rnn';\nimport { tutorialRuns } from './tutorial.mjs';\ntry { await elman.init(undefined, { relaxedSimd: false }); window.result = tutorialRuns(elman); } catch (e) { window.result = { error: String(e) }; }\n",
  );
  writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./browser.mjs"></script>\n');
  writeFileSync(join(app, 'cdn.mjs'), "export * from 'elman-rnn';\n");
  const node = await sh(process.execPath, ['node.mjs']);
  expect(node.stderr).toBe('');
  reference = JSON.parse(node.stdout) as Runs;
}, 120_000);

afterAll(() => {
  writeFileSync(join(tmpdir(), 'elman-consumer-printed.json'), JSON.stringify(printed, null, 1));
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

/** The short form of a tutorial result: RMSProp's final weights on the SIMD core. */
const summary = (r: Runs) => `rmsprop wx=${r['rmsprop/wasm-simd']!.wx.toFixed(4)} wRec=${r['rmsprop/wasm-simd']!.wRec.toFixed(4)} bits ${r['rmsprop/wasm-simd']!.bits}`;

/** What the installed package's threads computed in Node (set by its test, compared with Chromium's). */
let nodeThreads: Record<string, { threads: number; bits: string }> | undefined;

describe('the installed package in Node, Deno and Bun', () => {
  test('Node: placeThreaded runs 2 threads (history.threads 2) from the installed package, the bits of 1 thread', async () => {
    writeFileSync(join(app, 'threads-node.mjs'), "import * as elman from 'elman-rnn';\nimport { threadRuns } from './threads.mjs';\nawait elman.init();\nconsole.log(JSON.stringify(await threadRuns(elman)));\n");
    const r = await sh(process.execPath, ['threads-node.mjs']);
    expect(r.stderr).toBe('');
    nodeThreads = JSON.parse(r.stdout) as typeof nodeThreads;
    expect([nodeThreads![1]!.threads, nodeThreads![2]!.threads]).toEqual([1, 2]);
    expect(nodeThreads![2]!.bits).toBe(nodeThreads![1]!.bits);
    printed['node threads'] = `threads 2 ran, bits ${nodeThreads![2]!.bits.slice(0, 26)}…`;
  });

  test('Node: the tutorial converges (RMSProp within 0.01 of (1, 1)) on every backend', () => {
    // gru-lstm/wasm-simd: the stacked-RNN run test/runtimes/tutorial.mjs adds (its bits are compared in runtimes-every).
    expect(Object.keys(reference).sort()).toEqual(['gru-lstm/wasm-simd', 'rmsprop/js', 'rmsprop/wasm-scalar', 'rmsprop/wasm-simd', 'sgd/js', 'sgd/wasm-scalar', 'sgd/wasm-simd']);
    for (const [name, r] of Object.entries(reference)) if (name.startsWith('rmsprop')) expect(Math.abs(r.wx - 1) + Math.abs(r.wRec - 1), name).toBeLessThan(0.01);
    printed.node = summary(reference);
  });

  test("require('elman-rnn') works from CommonJS (Node 20.19+ and 22.12+ load ES modules with require, as engines says)", async () => {
    const r = await sh(process.execPath, ['-e', "const e = require('elman-rnn'); e.initSync(); const m = new e.LinearRNN({ wx: 1, wRec: 1 }); console.log(m.predict([1, 1, 1]))"]);
    expect(r.stdout.trim()).toBe('3');
    printed.require = r.stdout.trim();
  });

  test('Deno runs the installed package from node_modules, same bits', async () => {
    const r = await sh(join(root, 'test/node_modules/.bin/deno'), ['run', '--allow-read', '--allow-env', 'node.mjs']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(JSON.parse(r.stdout)).toEqual(reference);
    printed.deno = summary(JSON.parse(r.stdout) as Runs);
  });

  test("examples/deno.ts: Deno with an npm: specifier, resolved from the project's node_modules", async () => {
    cpSync(join(root, 'examples/deno.ts'), join(app, 'deno.ts'));
    const r = await sh(join(root, 'test/node_modules/.bin/deno'), ['run', '--node-modules-dir=manual', '--allow-read', '--allow-env', 'deno.ts']);
    const out = JSON.parse(r.stdout) as { runtime: string; epochs: number; wx: number; wRec: number };
    expect(out).toMatchObject({ runtime: 'deno', epochs: 500 });
    expect(Math.abs(out.wx - 1) + Math.abs(out.wRec - 1)).toBeLessThan(0.01);
    printed['examples/deno.ts (npm:elman-rnn)'] = r.stdout.trim();
  });

  test('Bun runs the installed package, same bits', async () => {
    const r = await sh(join(root, 'test/node_modules/.bin/bun'), ['node.mjs']);
    expect(JSON.parse(r.stdout)).toEqual(reference);
    printed.bun = summary(JSON.parse(r.stdout) as Runs);
  });

  test('esbuild: one Node bundle, moved to a folder with no node_modules (a serverless host), same bits', async () => {
    const esbuild = await import('esbuild');
    const moved = join(tmp, 'moved');
    const result = await esbuild.build({ entryPoints: [join(app, 'node.mjs')], bundle: true, platform: 'node', format: 'esm', outfile: join(moved, 'bundle.mjs'), logLevel: 'silent' });
    expect(result.errors).toEqual([]);
    const r = await sh(process.execPath, [join(moved, 'bundle.mjs')], moved);
    expect(JSON.parse(r.stdout)).toEqual(reference);
    printed['esbuild node bundle, moved'] = summary(JSON.parse(r.stdout) as Runs);
  });
});

test('the core is embedded in bundles of the default entry, and left out under the "workerd" condition', async () => {
  const esbuild = await import('esbuild');
  const bundle = async (conditions: string[]) => {
    const r = await esbuild.build({ stdin: { contents: "export { init, LinearRNN } from 'elman-rnn';", resolveDir: app }, bundle: true, format: 'esm', platform: 'neutral', conditions, external: ['*.wasm'], write: false, minify: true, logLevel: 'silent' });
    return r.outputFiles[0]!.text;
  };
  // "\0asm" in base64.
  expect(await bundle([])).toContain('AGFzbQ');
  const worker = await bundle(['workerd']);
  expect(worker).not.toContain('AGFzbQ');
  printed['esbuild workerd bundle'] = `${worker.length} bytes, no embedded core`;
});

test('workerd (miniflare): a worker bundled as wrangler does (the "workerd" condition, the .wasm as a compiled module) trains to the same bits', async () => {
  const esbuild = await import('esbuild');
  const { Miniflare } = await import('miniflare');
  const out = join(tmp, 'worker');
  cpSync(join(root, 'test/runtimes/worker-entry.mjs'), join(app, 'worker-entry.mjs'));
  // wrangler's CompiledWasm rule: the .wasm import stays an import, of a file beside the bundle.
  const wasmBeside = {
    name: 'wasm-beside',
    setup(build: import('esbuild').PluginBuild) {
      build.onResolve({ filter: /\.wasm$/ }, (args) => {
        const file = resolve(args.resolveDir, args.path);
        mkdirSync(out, { recursive: true });
        cpSync(file, join(out, 'elman.wasm'));
        return { path: './elman.wasm', external: true };
      });
    },
  };
  const r = await esbuild.build({ entryPoints: [join(app, 'worker-entry.mjs')], bundle: true, format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], outfile: join(out, 'worker.mjs'), plugins: [wasmBeside], logLevel: 'silent' });
  expect(r.errors).toEqual([]);
  expect(readFileSync(join(out, 'worker.mjs'), 'utf8')).not.toContain('AGFzbQ');
  const mf = new Miniflare({
    modulesRoot: out,
    compatibilityDate: '2025-01-01',
    modules: [
      { type: 'ESModule', path: join(out, 'worker.mjs') },
      { type: 'CompiledWasm', path: join(out, 'elman.wasm') },
    ],
  });
  try {
    const res = await mf.dispatchFetch('http://localhost/');
    expect(res.status).toBe(200);
    const runs = (await res.json()) as Runs;
    expect(runs).toEqual(reference);
    printed['workerd (miniflare), wrangler-style bundle'] = summary(runs);
  } finally {
    await mf.dispose();
  }
}, 120_000);

describe('TypeScript projects type-check against the installed types', () => {
  const source = `import { init, initSync, LinearRNN, RandomState, countOnes, rmsprop, train, type WasmSource, type History } from 'elman-rnn';
import { lossCurveSpec, type VegaLiteSpec } from 'elman-rnn/plots';
export async function run(source?: WasmSource): Promise<number> {
  await init(source);
  initSync();
  const rng = new RandomState(1);
  const data = countOnes({ samples: 20, length: 10, rng });
  const model = new LinearRNN({ wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1) });
  const history: History<{ wx: number; wRec: number }> = await train(model, data, { optimizer: rmsprop({ lr: 1e-3 }), epochs: 10 });
  const spec: VegaLiteSpec = lossCurveSpec([{ name: 'rmsprop', loss: history.loss }]);
  return Object.keys(spec).length + model.weights.wx;
}
`;
  // A Node-only project: no DOM lib, only Node's types.
  test.concurrent.each([
    ['node16', 'node16', 'module'],
    ['nodenext', 'nodenext', 'module'],
    ['bundler', 'esnext', 'module'],
    ['node10', 'commonjs', 'commonjs'],
  ])('moduleResolution %s, lib ES2022 without DOM', async (resolution, module, type) => {
    const dir = join(tmp, `types-${resolution}`);
    mkdirSync(dir);
    symlinkSync(join(app, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `types-${resolution}`, private: true, type }));
    writeFileSync(join(dir, 'main.ts'), source);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', lib: ['ES2022'], module, moduleResolution: resolution, strict: true, noEmit: true,
          types: ['node'], typeRoots: [join(root, 'node_modules/@types')], skipLibCheck: false,
        },
        files: ['main.ts'],
      }),
    );
    const r = await sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
    printed[`tsc ${resolution}`] = 'no errors';
  }, 240_000);
});

// Node 22 and 24 validate relaxed SIMD: init() loads the relaxed core there; node.mjs pins the plain one,
// whose bits must be those of the Node running the tests (20).
describe.each(otherNodes)('the installed package on Node %s (npm node@…)', (version) => {
  test("the tutorial on the plain core lands on this Node's bits; init() picks the relaxed core; require() and the elman bin work", async () => {
    const bin = await nodeBinary(version);
    const r = await sh(bin, ['node.mjs']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(reference);
    const features = await sh(bin, ['--input-type=module', '-e', "import * as e from 'elman-rnn'; await e.init(); console.log(JSON.stringify(e.coreFeatures()))"]);
    expect(JSON.parse(features.stdout)).toEqual({ relaxedSimd: true });
    const required = await sh(bin, ['-e', "const e = require('elman-rnn'); e.initSync(); console.log(new e.LinearRNN({ wx: 1, wRec: 1 }).predict([1, 1, 1]))"]);
    expect(required.stdout.trim()).toBe('3');
    const cli = await sh(bin, [join(app, 'node_modules/.bin/elman'), 'train']);
    expect(cli.code).toBe(0);
    const [wx, wRec] = cli.stdout.trim().split('\n').at(-1)!.match(/-?\d+\.\d{4}/g)!.map(Number);
    expect(Math.abs(wx! - 1) + Math.abs(wRec! - 1)).toBeLessThan(0.01);
    printed[`node ${version}`] = `${summary(JSON.parse(r.stdout) as Runs)}; init() ${features.stdout.trim()}; require ${required.stdout.trim()}; elman train: ${cli.stdout.trim().split('\n').at(-1)}`;
  }, 300_000);
});

describe('the elman command from the installed package (npx)', () => {
  const npx = (...args: string[]) => sh('npx', ['--no', '--', 'elman', ...args]);

  test('--version and --help', async () => {
    const v = await npx('--version');
    expect(v.stdout).toBe(`${pkg.version}\n`);
    // The package's own name is a bin too, so `npx elman-rnn` works before anything is installed.
    expect((await sh('npx', ['--no', '--', 'elman-rnn', '--version'])).stdout).toBe(`${pkg.version}\n`);
    const h = await npx('--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('elman train [flags]');
    printed['npx elman --version'] = v.stdout.trim();
  });

  test('a bare `elman train` runs the tutorial and converges', async () => {
    const r = await npx('train');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Initial weights: wx =   0.0900, wRec =   0.0113');
    expect(lines[1]).toMatch(/^epoch\[  100\] : cost =/);
    const [wx, wRec] = lines.at(-1)!.match(/-?\d+\.\d{4}/g)!.map(Number);
    expect(Math.abs(wx! - 1)).toBeLessThan(0.01);
    expect(Math.abs(wRec! - 1)).toBeLessThan(0.01);
    printed['npx elman train'] = `${lines.at(-2)} / ${lines.at(-1)}`;
  });

  test.each(['sgd', 'momentum', 'adam', 'rprop'])('`elman train --optimizer %s` with its default rate converges', async (name) => {
    const r = await npx('train', '--optimizer', name, '--json');
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { wx: number; wRec: number; loss: number };
    expect(Math.abs(last.wx - 1)).toBeLessThan(0.01);
    expect(Math.abs(last.wRec - 1)).toBeLessThan(0.01);
    printed[`npx elman train --optimizer ${name}`] = `loss ${last.loss.toPrecision(3)}, wx ${last.wx.toFixed(4)}, wRec ${last.wRec.toFixed(4)}`;
  });

  test('a bad flag exits 2 with one line', async () => {
    const r = await npx('train', '--bogus');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(["elman: Unknown option '--bogus'"]);
    printed['npx elman train --bogus'] = `exit ${r.code}: ${r.stderr.trim()}`;
  });

  test('plot without the optional vega peers: one line naming the install command, exit 2, before training', async () => {
    const r = await npx('plot', '--out', 'figures');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^elman: plots need the optional peer dependencies vega@/);
  });

  test('plot with four optimizers including Rprop, with and without --lr, once vega is installed', async () => {
    // The peers as a user adds them (linked from this repository's pinned install, to stay offline).
    for (const name of ['vega', 'vega-lite']) symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', name));
    const a = await npx('plot', '--out', 'figs-default', '--optimizer', 'sgd,rmsprop,adam,rprop', '--epochs', '300', '--grid', '10');
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const b = await npx('plot', '--out', 'figs-lr', '--optimizer', 'rmsprop,adam,rprop,momentum', '--lr', '1e-3,1e-2,1e-3,2e-5', '--epochs', '300', '--grid', '10');
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    for (const dir of ['figs-default', 'figs-lr']) expect(readdirSync(join(app, dir)).sort()).toEqual(['gradient-flow.svg', 'loss-curve.svg', 'loss-surface.svg']);
    printed['npx elman plot (defaults)'] = a.stdout.trim();
    printed['npx elman plot --lr'] = b.stdout.trim();
  });
});

describe.runIf(chromiumAvailable('consumer matrix in Chromium'))('browser bundles with no configuration for elman, in Chromium', () => {
  let browser: Browser;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    for (const close of closers) await close();
    await browser?.close();
  }, 60_000);

  /** Open `url`, wait for window.result, return it. */
  async function result(url: string): Promise<Runs> {
    const tab = await browser.newPage();
    try {
      await tab.goto(url);
      const handle = await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 60_000 });
      return (await handle.jsonValue()) as Runs;
    } finally {
      await tab.close();
    }
  }
  async function serve(dir: string, pages: Record<string, string> = {}): Promise<string> {
    const server = await serveStatic(dir, pages);
    closers.push(server.close);
    return server.url;
  }
  /** The built bundle must not mention vega: `import 'elman-rnn'` never references plotting. */
  const noVega = (dir: string) => {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && /\.m?js$/.test(f.name));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(join(f.parentPath, f.name), 'utf8')).not.toMatch(/vega/);
  };

  test('esbuild (browser, esm)', async () => {
    const esbuild = await import('esbuild');
    const out = join(app, 'out/esbuild');
    const r = await esbuild.build({ entryPoints: [join(app, 'browser.mjs')], bundle: true, platform: 'browser', format: 'esm', outdir: out, logLevel: 'silent' });
    expect([...r.errors, ...r.warnings]).toEqual([]);
    noVega(out);
    const runs = await result(`${await serve(out, { '/': page("import './browser.js';") })}/`);
    expect(runs).toEqual(reference);
    printed['esbuild browser in Chromium'] = summary(runs);
  });

  test('rollup with @rollup/plugin-node-resolve', async () => {
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    const warnings: string[] = [];
    const bundle = await rollup({ input: join(app, 'browser.mjs'), plugins: [nodeResolve({ browser: true })], onwarn: (w) => warnings.push(w.message) });
    const out = join(app, 'out/rollup');
    await bundle.write({ dir: out, format: 'es' });
    await bundle.close();
    expect(warnings).toEqual([]);
    noVega(out);
    const runs = await result(`${await serve(out, { '/': page("import './browser.js';") })}/`);
    expect(runs).toEqual(reference);
    printed['rollup in Chromium'] = summary(runs);
  });

  test('threads: a Vite 8 build served cross-origin isolated (COOP/COEP) runs 2 threads on Web Workers, the bits Node computes; without the headers, 1 thread', async () => {
    const dir = join(tmp, 'threads-app');
    mkdirSync(dir);
    symlinkSync(join(app, 'node_modules'), join(dir, 'node_modules'));
    cpSync(join(app, 'tutorial.mjs'), join(dir, 'tutorial.mjs'));
    cpSync(join(app, 'threads.mjs'), join(dir, 'threads.mjs'));
    writeFileSync(join(dir, 'main.mjs'), "import * as elman from 'elman-rnn';\nimport { threadRuns } from './threads.mjs';\ntry { await elman.init(); window.result = await threadRuns(elman); } catch (e) { window.result = { error: String(e) }; }\n");
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.mjs"></script>\n');
    const vite = await import('vite');
    const out = join(dir, 'dist');
    await vite.build({ root: dir, logLevel: 'silent', configFile: false, build: { outDir: out, emptyOutDir: true } });
    const coop = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    const isolated = await serveStatic(out, {}, coop);
    closers.push(isolated.close);
    const runs = (await result(`${isolated.url}/index.html`)) as unknown as typeof nodeThreads;
    expect(runs).toEqual(nodeThreads);
    const plain = (await result(`${await serve(out)}/index.html`)) as unknown as typeof nodeThreads;
    expect([plain![1]!.threads, plain![2]!.threads]).toEqual([1, 1]);
    printed['vite threads in Chromium'] = `isolated: threads ${runs![2]!.threads}, Node's bits; not isolated: threads ${plain![2]!.threads}`;
  });

  test('webpack 5 (production, target web)', async () => {
    const { default: webpack } = await import('webpack');
    const out = join(app, 'out/webpack');
    const stats = await new Promise<import('webpack').Stats>((done, fail) =>
      webpack({ mode: 'production', context: app, entry: './browser.mjs', output: { path: out, filename: 'main.js' }, target: 'web' }, (error, s) => (error ? fail(error) : done(s!))),
    );
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    expect([...(info.errors ?? []), ...(info.warnings ?? [])].map((e) => e.message)).toEqual([]);
    noVega(out);
    const runs = await result(`${await serve(out, { '/': '<!doctype html><script src="/main.js"></script>' })}/`);
    expect(runs).toEqual(reference);
    printed['webpack 5 in Chromium'] = summary(runs);
  });

  test('init() with no options loads the relaxed-SIMD core from a bundle: esbuild one file (its import inlined) and rollup (a chunk)', async () => {
    writeFileSync(join(app, 'features.mjs'), "import * as elman from 'elman-rnn';\ntry { await elman.init(); window.result = elman.coreFeatures(); } catch (e) { window.result = { error: String(e) }; }\n");
    const esbuild = await import('esbuild');
    const one = join(app, 'out/features-esbuild');
    await esbuild.build({ entryPoints: [join(app, 'features.mjs')], bundle: true, platform: 'browser', format: 'esm', outfile: join(one, 'features.js'), logLevel: 'silent' });
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    const chunked = join(app, 'out/features-rollup');
    const bundle = await rollup({ input: join(app, 'features.mjs'), plugins: [nodeResolve({ browser: true })] });
    await bundle.write({ dir: chunked, format: 'es' });
    await bundle.close();
    expect(readdirSync(chunked).length).toBeGreaterThan(1); // the relaxed core's bytes in a chunk of their own
    for (const out of [one, chunked]) expect(await result(`${await serve(out, { '/': page("import './features.js';") })}/`)).toEqual({ relaxedSimd: true });
    printed['relaxed core from bundles in Chromium'] = 'esbuild one file, rollup chunk: relaxedSimd true';
  });

  test('a single-file CDN-style module (everything in one ESM file, loaded through an import map)', async () => {
    const esbuild = await import('esbuild');
    const out = join(app, 'out/cdn');
    await esbuild.build({ entryPoints: [join(app, 'cdn.mjs')], bundle: true, platform: 'neutral', format: 'esm', outfile: join(out, 'elman.js'), logLevel: 'silent' });
    cpSync(join(app, 'tutorial.mjs'), join(out, 'tutorial.mjs'));
    const html = page(
      "import * as elman from 'elman-rnn'; import { tutorialRuns } from '/tutorial.mjs'; try { await elman.init(undefined, { relaxedSimd: false }); window.result = tutorialRuns(elman); } catch (e) { window.result = { error: String(e) }; }",
      '<script type="importmap">{ "imports": { "elman-rnn": "/elman.js" } }</script>',
    );
    const runs = await result(`${await serve(out, { '/': html })}/`);
    expect(runs).toEqual(reference);
    printed['single-file CDN module in Chromium'] = summary(runs);
  });

  // Vite 8 is the repository's own (with Vitest); Vite 7 is the test package's, installed under the alias vite7.
  const vites = [['8', () => import('vite')], ['7', () => import('vite7') as unknown as Promise<typeof import('vite')>]] as const;

  test.each(vites)('Vite %s build', async (major, load) => {
    const vite = await load();
    expect(vite.version.split('.')[0]).toBe(major);
    const out = join(app, `out/vite${major}`);
    await vite.build({ root: app, logLevel: 'silent', configFile: false, build: { outDir: out, emptyOutDir: true } });
    noVega(out);
    const runs = await result(`${await serve(out)}/index.html`);
    expect(runs).toEqual(reference);
    printed[`Vite ${vite.version} build in Chromium`] = summary(runs);
  });

  test.each(vites)('Vite %s dev server', async (major, load) => {
    const vite = await load();
    const server = await vite.createServer({ root: app, logLevel: 'silent', configFile: false, server: { host: '127.0.0.1', port: 0 }, cacheDir: join(tmp, `vite${major}-cache`) });
    await server.listen();
    closers.push(() => server.close());
    const runs = await result(`${server.resolvedUrls!.local[0]}index.html`);
    expect(runs).toEqual(reference);
    printed[`Vite ${vite.version} dev in Chromium`] = summary(runs);
  });
});

