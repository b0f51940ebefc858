import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { markGroups, vertices } from '../helpers/svg-marks.js';

const dir = mkdtempSync(join(tmpdir(), 'elman-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}
const points = (svg: string, type: string) => markGroups(svg).filter((g) => g.type === type);

test('elman plot writes the three figures: four runs of 50 epochs (each default rate, Rprop included), a 10×10 surface, six gradient curves', async () => {
  const out = join(dir, 'all');
  const r = await cli('plot', '--out', out, '--epochs', '50', '--grid', '10');
  expect(r.err).toEqual([]);
  expect(r.code).toBe(0);
  expect(r.out.at(-1)).toBe(`Wrote ${out}/loss-curve.svg, ${out}/loss-surface.svg, ${out}/gradient-flow.svg`);
  expect(r.out.slice(0, 4).map((l) => l.split(/ +final/)[0])).toEqual(['sgd lr=0.00005', 'rmsprop lr=0.001', 'adam lr=0.01', 'rprop step=0.001']);
  const curve = readFileSync(join(out, 'loss-curve.svg'), 'utf8');
  expect(points(curve, 'line').map((g) => vertices(g.items[0]!.d).length)).toEqual([50, 50, 50, 50]);
  const surface = readFileSync(join(out, 'loss-surface.svg'), 'utf8');
  expect(points(surface, 'rect')[0]!.items).toHaveLength(100);
  // history.weights holds the 50 points the loss was computed at, plus the final weights: a dot each
  // (short paths); the line itself skips points closer than 1/400 of the picture to the last one drawn.
  expect(markGroups(surface).find((g) => g.layer.startsWith('steps'))!.items).toHaveLength(204);
  for (const g of points(surface, 'line')) expect(vertices(g.items[0]!.d).length).toBeGreaterThan(5);
  const flow = readFileSync(join(out, 'gradient-flow.svg'), 'utf8');
  expect(points(flow, 'line').map((g) => vertices(g.items[0]!.d).length)).toEqual([11, 11, 11, 11, 11, 11]);
});

test('four optimizers including Rprop with an --lr list (Rprop: its initial step) and a negative --init, as the README shows', async () => {
  const out = join(dir, 'list');
  const r = await cli('plot', '--out', out, '--optimizer', 'rmsprop,adam,rprop,sgd', '--lr', '1e-3,1e-2,1e-3,1e-7', '--loss', 'mse', '--init', '-1.5,2', '--epochs', '40', '--grid', '5');
  expect(r.err).toEqual([]);
  expect(r.code).toBe(0);
  expect(r.out.slice(0, 4).map((l) => l.split(/ +final/)[0])).toEqual(['rmsprop lr=1e-3', 'adam lr=1e-2', 'rprop step=1e-3', 'sgd lr=1e-7']);
  expect(readdirSync(out).sort()).toEqual(['gradient-flow.svg', 'loss-curve.svg', 'loss-surface.svg']);
});

test('every argument is checked before any training: a bad value for the last run is reported with no run line', async () => {
  const r = await cli('plot', '--out', join(dir, 'late'), '--optimizer', 'sgd,rmsprop,nadam');
  expect(r.code).toBe(2);
  expect(r.out).toEqual([]);
  expect(r.err).toEqual(['elman: --optimizer must be one of sgd, momentum, rmsprop, rprop, adam, adagrad, got "nadam"']);
});

test.each([
  ['/proc/elman-no-such', 'ENOENT'],
  ['/etc/hostname/figures', 'ENOTDIR'],
])('an unwritable --out %s is one line and exit 2, before training', async (out, code) => {
  const r = await cli('plot', '--out', out, '--epochs', '5');
  expect(r.code).toBe(2);
  expect(r.out).toEqual([]);
  expect(r.err).toEqual([`elman: --out must be a folder elman can create and write (${code}), got "${out}"`]);
});

test('a failure while writing leaves no partial set of figures', async () => {
  // loss-surface.svg already exists as a folder: found after the figures were rendered and written to temporary files.
  const out = join(dir, 'partial');
  mkdirSync(join(out, 'loss-surface.svg'), { recursive: true });
  const r = await cli('plot', '--out', out, '--epochs', '5', '--grid', '3', '--optimizer', 'rprop');
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(/^elman: --out must be a folder elman can create and write \(EISDIR\)/);
  expect(readdirSync(out).filter((f) => f !== 'loss-surface.svg')).toEqual([]);
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
  expect(r.err).toEqual(['elman: --epochs must be an integer in [1, 10000000], got "0"']);
});

test('the runs share the optimizer flags: each takes those it has; a flag none of them takes is refused', async () => {
  const ok = await cli('plot', '--out', join(dir, 'shared'), '--optimizer', 'sgd,rmsprop', '--rho', '0.5', '--epochs', '5', '--grid', '3');
  expect(ok.err).toEqual([]);
  expect(ok.code).toBe(0);
  const bad = await cli('plot', '--out', join(dir, 'shared'), '--optimizer', 'sgd,adam', '--rho', '0.5');
  expect(bad.code).toBe(2);
  expect(bad.err).toEqual(['elman: --rho must be left out: none of sgd, adam takes it, got "0.5"']);
});
