import type { Surface } from '../analysis/surface.js';
import { ConfigError } from '../errors.js';
import type { LinearWeights } from '../models/linear.js';
import { LABEL_EXPR } from './format.js';
import { plotOptions, type VegaLiteSpec } from './render.js';
import { runColorScale, simplifyPath } from './runs.js';

/**
 * One optimizer's path over the surface: the weights before every update, then the final ones.
 * @category Plots
 */
export interface WeightPath {
  /** The legend label of this run. */
  name: string;
  /** The counter's weights at each recorded epoch (`history.weights`); non-finite points are skipped. */
  weights: readonly LinearWeights[];
  /** Its colour (CSS); default: the run's place in the list, as in `lossCurveSpec`. */
  color?: string;
  /** The run diverged after its last weights: the end is a cross, not a star. */
  diverged?: boolean;
}

/**
 * Options of `lossSurfaceSpec`: title and size in CSS pixels.
 * @category Plots
 */
export interface LossSurfaceOptions {
  /** The figure's title (a default describes the figure). */
  title?: string;
  /** Width in CSS pixels, in [1, 10000] (default 420). */
  width?: number;
  /** Height in CSS pixels, in [1, 10000] (default 420). */
  height?: number;
}

// A five-pointed star in Vega's symbol units (radius 1), for the end of each path.
const STAR = Array.from({ length: 10 }, (_, i) => {
  const r = i % 2 === 0 ? 1 : 0.4;
  const a = (Math.PI * i) / 5 - Math.PI / 2;
  return `${i === 0 ? 'M' : 'L'}${(r * Math.cos(a)).toFixed(3)},${(r * Math.sin(a)).toFixed(3)}`;
}).join('') + 'Z';
// An ×, for where a run diverged.
const CROSS = 'M-1,-0.7L-0.7,-1L0,-0.3L0.7,-1L1,-0.7L0.3,0L1,0.7L0.7,1L0,0.3L-0.7,1L-1,0.7L-0.3,0Z';

/** Paths with at most this many points get a dot per step; longer ones would bury the line under dots. */
export const STEP_DOTS_UP_TO = 100;

/**
 * The loss over the (wx, wRec) grid in log colour (loss + 1), with each path drawn on it: a line, a
 * ring at the start, a star at the end (a cross where the run diverged), and a dot per step on short
 * paths. The reference notes' figure. Long paths are drawn through points at least 1/400 of the
 * picture apart, so the SVG stays small.
 * @category Plots
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
  type Point = { run: string; step: number; wx: number; wRec: number };
  const steps: Point[] = [];
  const dots: Point[] = [];
  const starts: Point[] = [];
  const ends: (Point & { shape: string })[] = [];
  const tol: [number, number] = [(ex.at(-1)! - ex[0]!) / 400, (er.at(-1)! - er[0]!) / 400];
  for (const [p, path] of paths.entries()) {
    if (typeof path?.name !== 'string' || !Array.isArray(path.weights)) throw new ConfigError(`paths[${p}]`, path, 'an object { name, weights }');
    const finite: Point[] = (path.weights as readonly LinearWeights[])
      .map((w, step): Point => {
        if (typeof w?.wx !== 'number' || typeof w.wRec !== 'number') throw new ConfigError(`paths[${p}].weights[${step}]`, w, 'weights { wx, wRec }');
        return { run: path.name, step, wx: w.wx, wRec: w.wRec };
      }).filter((q) => Number.isFinite(q.wx) && Number.isFinite(q.wRec));
    if (finite.length === 0) continue;
    for (const i of simplifyPath(finite.map((q) => q.wx), finite.map((q) => q.wRec), tol)) steps.push(finite[i]!);
    if (finite.length <= STEP_DOTS_UP_TO) dots.push(...finite);
    starts.push(finite[0]!);
    ends.push({ ...finite.at(-1)!, shape: path.diverged ? CROSS : STAR });
  }
  const x = { field: 'wx', type: 'quantitative', title: 'w_x', scale: { domain: [ex[0], ex.at(-1)], nice: false, zero: false } };
  const y = { field: 'wRec', type: 'quantitative', title: 'w_rec', scale: { domain: [er[0], er.at(-1)], nice: false, zero: false } };
  const run = { field: 'run', type: 'nominal', title: null, sort: null, scale: runColorScale(paths), legend: { labelLimit: 0 } };
  const mark = { type: 'point', clip: true };
  const point = (name: string, values: unknown[], style: Record<string, unknown>, shape?: unknown) => ({
    name, data: { values }, mark: { ...mark, ...style }, encoding: { x, y, color: { ...run, legend: null }, ...(shape ? { shape } : {}) },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Loss surface and optimizer paths',
    width: options.width ?? 420,
    height: options.height ?? 420,
    layer: [
      {
        name: 'cells',
        data: { values: cells },
        mark: { type: 'rect', strokeWidth: 0, aria: false }, // no per-cell aria-label: 2,500 of them would triple the SVG
        encoding: {
          x: { ...x, field: 'x' }, x2: { field: 'x2' }, y: { ...y, field: 'y' }, y2: { field: 'y2' },
          color: { field: 'loss1', type: 'quantitative', title: 'loss + 1', scale: { type: 'log', scheme: 'viridis' }, legend: { labelExpr: LABEL_EXPR } },
        },
      },
      // A pale casing under each path keeps it visible on dark and light cells alike.
      { name: 'casings', data: { values: steps }, mark: { type: 'line', strokeWidth: 3.5, stroke: 'white', opacity: 0.35, clip: true }, encoding: { x, y, order: { field: 'step' }, detail: { field: 'run' } } },
      { name: 'paths', data: { values: steps }, mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y, order: { field: 'step' }, color: run } },
      point('steps', dots, { filled: true, size: 14, stroke: 'white', strokeWidth: 0.3 }),
      point('starts', starts, { filled: false, size: 70, strokeWidth: 2 }),
      point('ends', ends, { filled: true, size: 220, stroke: 'white', strokeWidth: 0.8 }, { field: 'shape', type: 'nominal', scale: null, legend: null }),
    ],
    resolve: { scale: { color: 'independent' } },
    config: { axis: { grid: false } },
  };
}
