import { ConfigError } from '../errors.js';
import { LABEL_EXPR } from './format.js';
import { symlogTicks } from './ticks.js';
import { plotOptions, type VegaLiteSpec } from './render.js';
import { runColorScale } from './runs.js';

/**
 * One curve of the exploding/vanishing figure: `grad[k]` = ∂L/∂S[k] for k = 0..T, from `gradientFlow`.
 * @category Plots
 */
export interface FlowSeries {
  /** The legend label of this series. */
  name: string;
  /** dL/dS[k] for k = 0..T, as `gradientFlow` returns it. */
  grad: ArrayLike<number>;
  /** Its colour (CSS); default: its place in the list picks one of RUN_COLORS. */
  color?: string;
}

/**
 * Options of `gradientFlowSpec`: title and size in CSS pixels.
 * @category Plots
 */
export interface GradientFlowOptions {
  /** The figure's title (a default describes the figure). */
  title?: string;
  /** Width in CSS pixels, in [1, 10000] (default 480). */
  width?: number;
  /** Height in CSS pixels, in [1, 10000] (default 320). */
  height?: number;
}

/**
 * ∂L/∂S[k] against the steps back from the output (T - k), one line and a dot per step for each
 * series, on a symmetric-log axis so sign changes and zeros stay visible: the notes' figure.
 * @category Plots
 */
export function gradientFlowSpec(series: readonly FlowSeries[], given?: GradientFlowOptions): VegaLiteSpec {
  const options = plotOptions(given, ['title', 'width', 'height']);
  if (!Array.isArray(series) || series.length === 0) throw new ConfigError('series', series, 'a non-empty array of { name, grad }');
  const values: { back: number; grad: number; run: string }[] = [];
  for (const [i, s] of series.entries()) {
    if (typeof s?.name !== 'string' || typeof s.grad?.length !== 'number') throw new ConfigError(`series[${i}]`, s, 'an object { name, grad }');
    const T = s.grad.length - 1;
    for (let k = 0; k <= T; k++) if (typeof s.grad[k] !== 'number') throw new ConfigError(`series[${i}].grad[${k}]`, s.grad[k], 'a number');
    for (let k = T; k >= 0; k--) if (Number.isFinite(s.grad[k]!)) values.push({ back: T - k, grad: s.grad[k]!, run: s.name });
  }
  const { ticks, constant } = symlogTicks(values.map((v) => v.grad));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Gradient through time: dL/dS[k] = dL/dS[T] · w_rec^(T-k)',
    width: options.width ?? 480,
    height: options.height ?? 320,
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 24 }, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'back', type: 'quantitative', title: 'steps back from the output (T - k)', axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'grad', type: 'quantitative', title: 'dL/dS[k] (symmetric log)',
        scale: { type: 'symlog', constant, domain: [ticks[0], ticks.at(-1)], nice: false },
        axis: { values: ticks, labelExpr: LABEL_EXPR, grid: true },
      },
      color: { field: 'run', type: 'nominal', title: null, sort: null, scale: runColorScale(series), legend: { labelLimit: 0 } },
    },
  };
}
