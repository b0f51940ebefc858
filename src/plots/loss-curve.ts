import { ConfigError } from '../errors.js';
import { plotOptions, type VegaLiteSpec } from './render.js';

/** One training run's loss per epoch (`loss[e]` before epoch e's update), under a legend name. */
export interface LossSeries {
  name: string;
  loss: ArrayLike<number>;
}

/** Options of `lossCurveSpec`: log-scale y axis (default true), title, size in CSS pixels. */
export interface LossCurveOptions {
  log?: boolean;
  title?: string;
  width?: number;
  height?: number;
}

/** The loss per epoch of one or more runs on one chart, one coloured line each: the tutorial's loss-curve figure. */
export function lossCurveSpec(series: readonly LossSeries[], given?: LossCurveOptions): VegaLiteSpec {
  const options = plotOptions(given, ['log', 'title', 'width', 'height']);
  if (!Array.isArray(series) || series.length === 0) throw new ConfigError('series', series, 'a non-empty array of { name, loss }');
  const log = options.log ?? true;
  const values: { epoch: number; loss: number; run: string }[] = [];
  for (const [i, s] of series.entries()) {
    if (typeof s?.name !== 'string' || typeof s.loss?.length !== 'number') throw new ConfigError(`series[${i}]`, s, 'an object { name, loss }');
    for (let e = 0; e < s.loss.length; e++) {
      const loss = s.loss[e]!;
      // A log axis cannot show 0 or a non-finite loss: leave those epochs out rather than break the chart.
      if (Number.isFinite(loss) && (!log || loss > 0)) values.push({ epoch: e, loss, run: s.name });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Loss per epoch',
    width: options.width ?? 480,
    height: options.height ?? 300,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
      y: { field: 'loss', type: 'quantitative', title: log ? 'loss (log scale)' : 'loss', scale: log ? { type: 'log' } : { zero: false } },
      color: { field: 'run', type: 'nominal', title: null, sort: null },
    },
  };
}
