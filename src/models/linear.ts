import { checkBackend, type BackendName, type Bound, type CoreJob } from '../backends/backend.js';
import { JsLinear } from '../backends/js/linear-bound.js';
import { linearLossGrad } from '../backends/js/linear.js';
import { WasmLinear } from '../backends/wasm/linear.js';
import { checkSequences, checkValues, timeMajor, type Sequences } from '../data/sequences.js';
import { ConfigError, NumericError, ShapeError } from '../errors.js';
import { Bindings } from './bindings.js';
import { squaredLoss, type LossName } from '../losses.js';

/** The counter's two weights. */
export interface LinearWeights {
  wx: number;
  wRec: number;
}

/** Options of `new LinearRNN`: initial weights (default 0) and the backend. */
export interface LinearRNNOptions {
  wx?: number;
  wRec?: number;
  backend?: BackendName;
  /** WebAssembly only: use the f32x4 kernel (default) or the scalar one, for comparison. */
  simd?: boolean;
}

/** A row-major matrix: `data[r * cols + c]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

type Kernel = WasmLinear | JsLinear;

/**
 * The tutorial's recurrent network: `s[k] = x[k]·wx + s[k-1]·wRec`, `y = s[T]`, learning to count
 * the ones in binary sequences. Parameters are one flat Float32Array `[wx, wRec]`.
 */
export class LinearRNN {
  /** Flat parameters `[wx, wRec]`, float32; optimizers update them in place. */
  readonly params = new Float32Array(2);
  /** ∂L/∂params from the last `lossAndGrad`, same layout as `params`. */
  readonly grads = new Float32Array(2);
  /** Names of the entries of `params`, in order. */
  readonly paramNames = ['wx', 'wRec'] as const;
  readonly backend: BackendName;
  readonly simd: boolean;
  private readonly bindings = new Bindings<Kernel>('LinearRNN');

  constructor(options: LinearRNNOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new ConfigError('options', options, 'an object');
    this.backend = checkBackend(options.backend);
    if (options.simd !== undefined && typeof options.simd !== 'boolean') throw new ConfigError('simd', options.simd, 'a boolean');
    this.simd = options.simd ?? true;
    this.weights = { wx: options.wx ?? 0, wRec: options.wRec ?? 0 };
  }

  /** The current weights as numbers (float32 values). */
  get weights(): LinearWeights {
    return { wx: this.params[0]!, wRec: this.params[1]! };
  }

  /** Set both weights; each must be finite. */
  set weights(w: LinearWeights) {
    if (typeof w !== 'object' || w === null) throw new ConfigError('weights', w, 'an object { wx, wRec }');
    for (const name of this.paramNames) {
      // A finite double can still round to ±Infinity in float32.
      if (typeof w[name] !== 'number' || !Number.isFinite(Math.fround(w[name]))) throw new ConfigError(name, w[name], 'a finite float32 number (|v| < 3.4e38)');
    }
    this.params[0] = w.wx;
    this.params[1] = w.wRec;
  }

  /** Every state of every sample, shape (samples, T+1), column 0 zeros. */
  forwardStates(data: Sequences | ArrayLike<ArrayLike<number>>): Matrix {
    const seq = this.sequences(data);
    const kernel = this.kernel(seq);
    try {
      const s = kernel.states(this.params[0]!, this.params[1]!);
      const bad = s.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new NumericError(`the states overflowed float32 at step ${Math.floor(bad / seq.samples)} with wx = ${this.params[0]}, wRec = ${this.params[1]}`, 'states', s[bad]);
      const rows = seq.samples;
      const cols = seq.steps + 1;
      const out = new Float32Array(rows * cols);
      for (let k = 0; k < cols; k++) for (let n = 0; n < rows; n++) out[n * cols + k] = s[k * rows + n]!;
      return { rows, cols, data: out };
    } finally {
      this.bindings.release(kernel);
    }
  }

  /** The output y = s[T] for one sequence. */
  predict(sequence: ArrayLike<number>): number {
    const m = this.forwardStates([sequence]);
    return m.data[m.cols - 1]!;
  }

  /** The loss and its gradient `{ wx, wRec }` for a data set, in one fused pass. */
  lossAndGrad(data: Sequences, loss: LossName = 'sse'): { loss: number; grads: LinearWeights } {
    const b = this.bind(data, loss);
    try {
      const value = b.lossAndGrad();
      if (!Number.isFinite(Math.fround(value)) || !Number.isFinite(this.grads[0]) || !Number.isFinite(this.grads[1])) {
        throw new NumericError(`the loss or its gradient overflowed float32 with wx = ${this.params[0]}, wRec = ${this.params[1]}`, 'loss', value);
      }
      return { loss: value, grads: { wx: this.grads[0]!, wRec: this.grads[1]! } };
    } finally {
      b.dispose();
    }
  }

  /** The loss computed in float64 at arbitrary parameters, without touching the model (for gradCheck). */
  lossAt(params: ArrayLike<number>, data: Sequences, loss: LossName = 'sse'): number {
    this.bindings.check();
    checkSequences(data);
    checkValues('params', params);
    if (params.length !== 2) throw new ShapeError('params', params, 'have length 2', `length ${params.length}`);
    const { scale } = squaredLoss(loss, data.samples);
    const out = new Float64Array(3);
    const n = data.samples;
    linearLossGrad(data.x, data.targets, n, data.steps, params[0]!, params[1]!, 0, new Float64Array((data.steps + 1) * n), new Float64Array(n), out);
    return out[0]! * scale;
  }

  /**
   * Bind a data set to this model's backend, for repeated `lossAndGrad()` calls at the current params.
   * This is the training loop's low-level hook: its results may be non-finite, and `train` checks them.
   */
  bind(data: Sequences, loss: LossName = 'sse'): Bound {
    const { scale, c } = squaredLoss(loss, checkSequences(data).samples);
    this.checkShape(data);
    const kernel = this.kernel(data);
    const out = new Float64Array(3);
    const { params, grads } = this;
    return {
      lossAndGrad: () => {
        this.bindings.check();
        kernel.lossGrad(params[0]!, params[1]!, c, out);
        grads[0] = out[1]!;
        grads[1] = out[2]!;
        return out[0]! * scale;
      },
      dispose: () => this.bindings.release(kernel),
      ...(kernel instanceof WasmLinear && {
        trainInCore: (job: CoreJob) => {
          this.bindings.check();
          return kernel.train(c, scale, job);
        },
      }),
    };
  }

  /** Free every backend buffer this model holds; any further use throws DisposedError. */
  dispose(): void {
    this.bindings.disposeAll();
  }

  private sequences(data: Sequences | ArrayLike<ArrayLike<number>>): Sequences {
    this.bindings.check();
    if (data !== null && typeof data === 'object' && 'x' in data && 'samples' in data) {
      checkSequences(data);
      this.checkShape(data);
      return data;
    }
    const { x, samples, steps } = timeMajor(data as ArrayLike<ArrayLike<number>>, 'sequences');
    return { x, samples, steps, inputSize: 1, outputSize: 1, targets: new Float32Array(samples) };
  }

  private checkShape(data: Sequences): void {
    if (data.inputSize !== 1) throw new ShapeError('data.inputSize', data.inputSize, 'be 1 for LinearRNN');
    if (data.outputSize !== 1 || data.targetsPerStep) throw new ShapeError('data.targets', data.targets, 'hold one count per sample for LinearRNN');
  }

  private kernel(data: Sequences): Kernel {
    this.bindings.check();
    const k = this.backend === 'wasm' ? new WasmLinear(data, this.simd) : new JsLinear(data);
    return this.bindings.add(k);
  }
}
