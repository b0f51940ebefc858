import { expect, test } from 'vitest';
import { formatNumber } from '../../src/plots/format.js';
import { gradientFlowSpec } from '../../src/plots/gradient-flow.js';
import { lossCurveSpec } from '../../src/plots/loss-curve.js';
import { renderSvg } from '../../src/plots/render.js';
import { logTicks, symlogTicks } from '../../src/plots/ticks.js';

/** The tick labels of the axis whose title is `title`, in order. */
function axisLabels(svg: string, title: string): string[] {
  const axes = svg.split('role-axis"').slice(1);
  const axis = axes.find((a) => a.includes(`>${title}</text>`))!;
  const labels = axis.split('role-axis-label')[1]!.split('role-axis-title')[0]!;
  return [...labels.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

test('one number format: 3 significant digits, plain decimals in [1e-3, 1e4), short exponents outside (9999 rounds to 1e4)', () => {
  expect([0, 1, 0.5, 0.001, 12.345, 9999, 10000, 1e-7, -2.5e6, 0.00012345].map((v) => formatNumber(v))).toEqual([
    '0', '1', '0.5', '0.001', '12.3', '1e4', '1e4', '1e-7', '-2.5e6', '1.23e-4',
  ]);
});

test('a log loss axis from 1e-7 to 1000 has a tick per decade (at most eight, thinned), in that format', async () => {
  const loss = Array.from({ length: 11 }, (_, e) => 10 ** (3 - e));
  const svg = await renderSvg(lossCurveSpec([{ name: 'a', loss }]));
  const labels = axisLabels(svg, 'loss (log scale)');
  // Decades 1e-7 … 1e3 are 11: every other one, counted down from the top.
  expect(labels).toEqual(['1e-7', '1e-5', '0.001', '0.1', '10', '1000']);
  expect(logTicks([0.5, 20]).ticks).toEqual([0.1, 1, 10, 100]);
});

test('the symlog axis ticks 0 and ± powers of ten, and the legend keeps full names', async () => {
  expect(symlogTicks([0, 0.01, -3, 2e5]).ticks).toEqual([-1e6, -1e4, -100, -1, 0, 1, 100, 1e4, 1e6]);
  const series = [
    { name: 'w_x = 1, w_rec = 0.5', grad: [-0.001, -0.01, -0.1, -1, -10] },
    { name: 'w_x = 1, w_rec = -0.5', grad: [0.01, -0.1, 1, -10, 100] },
  ];
  const svg = await renderSvg(gradientFlowSpec(series));
  const labels = axisLabels(svg, 'dL/dS[k] (symmetric log)');
  expect(labels).toContain('0');
  expect(labels).toEqual(['-100', '-10', '-1', '-0.1', '-0.01', '0', '0.01', '0.1', '1', '10', '100']);
  expect(svg).toContain('>w_x = 1, w_rec = 0.5<');
  expect(svg).toContain('>w_x = 1, w_rec = -0.5<');
});
