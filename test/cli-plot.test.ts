import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { main } from '../src/cli/main.js';
import { markGroups, vertices } from './helpers/svg-marks.js';

const dir = mkdtempSync(join(tmpdir(), 'elman-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}
const points = (svg: string, type: string) => markGroups(svg).filter((g) => g.type === type);

test('elman plot writes the three figures: two runs of 50 epochs, a 10×10 surface, six gradient curves', async () => {
  const out = join(dir, 'all');
  const r = await cli('plot', '--out', out, '--epochs', '50', '--grid', '10');
  expect(r.code).toBe(0);
  expect(r.out.at(-1)).toBe(`Wrote ${out}/loss-curve.svg, ${out}/loss-surface.svg, ${out}/gradient-flow.svg`);
  expect(r.out[0]).toMatch(/^sgd lr=1e-5 +final loss/);
  const curve = readFileSync(join(out, 'loss-curve.svg'), 'utf8');
  expect(points(curve, 'line').map((g) => vertices(g.items[0]!.d).length)).toEqual([50, 50]);
  const surface = readFileSync(join(out, 'loss-surface.svg'), 'utf8');
  expect(points(surface, 'rect')[0]!.items).toHaveLength(100);
  // history.weights holds the 50 points the loss was computed at, plus the final weights: a dot each
  // (short paths); the line itself skips points closer than 1/400 of the picture to the last one drawn.
  expect(markGroups(surface).find((g) => g.layer.startsWith('steps'))!.items).toHaveLength(102);
  for (const g of points(surface, 'line')) expect(vertices(g.items[0]!.d).length).toBeGreaterThan(5);
  const flow = readFileSync(join(out, 'gradient-flow.svg'), 'utf8');
  expect(points(flow, 'line').map((g) => vertices(g.items[0]!.d).length)).toEqual([11, 11, 11, 11, 11, 11]);
});

test('elman train --plot DIR writes the loss curve of that run after the log', async () => {
  const out = join(dir, 'train');
  const r = await cli('train', '--optimizer', 'rmsprop', '--lr', '0.001', '--epochs', '30', '--plot', out);
  expect(r.code).toBe(0);
  expect(r.out.at(-2)).toMatch(/^Final weights/);
  expect(r.out.at(-1)).toBe(`Loss curve: ${out}/loss-curve.svg`);
  const curve = readFileSync(join(out, 'loss-curve.svg'), 'utf8');
  expect(points(curve, 'line').map((g) => vertices(g.items[0]!.d).length)).toEqual([30]);
  expect(curve).toContain('rmsprop lr=0.001');
});

test('a learning-rate list that does not match the optimizers is a usage error naming --lr', async () => {
  const r = await cli('plot', '--out', join(dir, 'bad'), '--optimizer', 'sgd,rmsprop,adam', '--lr', '1,2');
  expect(r.code).toBe(2);
  expect(r.err).toEqual(['elman: --lr must be one value, or one per optimizer (3), got "1,2"']);
});

test('a bad training flag in plot is reported as in train', async () => {
  const r = await cli('plot', '--out', join(dir, 'bad'), '--epochs', '0');
  expect(r.code).toBe(2);
  expect(r.err).toEqual(['elman: --epochs must be an integer >= 1, got "0"']);
});
