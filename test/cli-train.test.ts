import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import fixture from './fixtures/tutorial.json' with { type: 'json' };
import { main } from '../src/cli/main.js';

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

const f84 = (v: number) => v.toFixed(4).padStart(8);

describe('elman train reproduces the tutorial', () => {
  test('gradient descent: the log, in the tutorial format, matches numpy to 4 decimals', async () => {
    const r = await run('train', '--task', 'count', '--samples', '20', '--length', '10', '--seed', '1', '--loss', 'sse', '--optimizer', 'sgd', '--lr', '1e-5', '--epochs', '2001', '--log-every', '100');
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe(`Initial weights: wx = ${f84(fixture.init[0]!)}, wRec = ${f84(fixture.init[1]!)}`);
    expect(r.out[0]).toBe('Initial weights: wx =   0.0900, wRec =   0.0113');
    expect(r.out).toHaveLength(2 + 21);
    fixture.gd.logged.forEach(([e, cost], i) => {
      // float32 vs float64 may differ in the 4th decimal; each line keeps the format exactly.
      const line = r.out[1 + i]!;
      expect(line).toMatch(/^epoch\[ {0,4}\d{1,5}\] : cost = *\d+\.\d{4}$/);
      expect(line.startsWith(`epoch[${String(e).padStart(5)}] : cost =`)).toBe(true);
      expect(Number(line.split('=')[1])).toBeCloseTo(cost!, 3);
    });
    expect(r.out.at(-1)).toMatch(/^Final weights : wx = {3}1\.059\d, wRec = {3}0\.986\d$/);
  });

  test('--json prints one object per logged epoch, then the final weights', async () => {
    const r = await run('train', '--optimizer', 'rprop', '--loss', 'mse', '--init', '-1.5,2', '--epochs', '500', '--log-every', '50', '--json');
    const lines = r.out.map((l) => JSON.parse(l) as Record<string, number>);
    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 10).map((l) => l.epoch)).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450]);
    expect(lines[0]!.loss).toBeCloseTo(fixture.rprop.logged[0]![1]!, 0);
    expect(lines[10]).toMatchObject({ final: true, epochs: 500 });
    expect(Math.abs(lines[10]!.wx! - 1)).toBeLessThan(0.01);
    expect(Math.abs(lines[10]!.wRec! - 1)).toBeLessThan(0.01);
  });

  test("the scalar core prints the SIMD core's log exactly; the float64 js backend agrees to 1e-3", async () => {
    const args = ['train', '--optimizer', 'rmsprop', '--lr', '0.001'];
    const simd = await run(...args);
    expect((await run(...args, '--scalar')).out).toEqual(simd.out);
    const js = (await run(...args, '--backend', 'js')).out;
    const numbers = (lines: string[]) => lines.flatMap((l) => (l.match(/-?\d+\.\d{4}/g) ?? []).map(Number));
    const a = numbers(simd.out);
    const b = numbers(js);
    expect(b).toHaveLength(a.length);
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(1e-3));
    expect(simd.out.at(-1)).toBe(`Final weights : wx = ${f84(fixture.rmsprop.final[0]!)}, wRec = ${f84(fixture.rmsprop.final[1]!)}`);
  });
});

describe('bad flags exit non-zero with one line naming them', () => {
  test.each([
    [['train', '--lr', 'abc'], '--lr'],
    [['train', '--lr', '-1'], '--lr'],
    [['train', '--epochs', '0'], '--epochs'],
    [['train', '--samples', '2.5'], '--samples'],
    [['train', '--optimizer', 'nadam'], '--optimizer'],
    [['train', '--loss', 'mae'], '--loss'],
    [['train', '--backend', 'gpu'], '--backend'],
    [['train', '--init', '1'], '--init'],
    [['train', '--optimizer', 'rprop', '--eta-minus', '2'], '--eta-minus'],
    [['train', '--momentum', '0.5'], '--momentum'],
    [['train', '--bogus'], '--bogus'],
    [['frobnicate'], 'frobnicate'],
  ])('%j', async (argv, name) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(name);
  });

  test('divergence exits 1 and says so', async () => {
    const r = await run('train', '--lr', '0.01');
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/diverged at epoch \d+/);
  });

  test('--help prints usage and exits 0', async () => {
    const r = await run('train', '--help');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('--optimizer');
  });
});

test('the built bin runs as a program', () => {
  const bin = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const out = execFileSync(process.execPath, [bin, 'train', '--lr', '1e-5', '--epochs', '1', '--log-every', '1'], { encoding: 'utf8' });
  // One gradient step from numpy's initial weights with numpy's gradient there.
  const g = fixture.grads.find((r) => r.loss === 'sse' && r.w[0] === fixture.init[0])!;
  const after = fixture.init.map((w, i) => w - 1e-5 * g.grad[i]!);
  expect(out.trim().split('\n')).toEqual([
    `Initial weights: wx = ${f84(fixture.init[0]!)}, wRec = ${f84(fixture.init[1]!)}`,
    `epoch[    0] : cost =${f84(g.value)}`,
    `Final weights : wx = ${f84(after[0]!)}, wRec = ${f84(after[1]!)}`,
  ]);
  const bad = spawnSync(process.execPath, [bin, 'train', '--seed', '-3'], { encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr.trim()).toBe('elman: --seed must be an integer >= 0, got "-3"');
});
