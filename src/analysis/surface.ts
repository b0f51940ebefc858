import { checkBackend, type BackendName } from '../backends/backend.js';
import { linearLossGrad } from '../backends/js/linear.js';
import { checkThreads, isStartFailure, threadPlan } from '../backends/threads/support.js';
import { wasmSurface } from '../backends/wasm/surface.js';
import { checkKeys } from '../checks.js';
import { checkSequences, type Sequences } from '../data/sequences.js';
import { ConfigError, ShapeError } from '../errors.js';
import { squaredLoss, type LossName } from '../losses.js';

/**
 * An evenly spaced axis: `count` points from `min` to `max` inclusive.
 * @category Plots
 */
export interface Axis {
  /** First value of the axis, finite in float32. */
  min: number;
  /** Last value of the axis, greater than `min` and finite in float32. */
  max: number;
  /** Number of points, an integer in [2, 4096]. */
  count: number;
}

/**
 * Options of `lossSurface`: the two axes (the notes' 50×50 over [-3, 3]² by default), the loss, and the
 * backend: 'wasm' (default, needs `await init()`; float32 states, SIMD over samples) or 'js' (float64).
 * @category Plots
 */
export interface SurfaceOptions {
  /** Input-weight axis (default 50 points over [-3, 3]). */
  wx?: Axis;
  /** Recurrent-weight axis (default 50 points over [-3, 3]). */
  wRec?: Axis;
  /** The loss to evaluate (default 'sse'). */
  loss?: LossName;
  /** 'wasm' (default) or 'js'. */
  backend?: BackendName;
}

/** The largest float32: where the loss overflows (steep walls at |wRec| > 1), the surface saturates here. */
export const F32_MAX = 3.4028234663852886e38;

/**
 * The counter's loss over a grid: `loss[j * wx.length + i]` is the loss at (wx[i], wRec[j]), saturated at F32_MAX.
 * @category Plots
 */
export interface Surface {
  /** The input-weight values, one per column. */
  readonly wx: Float64Array;
  /** The recurrent-weight values, one per row. */
  readonly wRec: Float64Array;
  /** The loss at every grid point, row-major `[wRec.length][wx.length]`. */
  readonly loss: Float32Array;
}

/**
 * Options of `lossSurfaceThreaded`: those of `lossSurface` and the threads.
 * @category Plots
 */
export interface ThreadedSurfaceOptions extends SurfaceOptions {
  /**
   * Threads sharing the grid's rows: an integer from 1 to 64, or 'auto' (default): 2 (given two CPUs or more) from 2^28
   * sample-steps in all (points × samples × steps; a pool takes ~65 ms to start in Node), else 1.
   * Where threads cannot run (see ThreadOptions) any count computes on one thread.
   */
  threads?: number | 'auto';
}

/** The checked data, axes, loss scale and backend of a surface request. */
function request(data: Sequences, options: SurfaceOptions) {
  checkKeys('options', options, ['wx', 'wRec', 'loss', 'backend']);
  checkSequences(data);
  if (data.inputSize !== 1 || data.outputSize !== 1 || data.targetsPerStep) throw new ShapeError('data', data, 'be counter data (inputSize 1, one target per sample)');
  const wx = axis('wx', options.wx ?? { min: -3, max: 3, count: 50 });
  const wRec = axis('wRec', options.wRec ?? { min: -3, max: 3, count: 50 });
  const { scale } = squaredLoss(options.loss ?? 'sse', data.samples);
  return { wx, wRec, scale, backend: checkBackend(options.backend) };
}

/**
 * `lossSurface` with the grid's rows shared out over threads (where they run: see ThreadOptions).
 * Every point is computed on its own by the same kernel, so the
 * grid is the same bits as `lossSurface`'s on the wasm backend, whatever the thread count.
 * @category Plots
 */
export async function lossSurfaceThreaded(data: Sequences, options: ThreadedSurfaceOptions = {}): Promise<Surface> {
  checkKeys('options', options, ['wx', 'wRec', 'loss', 'backend', 'threads']);
  const { threads: option, ...rest } = options;
  const t = checkThreads(option);
  const { wx, wRec, scale, backend } = request(data, rest);
  if (t !== 'auto' && backend !== 'wasm') throw new ConfigError('threads', t, "'auto' with backend 'js' (threads run the WebAssembly core)");
  const threads = backend === 'wasm' ? threadPlan(t, wx.length * wRec.length * data.samples * data.steps, SURFACE_AUTO_MIN_WORK) : 0;
  if (threads === 0) return lossSurface(data, rest);
  const { threadedSurface } = await import('../backends/threads/surface.js');
  try {
    return { wx, wRec, loss: await threadedSurface(data, wx, wRec, scale, threads) };
  } catch (error) {
    // 'auto' falls back to one thread where the runtime refuses to start a pool; an explicit count is told why.
    if (t === 'auto' && isStartFailure(error)) return lossSurface(data, rest);
    throw error;
  }
}

const SURFACE_AUTO_MIN_WORK = 2 ** 28;

/**
 * The counter's loss at every point of a (wx, wRec) grid for one data set: the reference notes' picture.
 * @example
 * ```ts
 * import { init, countOnes, RandomState, lossSurface } from 'elman-rnn';
 *
 * await init();
 * const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
 * const axis = { min: -0.1, max: 2.1, count: 50 };
 * const surface = lossSurface(data, { wx: axis, wRec: axis });   // the loss at 50 × 50 weights
 * console.log(surface.loss.length);                              // 2500
 * ```
 * @category Plots
 */
export function lossSurface(data: Sequences, options: SurfaceOptions = {}): Surface {
  const { wx, wRec, scale, backend } = request(data, options);
  if (backend === 'wasm') return { wx, wRec, loss: wasmSurface(data, wx, wRec, scale) };
  const n = data.samples;
  const T = data.steps;
  const states = new Float64Array((T + 1) * n);
  const g = new Float64Array(n);
  const out = new Float64Array(3);
  const loss = new Float32Array(wx.length * wRec.length);
  for (let j = 0; j < wRec.length; j++) {
    for (let i = 0; i < wx.length; i++) {
      linearLossGrad(data.x, data.targets, n, T, Math.fround(wx[i]!), Math.fround(wRec[j]!), 0, states, g, out);
      const v = out[0]! * scale;
      loss[j * wx.length + i] = v < F32_MAX ? v : F32_MAX; // NaN (∞ − ∞ in the states) saturates too
    }
  }
  return { wx, wRec, loss };
}

function axis(name: string, a: Axis): Float64Array {
  if (typeof a !== 'object' || a === null) throw new ConfigError(name, a, 'an axis { min, max, count }');
  checkKeys(name, a, ['min', 'max', 'count']);
  if (typeof a.min !== 'number' || !Number.isFinite(Math.fround(a.min))) throw new ConfigError(`${name}.min`, a.min, 'a finite float32 number');
  if (typeof a.max !== 'number' || !Number.isFinite(Math.fround(a.max)) || !(a.max > a.min)) throw new ConfigError(`${name}.max`, a.max, `a finite float32 number > ${name}.min (${a.min})`);
  if (!Number.isInteger(a.count) || a.count < 2 || a.count > 4096) throw new ConfigError(`${name}.count`, a.count, 'an integer in [2, 4096]');
  const v = new Float64Array(a.count);
  for (let i = 0; i < a.count; i++) v[i] = a.min + ((a.max - a.min) * i) / (a.count - 1);
  return v;
}
