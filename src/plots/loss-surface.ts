import type { Surface } from '../analysis/surface.js';
import { ConfigError } from '../errors.js';
import type { LinearWeights } from '../models/linear.js';
import { plotOptions, type VegaLiteSpec } from './render.js';

/** One optimizer's path over the surface: the weights before every update, then the final ones. */
export interface WeightPath {
  name: string;
  weights: readonly LinearWeights[];
}

/** Options of `lossSurfaceSpec`: title and size in CSS pixels. */
export interface LossSurfaceOptions {
  title?: string;
  width?: number;
  height?: number;
}

// A five-pointed star in Vega's symbol units (radius 1), for the end of each path.
const STAR = Array.from({ length: 10 }, (_, i) => {
  const r = i % 2 === 0 ? 1 : 0.4;
  const a = (Math.PI * i) / 5 - Math.PI / 2;
  return `${i === 0 ? 'M' : 'L'}${(r * Math.cos(a)).toFixed(3)},${(r * Math.sin(a)).toFixed(3)}`;
}).join('') + 'Z';

/**
 * The loss over the (wx, wRec) grid in log colour (loss + 1), with each path drawn on it: a line and
 * a dot per step, a star at the end. The reference notes' figure.
 */
export function lossSurfaceSpec(surface: Surface, paths: readonly WeightPath[] = [], given?: LossSurfaceOptions): VegaLiteSpec {
  const options = plotOptions(given, ['title', 'width', 'height']);
  if (!Array.isArray(paths)) throw new ConfigError('paths', paths, 'an array of { name, weights }');
  const { wx, wRec, loss } = surface ?? ({} as Surface);
  if (!wx || !wRec || !loss || loss.length !== wx.length * wRec.length) throw new ConfigError('surface', surface, 'a Surface from lossSurface()');
  // Each cell spans half-way to its neighbours, so the grid points sit at cell centres.
  const edges = (a: Float64Array) => Array.from({ length: a.length + 1 }, (_, i) =>
    i === 0 ? a[0]! - (a[1]! - a[0]!) / 2 : i === a.length ? a[i - 1]! + (a[i - 1]! - a[i - 2]!) / 2 : (a[i - 1]! + a[i]!) / 2);
  const ex = edges(wx);
  const er = edges(wRec);
  const cells = [];
  for (let j = 0; j < wRec.length; j++) {
    // Cells overlap their neighbours by 15% so anti-aliasing leaves no light seams between them.
    for (let i = 0; i < wx.length; i++) {
      const [x0, x1, y0, y1] = [ex[i]!, ex[i + 1]!, er[j]!, er[j + 1]!];
      cells.push({ x: x0, x2: Math.min(x1 + 0.15 * (x1 - x0), ex.at(-1)!), y: y0, y2: Math.min(y1 + 0.15 * (y1 - y0), er.at(-1)!), loss1: loss[j * wx.length + i]! + 1 });
    }
  }
  const steps: { run: string; step: number; wx: number; wRec: number }[] = [];
  const ends: typeof steps = [];
  for (const [p, path] of paths.entries()) {
    if (typeof path?.name !== 'string' || !Array.isArray(path.weights)) throw new ConfigError(`paths[${p}]`, path, 'an object { name, weights }');
    path.weights.forEach((w: LinearWeights, step: number) => {
      if (typeof w?.wx !== 'number' || typeof w.wRec !== 'number') throw new ConfigError(`paths[${p}].weights[${step}]`, w, 'weights { wx, wRec }');
      steps.push({ run: path.name, step, wx: w.wx, wRec: w.wRec });
    });
    if (path.weights.length > 0) ends.push(steps.at(-1)!);
  }
  const x = { field: 'wx', type: 'quantitative', title: 'w_x', scale: { domain: [ex[0], ex.at(-1)], nice: false, zero: false } };
  const y = { field: 'wRec', type: 'quantitative', title: 'w_rec', scale: { domain: [er[0], er.at(-1)], nice: false, zero: false } };
  const run = { field: 'run', type: 'nominal', title: null, sort: null, scale: { scheme: 'set1' } };
  const heat = { field: 'loss1', type: 'quantitative', title: 'loss + 1', scale: { type: 'log', scheme: 'viridis' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Loss surface and optimizer paths',
    width: options.width ?? 420,
    height: options.height ?? 420,
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect', strokeWidth: 0 },
        encoding: {
          x: { ...x, field: 'x' }, x2: { field: 'x2' }, y: { ...y, field: 'y' }, y2: { field: 'y2' },
          color: heat,
        },
      },
      { data: { values: steps }, mark: { type: 'line', strokeWidth: 1, clip: true }, encoding: { x, y, order: { field: 'step' }, color: run } },
      { data: { values: steps }, mark: { type: 'point', filled: true, size: 6, clip: true }, encoding: { x, y, color: { ...run, legend: null } } },
      { data: { values: ends }, mark: { type: 'point', filled: true, size: 160, shape: STAR, stroke: 'white', strokeWidth: 0.5, clip: true }, encoding: { x, y, color: { ...run, legend: null } } },
    ],
    resolve: { scale: { color: 'independent' } },
    config: { axis: { grid: false } },
  };
}
