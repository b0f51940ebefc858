import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { downsampleCurve, simplifyPath } from '../../src/plots/runs.js';
import { markGroups, vertices } from '../helpers/svg-marks.js';

const dir = mkdtempSync(join(tmpdir(), 'elman-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a 50,000-epoch run of two optimizers (sgd, rmsprop: losses that stay above 0 on a log axis): every SVG under 500 KB, the curves still end at the last epoch', async () => {
  const out: string[] = [];
  const code = await main(['plot', '--optimizer', 'sgd,rmsprop', '--epochs', '50000', '--out', dir], (l) => out.push(l), () => {});
  expect(code).toBe(0);
  for (const name of ['loss-curve.svg', 'loss-surface.svg', 'gradient-flow.svg']) expect(statSync(join(dir, name)).size).toBeLessThan(500_000);
  const curve = readFileSync(join(dir, 'loss-curve.svg'), 'utf8');
  const lines = markGroups(curve).filter((g) => g.type === 'line').map((g) => vertices(g.items[0]!.d));
  expect(lines).toHaveLength(2);
  // Both lines span the plot's full width: epoch 0 at the left edge, epoch 49,999 at the right (480 px wide).
  for (const v of lines) {
    expect(v.length).toBeLessThanOrEqual(2500);
    expect(v[0]![0]).toBe(0);
    expect(v.at(-1)![0]).toBeCloseTo(480, 0);
  }
});

test('downsampleCurve keeps every point of a short curve, and the minimum, maximum and ends of a long one', () => {
  expect(downsampleCurve([3, 1, 2])).toEqual([0, 1, 2]);
  // A slow decay with one spike up at 7,777 and one dip down at 33,333.
  const v = Array.from({ length: 50_000 }, (_, i) => (i === 7777 ? 1e6 : i === 33_333 ? 1e-9 : 100 / (1 + i)));
  const keep = downsampleCurve(v, 1000);
  expect(keep.length).toBeLessThanOrEqual(1000);
  expect(keep).toEqual([...keep].sort((a, b) => a - b));
  expect(keep).toEqual(expect.arrayContaining([0, 7777, 33_333, 49_999]));
});

test('simplifyPath drops points that moved less than the tolerance, keeps both ends and every real move', () => {
  // Twenty tiny steps (0.001) then three big ones (1): tolerance 0.0105 keeps the start, the 11th tiny step
  // (0.011 from the start; the 20th is only 0.009 further), and every big one.
  const xs = [...Array.from({ length: 21 }, (_, i) => i * 0.001), 1, 2, 3];
  const keep = simplifyPath(xs, xs.map(() => 0), [0.0105, 0.0105]);
  expect(keep).toEqual([0, 11, 21, 22, 23]);
});
