import { describe, expect, test } from 'vitest';
import { gradientFlow } from '../../src/analysis/gradient-flow.js';
import { lossSurface } from '../../src/analysis/surface.js';
import { countOnes } from '../../src/data/count-ones.js';
import { ConfigError, ElmanError } from '../../src/errors.js';
import { gradientFlowSpec } from '../../src/plots/gradient-flow.js';
import { lossCurveSpec } from '../../src/plots/loss-curve.js';
import { lossSurfaceSpec } from '../../src/plots/loss-surface.js';
import { renderSvg } from '../../src/plots/render.js';
import { RandomState } from '../../src/random.js';
import { markGroups, vertices } from '../helpers/svg-marks.js';

const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
const lines = (svg: string) => markGroups(svg).filter((g) => g.type === 'line');

describe('loss curve', () => {
  // Two runs: a geometric decay (30 epochs, ×0.5 each) and a slower one (20 epochs, ×0.9).
  const a = Array.from({ length: 30 }, (_, e) => 100 * 0.5 ** e);
  const b = Array.from({ length: 20 }, (_, e) => 100 * 0.9 ** e);

  test('draws one line per run with one vertex per epoch', async () => {
    const svg = await renderSvg(lossCurveSpec([{ name: 'a', loss: a }, { name: 'b', loss: b }]));
    expect(svg.startsWith('<svg')).toBe(true);
    const l = lines(svg);
    expect(l.map((g) => vertices(g.items[0]!.d).length)).toEqual([30, 20]);
  });

  test('on the log axis a geometric decay is a straight line (equal y steps); on the linear axis it is not', async () => {
    const steps = (svg: string) => {
      const v = vertices(lines(svg)[0]!.items[0]!.d);
      return v.slice(1).map((p, i) => p[1] - v[i]![1]);
    };
    const log = steps(await renderSvg(lossCurveSpec([{ name: 'a', loss: a }], { log: true })));
    expect(Math.max(...log) - Math.min(...log)).toBeLessThan(0.01); // Vega rounds coordinates to 0.001 px
    const linear = steps(await renderSvg(lossCurveSpec([{ name: 'a', loss: a }], { log: false })));
    expect(linear[0]! / linear[10]!).toBeGreaterThan(500); // 2^10 = 1024 in exact arithmetic
  });

  test('a log axis leaves out epochs whose loss is 0 or not finite', async () => {
    const svg = await renderSvg(lossCurveSpec([{ name: 'a', loss: [4, 2, 0, 1, NaN, 0.5] }]));
    expect(vertices(lines(svg)[0]!.items[0]!.d)).toHaveLength(4);
  });

  test('bad series are ConfigErrors naming the entry', () => {
    expect(() => lossCurveSpec([])).toThrow(ConfigError);
    expect(() => lossCurveSpec([{ name: 'a', loss: [1] }, { loss: [1] } as never])).toThrow(/^series\[1\] must be/);
  });
});

describe('loss surface', () => {
  const surface = lossSurface(data, { wx: { min: -0.1, max: 2.1, count: 6 }, wRec: { min: -0.1, max: 2.1, count: 5 }, backend: 'js' });
  const path = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ wx: from + i * 0.1, wRec: from + i * 0.05 }));

  test('draws a cell per grid point, a line and a dot per step of each path, and a star per path', async () => {
    const svg = await renderSvg(lossSurfaceSpec(surface, [{ name: 'p', weights: path(7, 0) }, { name: 'q', weights: path(4, 0.5) }]));
    const g = markGroups(svg);
    expect(g.filter((m) => m.type === 'rect').flatMap((m) => m.items)).toHaveLength(30);
    expect(g.filter((m) => m.layer.startsWith('paths')).map((m) => vertices(m.items[0]!.d).length)).toEqual([7, 4]);
    const [dots, stars] = [g.filter((m) => m.layer.startsWith('steps')), g.filter((m) => m.layer.startsWith('ends'))];
    expect(dots.flatMap((m) => m.items)).toHaveLength(11);
    expect(stars.flatMap((m) => m.items)).toHaveLength(2);
    // The star sits where its path ends: the last dot of path q and q's star share a position.
    expect(stars[0]!.items[1]!.transform).toBe(dots[0]!.items[10]!.transform);
  });

  test('colour follows log(loss + 1): the lowest-loss cell and the highest get different fills', async () => {
    const svg = await renderSvg(lossSurfaceSpec(surface));
    const cells = markGroups(svg).find((m) => m.type === 'rect')!.items;
    const loss = Array.from(surface.loss);
    const lo = loss.indexOf(Math.min(...loss));
    const hi = loss.indexOf(Math.max(...loss));
    expect(cells[lo]!.fill).not.toBe(cells[hi]!.fill);
    expect(new Set(cells.map((c) => c.fill)).size).toBeGreaterThan(10);
  });
});

test('gradient flow: one line of T+1 points per weight pair, dots included', async () => {
  const series = [{ wx: 1, wRec: 2 }, { wx: 1, wRec: -0.5 }, { wx: 2, wRec: 1 }].map((w) => ({ name: `${w.wx},${w.wRec}`, grad: gradientFlow(data, w) }));
  const svg = await renderSvg(gradientFlowSpec(series));
  expect(lines(svg).map((m) => vertices(m.items[0]!.d).length)).toEqual([11, 11, 11]);
  expect(markGroups(svg).filter((m) => m.type === 'symbol').flatMap((m) => m.items)).toHaveLength(33);
  // At wRec = 1 the signal is constant: a horizontal line.
  const flat = vertices(lines(svg)[2]!.items[0]!.d).map((p) => p[1]);
  expect(new Set(flat).size).toBe(1);
});

test('renderSvg rejects a non-object spec with an ElmanError naming it', async () => {
  await expect(renderSvg(null as never)).rejects.toThrow(ElmanError);
  await expect(renderSvg('x' as never)).rejects.toThrow('spec must be a Vega-Lite object, got string');
});
