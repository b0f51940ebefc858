import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import fixture from '../fixtures/tutorial.json' with { type: 'json' };
import replay from '../fixtures/replay.json' with { type: 'json' };
import { main } from '../../src/cli/main.js';
import { init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { LinearRNN } from '../../src/models/linear.js';
import { OPTIMIZER_SPECS } from '../../src/optimizers/index.js';
import { rprop } from '../../src/optimizers/rprop.js';
import { RandomState } from '../../src/random.js';
import { train } from '../../src/training/train.js';

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

const f84 = (v: number) => v.toFixed(4).padStart(8);

describe('elman train reproduces the tutorial', () => {
  test("gradient descent: the tutorial's lines (epochs counted from 1, no epoch 0) match numpy's replay of its loop", async () => {
    const r = await run('train', '--task', 'count', '--samples', '20', '--length', '10', '--seed', '1', '--loss', 'sse', '--optimizer', 'sgd', '--lr', '1e-5', '--epochs', '2000', '--log-every', '100');
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe(`Initial weights: wx = ${f84(fixture.init[0]!)}, wRec = ${f84(fixture.init[1]!)}`);
    expect(r.out[0]).toBe('Initial weights: wx =   0.0900, wRec =   0.0113');
    expect(r.out).toHaveLength(2 + 20);
    replay.gd.lines.forEach(([e, cost], i) => {
      // float32 vs float64 may differ in the 4th decimal; each line keeps the format exactly.
      const line = r.out[1 + i]!;
      expect(line).toMatch(/^epoch\[ {0,4}\d{1,5}\] : cost = *\d+\.\d{4}$/);
      expect(line.startsWith(`epoch[${String(e).padStart(5)}] : cost =`)).toBe(true);
      expect(Number(line.split('=')[1])).toBeCloseTo(cost!, 3);
    });
    expect(r.out[1]).toBe('epoch[  100] : cost =529.6915');
    expect(r.out.at(-1)).toMatch(/^Final weights : wx = {3}1\.059\d, wRec = {3}0\.986\d$/);
  });

  test("a bare `elman train` is the tutorial's RMSProp run, and converges", async () => {
    const r = await run('train');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(22);
    expect(r.out[1]).toMatch(/^epoch\[  100\] : cost =/);
    // float32 RMSProp drifts from numpy's float64 in the 4th decimal late in the run.
    replay.rmsprop.lines.forEach(([, cost], i) => expect(Number(r.out[1 + i]!.split('=')[1])).toBeCloseTo(cost!, 2));
    expect(r.out.at(-1)).toBe(`Final weights : wx = ${f84(replay.rmsprop.final[0]!)}, wRec = ${f84(replay.rmsprop.final[1]!)}`);
  });

  test.each(Object.keys(OPTIMIZER_SPECS))("%s's default learning rate converges on the tutorial: within 0.01 of (1, 1)", async (name) => {
    const r = await run('train', '--optimizer', name, '--json');
    expect(r.code).toBe(0);
    const last = JSON.parse(r.out.at(-1)!) as { wx: number; wRec: number; loss: number; epochs: number };
    expect(last.epochs).toBe(2000);
    expect(Math.abs(last.wx - 1)).toBeLessThan(0.01);
    expect(Math.abs(last.wRec - 1)).toBeLessThan(0.01);
    expect(last.loss).toBeLessThan(0.01);
  });

  test('--help shows each default learning rate', async () => {
    const r = await run('train', '--help');
    expect(r.out.join('\n')).toContain('sgd 0.00005, momentum 0.00001, rmsprop 0.001, rprop 0.001, adam 0.01');
  });

  test("for rprop --lr is its initial step; giving both is refused", async () => {
    const a = await run('train', '--optimizer', 'rprop', '--lr', '0.01', '--epochs', '50', '--json');
    const b = await run('train', '--optimizer', 'rprop', '--initial-step', '0.01', '--epochs', '50', '--json');
    expect(a.out).toEqual(b.out);
    const both = await run('train', '--optimizer', 'rprop', '--lr', '0.01', '--initial-step', '0.01');
    expect(both.code).toBe(2);
    expect(both.err).toEqual(['elman: --lr must be left out with --initial-step (for rprop, --lr is the initial step), got "0.01"']);
  });

  test('--json prints one object per logged epoch, then the final weights', async () => {
    const r = await run('train', '--optimizer', 'rprop', '--loss', 'mse', '--init', '-1.5,2', '--epochs', '500', '--log-every', '50', '--json');
    const lines = r.out.map((l) => JSON.parse(l) as Record<string, number>);
    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 10).map((l) => l.epoch)).toEqual([50, 100, 150, 200, 250, 300, 350, 400, 450, 500]);
    // Line 50 is the loss of the 50th update: the API's 0-based history.loss[49].
    await init();
    const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
    const history = await train(new LinearRNN({ wx: -1.5, wRec: 2 }), data, { optimizer: rprop(), epochs: 500, loss: 'mse' });
    expect(lines.slice(0, 10).map((l) => l.loss)).toEqual(lines.slice(0, 10).map((l) => history.loss[l.epoch! - 1]));
    expect(lines[10]).toMatchObject({ final: true, epochs: 500 });
    expect(Math.abs(lines[10]!.wx! - 1)).toBeLessThan(0.01);
    expect(Math.abs(lines[10]!.wRec! - 1)).toBeLessThan(0.01);
  });

  test('--json: the final line pairs the final weights with their own loss (not epoch E\'s), on both backends', async () => {
    await init();
    const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
    for (const backend of ['wasm', 'js'] as const) {
      const r = await run('train', '--epochs', '2000', '--log-every', '2000', '--json', '--backend', backend);
      const [last, final] = r.out.map((l) => JSON.parse(l) as Record<string, number>);
      expect(last).toMatchObject({ epoch: 2000 });
      expect(final).toMatchObject({ final: true, epochs: 2000 });
      const model = new LinearRNN({ wx: final!.wx!, wRec: final!.wRec!, backend });
      // The loss at the printed weights, recomputed: the line's loss, bit for bit; epoch 2000's loss was computed a step earlier.
      expect(final!.loss).toBe(model.lossAndGrad(data).loss);
      expect(final!.loss).not.toBe(last!.loss);
      model.dispose();
    }
  });

  test("the scalar core prints the SIMD core's log exactly; the float64 js backend agrees to 1e-3", async () => {
    const args = ['train', '--optimizer', 'rmsprop', '--lr', '0.001', '--epochs', '2001'];
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
    [['train', '--optimizer', 'sgd', '--momentum', '0.5'], '--momentum'],
    [['train', '--bogus'], '--bogus'],
    [['train', '--lr', '0x10'], '--lr'],
    [['train', '--optimizer', 'adam', '--rho', '0.5'], '--rho'],
    [['train', '--epochs', '1e308'], '--epochs'],
    [['train', '--init', '1e39,1'], '--init'],
    [['train', '--task', 'parity', '--hidden', '5000'], '--hidden'],
    [['train', '--task', 'parity', '--test-samples', '1e12'], '--test-samples'],
    [['train', '--task', 'parity', '--shuffle', '1e12'], '--shuffle'],
    [['train', '--task', 'parity', '--validation-split', '2'], '--validation-split'],
    [['train', '--task', 'parity', '--clip-norm', '-1'], '--clip-norm'],
    [['train', '--task', 'parity', '--clip-value', '0'], '--clip-value'],
    [['train', '--task', 'parity', '--clip-value', '1', '--clip-norm', '1'], '--clip-value'],
    [['train', '--task', 'parity', '--length', '100000'], '--length'],
    [['train', '--task', 'binaryAddition', '--length', '60'], '--length'],
    [['train', '--plot', '/proc/no-such/x'], '--plot'],
    [['frobnicate'], 'frobnicate'],
  ])('%j', async (argv, name) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(name);
  });

  test('divergence exits 1 and says so', async () => {
    const r = await run('train', '--optimizer', 'sgd', '--lr', '0.01');
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/diverged at epoch \d+/);
  });

  test('--help prints usage and exits 0', async () => {
    const r = await run('train', '--help');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('--optimizer');
  });
});

test('the built bin runs as a program, through a symlink as npm installs it, and prints its version', () => {
  const target = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'elman-bin-'));
  const bin = join(dir, 'elman');
  symlinkSync(target, bin);
  try {
    const out = execFileSync(process.execPath, [bin, 'train', '--optimizer', 'sgd', '--lr', '1e-5', '--epochs', '1', '--log-every', '1'], { encoding: 'utf8' });
    // One gradient step from numpy's initial weights with numpy's gradient there: line 1 is the loss that step computed.
    const g = fixture.grads.find((r) => r.loss === 'sse' && r.w[0] === fixture.init[0])!;
    const after = fixture.init.map((w, i) => w - 1e-5 * g.grad[i]!);
    expect(out.trim().split('\n')).toEqual([
      `Initial weights: wx = ${f84(fixture.init[0]!)}, wRec = ${f84(fixture.init[1]!)}`,
      `epoch[    1] : cost =${f84(g.value)}`,
      `Final weights : wx = ${f84(after[0]!)}, wRec = ${f84(after[1]!)}`,
    ]);
    const bad = spawnSync(process.execPath, [bin, 'train', '--seed', '-3'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('elman: --seed must be an integer in [0, 4294967295], got "-3"');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })).toBe(`${pkg.version}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
