import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/embedded.js';
import { InitError } from '../../src/errors.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { nodeBinary, otherNodes } from '../helpers/nodes.js';
import { serveStatic } from '../helpers/static-server.js';

// The relaxed-SIMD core (build/elman.relaxed.wasm) through the built package: init() picks it where
// WebAssembly.validate accepts relaxed SIMD (Node 20 only with --experimental-wasm-relaxed-simd,
// Chromium), `relaxedSimd: false` keeps the plain core, and its results hold the same contract as the
// plain core's: gradients within the float64 finite-difference and js-backend tolerances of
// test/elman-gradcheck and test/elman-backends, training losses within float32 rounding of both.
const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const url = (p: string) => pathToFileURL(resolve(root, p)).href;
type Grads = Record<'wasm' | 'js', { analytic: number[]; numerical: number[]; worst: number }>;
interface Checks {
  features: { relaxedSimd: boolean };
  madd: number;
  elmanGrads: Grads;
  stackGrads: Grads;
  losses: Record<'wasm' | 'js', number[]>;
}

const script = (options: string) => `import * as elman from '${url('dist/index.js')}'; import { relaxedChecks } from '${url('test/runtimes/relaxed.mjs')}';
await elman.init(undefined, ${options}); console.log(JSON.stringify(relaxedChecks(elman)));`;

/** relaxedChecks (test/runtimes/relaxed.mjs) in a fresh Node process on the built package. */
async function inNode(flags: string[], options: string, node = process.execPath): Promise<Checks> {
  const { stdout } = await run(node, [...flags, '--input-type=module', '-e', script(options)]);
  return JSON.parse(stdout) as Checks;
}

/** The same in Deno or Bun (their npm packages), from a script file. */
async function inRuntime(bin: 'deno' | 'bun'): Promise<Checks> {
  const dir = mkdtempSync(join(tmpdir(), 'elman-relaxed-'));
  try {
    writeFileSync(join(dir, 'checks.mjs'), script('{}'));
    const args = bin === 'deno' ? ['run', '--allow-read', join(dir, 'checks.mjs')] : [join(dir, 'checks.mjs')];
    const { stdout } = await run(join(root, 'test/node_modules/.bin', bin), args);
    return JSON.parse(stdout) as Checks;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The contract every core holds (the plain one's tests, applied to whichever core ran). */
function holdsContract(r: Checks): void {
  for (const [name, g] of [['Elman', r.elmanGrads], ['GRU → LSTM', r.stackGrads]] as const) {
    const a = g.wasm.analytic, n = g.wasm.numerical, j = g.js.analytic;
    const big = Math.max(...n.map(Math.abs));
    expect(big, name).toBeGreaterThan(1e-3);
    // Against central differences of the float64 loss: test/elman-gradcheck's 1e-3 criterion.
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - n[i]!), `${name} parameter ${i}`).toBeLessThan(1e-3 * Math.max(Math.abs(n[i]!), 0.01 * big));
    // Against the js backend (float64 arithmetic over float32 arrays): test/elman-backends' 1e-5 of the largest entry.
    const scale = Math.max(...j.map(Math.abs));
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - j[i]!) / scale, `${name} parameter ${i} vs js`).toBeLessThan(1e-5);
  }
  // Thirty epochs of RMSProp: every epoch's loss within 1e-3 relative of the js backend's.
  r.losses.wasm.forEach((l, e) => expect(Math.abs(l - r.losses.js[e]!), `epoch ${e}`).toBeLessThan(1e-3 * r.losses.js[e]!));
  expect(r.losses.wasm.at(-1)!).toBeLessThan(0.1 * r.losses.wasm[0]!);
}

