import { ConfigError } from '../errors.js';
import { LABEL_EXPR } from './format.js';
import { plotOptions, type VegaLiteSpec } from './render.js';
import { downsampleCurve, runColorScale } from './runs.js';
import { logTicks } from './ticks.js';

/**
 * One training run's loss per epoch (`loss[e]` before epoch e's update), under a legend name.
 * @category Plots
 */
export interface LossSeries {
  /** The legend label of this run. */
  name: string;
  /** The loss per epoch (`history.loss`); zero and non-finite values are left out on a log axis. */
  loss: ArrayLike<number>;
  /** Its colour (CSS); default: the run's place in the list picks one of RUN_COLORS, the same in every figure. */
  color?: string;
  /** The run diverged after its last finite loss: that point is marked with a cross. */
  diverged?: boolean;
}

/**
 * Options of `lossCurveSpec`: log-scale y axis (default true), title, size in CSS pixels.
 * @category Plots
 */
export interface LossCurveOptions {
  /** Log-scale loss axis (default true). */
  log?: boolean;
  /** The figure's title (a default describes the figure). */
  title?: string;
  /** Width in CSS pixels, in [1, 10000] (default 480). */
  width?: number;
  /** Height in CSS pixels, in [1, 10000] (default 300). */
  height?: number;
}

/**
 * The loss per epoch of one or more runs on one chart, one coloured line each, a dot at each run's end
 * (a cross where it diverged): the tutorial's loss-curve figure. Runs longer than MAX_VERTICES epochs
 * are drawn from each stretch's lowest and highest loss, so the SVG stays small and no spike is lost.
 * @example
 * ```ts
 * import { lossCurveSpec, renderSvg } from 'elman-rnn/plots';
 *
 * const spec = lossCurveSpec([{ name: 'adam', loss: [4, 2, 1, 0.5, 0.3] }]);   // plain Vega-Lite JSON
 * const svg = await renderSvg(spec);   // needs the optional peers vega and vega-lite installed
 * console.log(svg.startsWith('<svg'));
 * ```
 * @category Plots
 */
export function lossCurveSpec(series: readonly LossSeries[], given?: LossCurveOptions): VegaLiteSpec {
  const options = plotOptions(given, ['log', 'title', 'width', 'height']);
  if (!Array.isArray(series) || series.length === 0) throw new ConfigError('series', series, 'a non-empty array of { name, loss }');
  const log = options.log ?? true;
  const values: { epoch: number; loss: number; run: string }[] = [];
  const ends: { epoch: number; loss: number; run: string; shape: string }[] = [];
  let last = 1;
  for (const [i, s] of series.entries()) {
    if (typeof s?.name !== 'string' || typeof s.loss?.length !== 'number') throw new ConfigError(`series[${i}]`, s, 'an object { name, loss }');
    // A log axis cannot show 0 or a non-finite loss: leave those epochs out rather than break the chart.
    const epochs: number[] = [];
    const losses: number[] = [];
    for (let e = 0; e < s.loss.length; e++) {
      const loss = s.loss[e]!;
      if (Number.isFinite(loss) && (!log || loss > 0)) epochs.push(e), losses.push(loss);
    }
    for (const j of downsampleCurve(losses)) values.push({ epoch: epochs[j]!, loss: losses[j]!, run: s.name });
    if (epochs.length > 0) ends.push({ epoch: epochs.at(-1)!, loss: losses.at(-1)!, run: s.name, shape: s.diverged ? 'cross' : 'circle' });
    last = Math.max(last, s.loss.length - 1);
  }
  const color = { field: 'run', type: 'nominal', title: null, sort: null, scale: runColorScale(series), legend: { labelLimit: 0 } };
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { domain: [0, last], nice: false }, axis: { format: ',d', tickMinStep: 1 } };
  const { ticks, domain } = logTicks(values.map((v) => v.loss));
  const y = {
    field: 'loss', type: 'quantitative', title: log ? 'loss (log scale)' : 'loss',
    scale: log ? { type: 'log', domain, nice: false } : { zero: false },
    axis: log ? { values: ticks, labelExpr: LABEL_EXPR } : { labelExpr: LABEL_EXPR },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Loss per epoch',
    width: options.width ?? 480,
    height: options.height ?? 300,
    layer: [
      { name: 'curves', data: { values }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color } },
      {
        name: 'ends',
        data: { values: ends },
        mark: { type: 'point', filled: true, stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x, y, color, shape: { field: 'shape', type: 'nominal', scale: null, legend: null },
          angle: { condition: { test: "datum.shape == 'cross'", value: 45 }, value: 0 },
          size: { condition: { test: "datum.shape == 'cross'", value: 160 }, value: 60 },
        },
      },
    ],
  };
}