describe('Node 20 with --experimental-wasm-relaxed-simd', () => {
  let relaxed: Checks, plain: Checks;
  beforeAll(async () => {
    [relaxed, plain] = await Promise.all([inNode(['--experimental-wasm-relaxed-simd'], '{}'), inNode(['--experimental-wasm-relaxed-simd'], '{ relaxedSimd: false }')]);
  }, 120_000);

  test('init() loads the relaxed core, and its multiply-adds are fused here (V8 on a CPU with FMA)', () => {
    expect(relaxed.features).toEqual({ relaxedSimd: true });
    // a·a + c = 2⁻²⁴ exactly when fused, 0 when a·a is rounded first (the plain core).
    expect(relaxed.madd).toBe(2 ** -24);
  });

  test('relaxedSimd: false loads the plain core, whose multiply and add round apart', () => {
    expect(plain.features).toEqual({ relaxedSimd: false });
    expect(plain.madd).toBe(0);
  });

  test('the relaxed core holds the plain core\'s contract: finite differences, the js backend, training', () => {
    holdsContract(relaxed);
    holdsContract(plain);
  });

  test('the two cores train to the same losses within float32 rounding, and not to the same bits', () => {
    relaxed.losses.wasm.forEach((l, e) => expect(Math.abs(l - plain.losses.wasm[e]!), `epoch ${e}`).toBeLessThan(1e-3 * plain.losses.wasm[e]!));
    expect(relaxed.losses.wasm).not.toEqual(plain.losses.wasm);
    // The js backend does not depend on the core.
    expect(relaxed.losses.js).toEqual(plain.losses.js);
  });

  test('asking for the plain core after the relaxed one is live rejects with an InitError whose message names relaxedSimd (the core loads once; it stays relaxed)', async () => {
    const probe = `import * as elman from '${url('dist/index.js')}';
await elman.init(); await elman.init(undefined, {});
const e = await elman.init(undefined, { relaxedSimd: false }).then(() => undefined, (e) => e);
console.log(JSON.stringify({ name: e?.name, argument: e?.argument, value: e?.value, names: /relaxedSimd/.test(e?.message), features: elman.coreFeatures() }));`;
    const { stdout } = await run(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', probe]);
    expect(JSON.parse(stdout)).toEqual({ name: 'InitError', argument: 'init', value: false, names: true, features: { relaxedSimd: true } });
  }, 60_000);
});

describe('Deno and Bun have relaxed SIMD: init() loads the relaxed core there', () => {
  test('Deno (V8) fuses, and holds the contract', async () => {
    const r = await inRuntime('deno');
    expect(r.features).toEqual({ relaxedSimd: true });
    expect(r.madd).toBe(2 ** -24);
    holdsContract(r);
  }, 120_000);

  test('Bun (JavaScriptCore) holds the contract; where it does not fuse, the relaxed core is the plain core bit for bit', async () => {
    const [r, plain] = await Promise.all([inRuntime('bun'), inNode([], '{ relaxedSimd: false }')]);
    expect(r.features).toEqual({ relaxedSimd: true });
    expect([0, 2 ** -24]).toContain(r.madd);
    holdsContract(r);
    // Unfused, relaxed_madd(a, b, c) is a·b rounded, then + c rounded: the plain core's c + a·b.
    if (r.madd === 0) expect(r.losses.wasm).toEqual(plain.losses.wasm);
  }, 120_000);
});

describe.each(otherNodes)('Node %s (npm node@…): relaxed SIMD is on, so init() loads the relaxed core', (version) => {
  let relaxed: Checks, plain: Checks, node20: Checks;
  beforeAll(async () => {
    const bin = await nodeBinary(version);
    [relaxed, plain, node20] = await Promise.all([inNode([], '{}', bin), inNode([], '{ relaxedSimd: false }', bin), inNode([], '{ relaxedSimd: false }')]);
  }, 300_000);

  test('init() with no options: the relaxed core, fused (V8), holding the contract', () => {
    expect(relaxed.features).toEqual({ relaxedSimd: true });
    expect(relaxed.madd).toBe(2 ** -24);
    holdsContract(relaxed);
  });

  test("relaxedSimd: false: the plain core, Node 20's losses and gradients bit for bit; the relaxed losses differ from them within float32 rounding", () => {
    expect(plain.features).toEqual({ relaxedSimd: false });
    expect(plain).toEqual(node20);
    relaxed.losses.wasm.forEach((l, e) => expect(Math.abs(l - node20.losses.wasm[e]!), `epoch ${e}`).toBeLessThan(1e-3 * node20.losses.wasm[e]!));
    expect(relaxed.losses.wasm).not.toEqual(node20.losses.wasm);
  });
});

test('plain Node 20 (no flag): the probe does not validate, init() loads the plain core', async () => {
  const r = await inNode([], '{}');
  expect(r.features).toEqual({ relaxedSimd: false });
  expect(r.madd).toBe(0);
}, 60_000);

test('a relaxedSimd option that is not a boolean is an InitError naming it, before anything loads', async () => {
  const error = await init(undefined, { relaxedSimd: 'yes' as never }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InitError);
  expect((error as InitError).message).toBe("init's relaxedSimd option must be true or false, got yes");
});

describe.runIf(chromiumAvailable('the relaxed-SIMD core in Chromium'))('Chromium', () => {
  let server: Awaited<ReturnType<typeof serveStatic>>;
  const page = `<!doctype html><script type="importmap">{ "imports": { "elman-rnn": "/dist/index.js" } }</script>
  <script type="module">
  import * as elman from 'elman-rnn';
  import { relaxedChecks } from '/test/runtimes/relaxed.mjs';
  try { await elman.init(); window.result = relaxedChecks(elman); } catch (e) { window.result = { error: String(e) }; }
  </script>`;
  beforeAll(async () => {
    server = await serveStatic(root, { '/relaxed.html': page });
  });
  afterAll(() => server?.close());

  test('init() picks the relaxed core (its module fetched on demand) and it holds the contract', async () => {
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      const fetched: string[] = [];
      tab.on('request', (r) => fetched.push(new URL(r.url()).pathname));
      await tab.goto(`${server.url}/relaxed.html`);
      const r = (await (await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 60_000 })).jsonValue()) as Checks;
      expect(r.features).toEqual({ relaxedSimd: true });
      expect(fetched).toContain('/dist/backends/wasm/core-bytes-relaxed.js');
      expect(r.madd).toBe(2 ** -24);
      holdsContract(r);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
