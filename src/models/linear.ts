import { checkKeys } from '../checks.js';
import { checkBackend, type BackendName, type CoreJob, type CoreOutcome } from '../backends/backend.js';
import { JsLinear } from '../backends/js/linear-bound.js';
import { linearLossGrad } from '../backends/js/linear.js';
import { AUTO_MIN_WORK } from '../backends/threads/support.js';
import { WasmLinear } from '../backends/wasm/linear.js';
import { checkSequences, checkValues, timeMajor, type Sequences } from '../data/sequences.js';
import { sequencesOf, type DataInput } from '../data/arrays.js';
import { ConfigError, DisposedError, NumericError, ShapeError } from '../errors.js';
import { LOSSES, squaredLoss, type LinearLossName } from '../losses.js';
import { Holdings } from './bindings.js';
import { holdPlacement, Placement, type BindOptions, type Binding, type PlacedData, type Trainable } from './model.js';
import { placeOnThreads, type ThreadOptions } from './threaded.js';

/**
 * The counter's two weights.
 * @category Models
 */
export interface LinearWeights {
  /** The input weight: x[k] enters the state as x[k]·wx. */
  wx: number;
  /** The recurrent weight: the state carries over as s[k-1]·wRec. */
  wRec: number;
}

/**
 * Options of `new LinearRNN`: initial weights (default 0) and the backend.
 * @category Models
 */
export interface LinearRNNOptions {
  /** Initial input weight (default 0). */
  wx?: number;
  /** Initial recurrent weight (default 0). */
  wRec?: number;
  /** Where the loops run: 'wasm' (default, needs `await init()`) or 'js'. */
  backend?: BackendName;
  /** WebAssembly only: use the f32x4 kernel (default) or the scalar one, for comparison. */
  simd?: boolean;
}

export type { ThreadOptions } from './threaded.js';

/** A row-major matrix: `data[r * cols + c]`. */
export interface Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The values, row-major, rows × cols of them. */
  readonly data: Float32Array;
}

/** What each backend offers the counter: the fused epoch, the states, and (capabilities) epochs inside the core, threads. */
interface LinearBackend {
  lossGrad(wx: number, wRec: number, c: number, out: Float64Array): void;
  /** Every ordinary placement has it (forwardStates places its own data); a threaded one does not. */
  states?(wx: number, wRec: number): Float32Array;
  /** Threads each lossGrad runs on, when more than the calling one may. */
  readonly threads?: number;
  train?(c: number, scale: number, job: CoreJob): CoreOutcome;
  dispose(): void;
}

const BACKEND: Record<BackendName, (data: Sequences, simd: boolean) => LinearBackend> = {
  wasm: (data, simd) => new WasmLinear(data, simd),
  js: (data) => new JsLinear(data),
};
/** Backends whose copy checks every value itself (WasmLinear: in core memory), so placing needs no scan first. */
const CHECKS_AS_IT_COPIES: Readonly<Record<BackendName, boolean>> = { wasm: true, js: false };


/**
 * The tutorial's recurrent network: `s[k] = x[k]·wx + s[k-1]·wRec`, `y = s[T]`, learning to count
 * the ones in binary sequences. Parameters are one flat Float32Array `[wx, wRec]`.
 * @example
 * ```ts
 * import { init, LinearRNN } from 'elman-rnn';
 *
 * await init();
 * const model = new LinearRNN({ wx: 1, wRec: 1 });  // the exact solution: s[T] counts the ones
 * console.log(model.predict([1, 0, 1, 1]));         // 3
 * ```
 * @category Models
 */
export class LinearRNN implements Trainable<LinearWeights, LinearLossName> {
  /** Flat parameters `[wx, wRec]`, float32; optimizers update them in place. */
  readonly params = new Float32Array(2);
  /** ∂L/∂params from the last `lossAndGrad`, same layout as `params`. */
  readonly grads = new Float32Array(2);
  /** Names of the entries of `params`, in order. */
  readonly paramNames = ['wx', 'wRec'] as const;
  readonly losses = LOSSES;
  readonly defaultLoss: LinearLossName = 'sse';
  /** Where the loops run. */
  readonly backend: BackendName;
  /** True when the WebAssembly backend uses the f32x4 kernel, false for the scalar one. */
  readonly simd: boolean;
  private readonly holdings = new Holdings<Placement<LinearBackend>>('LinearRNN');

  constructor(options: LinearRNNOptions = {}) {
    checkKeys('options', options, ['wx', 'wRec', 'backend', 'simd']);
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

  /** The weights `{ wx, wRec }` of a flat parameter array `[wx, wRec]`. */
  weightsOf(params: Float32Array): LinearWeights {
    return { wx: params[0]!, wRec: params[1]! };
  }

  /** Every state of every sample, shape (samples, T+1), column 0 zeros. */
  forwardStates(data: Sequences | ArrayLike<ArrayLike<number>>): Matrix {
    const seq = this.sequences(data);
    const placed = this.placeChecked(seq);
    let s: Float32Array;
    try {
      s = placed.backend!.states!(this.params[0]!, this.params[1]!);
    } finally {
      placed.dispose();
    }
    const bad = s.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new NumericError(`the states overflowed float32 at step ${Math.floor(bad / seq.samples)} with wx = ${this.params[0]}, wRec = ${this.params[1]}`, 'states', s[bad]);
    const rows = seq.samples;
    const cols = seq.steps + 1;
    const out = new Float32Array(rows * cols);
    for (let k = 0; k < cols; k++) for (let n = 0; n < rows; n++) out[n * cols + k] = s[k * rows + n]!;
    return { rows, cols, data: out };
  }

  /** The output y = s[T] for one sequence. */
  predict(sequence: ArrayLike<number>): number {
    const m = this.forwardStates([sequence]);
    return m.data[m.cols - 1]!;
  }

  /** The loss and its gradient `{ wx, wRec }` for a data set, in one fused pass. */
  lossAndGrad(data: Sequences | PlacedData, loss: LinearLossName = 'sse'): { loss: number; grads: LinearWeights } {
    const b = this.bindAny(data, { loss });
    let value: number;
    try {
      value = b.lossAndGrad(0);
    } finally {
      b.dispose();
    }
    if (!Number.isFinite(Math.fround(value)) || !Number.isFinite(this.grads[0]) || !Number.isFinite(this.grads[1])) {
      throw new NumericError(`the loss or its gradient overflowed float32 with wx = ${this.params[0]}, wRec = ${this.params[1]}`, 'loss', value);
    }
    return { loss: value, grads: { wx: this.grads[0]!, wRec: this.grads[1]! } };
  }

  /** The loss computed in float64 at arbitrary parameters, without touching the model (for gradCheck). */
  lossAt(params: ArrayLike<number>, data: Sequences, loss: LinearLossName = 'sse'): number {
    this.holdings.check();
    checkSequences(data);
    checkValues('params', params);
    if (params.length !== 2) throw new ShapeError('params', params, 'have length 2', `length ${params.length}`);
    const { scale } = squaredLoss(loss, data.samples);
    const out = new Float64Array(3);
    const n = data.samples;
    linearLossGrad(data.x, data.targets, n, data.steps, params[0]!, params[1]!, 0, new Float64Array((data.steps + 1) * n), new Float64Array(n), out);
    return out[0]! * scale;
  }

  /** Validate a data set and copy it into this model's backend once, for any number of `train` calls. */
  place(data: DataInput): PlacedData {
    this.holdings.check();
    const seqs = sequencesOf(data) as Sequences;
    checkSequences(seqs, 'data', !CHECKS_AS_IT_COPIES[this.backend]);
    return this.placeChecked(seqs);
  }

  /**
   * Validate a data set and copy it once into memory shared by `threads` threads (where they run:
   * see ThreadOptions): each epoch's samples are cut into blocks fixed by the data's size alone, the
   * threads share the blocks, and the blocks' float64 sums are added in block order, so every thread
   * count gives the same bits. Against `place` (one thread, one float64 sum over all samples) the
   * per-sample values are identical and only the order of the float64 additions differs: the loss
   * agrees to float64 rounding and the float32 gradients almost always exactly (at most 1 ulp).
   * Training on it runs one epoch per call into the core (no in-core epochs). Its `dispose`, or the
   * model's, stops the workers.
   */
  async placeThreaded(data: Sequences, options: ThreadOptions = {}): Promise<PlacedData> {
    this.holdings.check();
    return placeOnThreads({
      options,
      backend: this.backend,
      checkData: () => {
        checkSequences(data);
        this.checkShape(data);
      },
      work: () => data.samples * data.steps,
      autoFrom: AUTO_MIN_WORK,
      ordinary: () => this.placeChecked(data),
      // Loaded only here: the package's entry stays free of the threads core and the pool.
      start: async (threads) => (await import('../backends/threads/counter.js')).counterPool(data, threads),
      data,
      owner: this,
      holdings: this.holdings,
    });
  }

  /**
   * Bind placed data (or a data set, placed for the binding's lifetime) to a loss, for repeated
   * `lossAndGrad(0)` calls at the current params. The counter trains full-batch: a `batchSize`
   * below the samples or a `truncate` below the steps is refused. Results may be non-finite; `train` checks them.
   */
  bind(data: PlacedData | Sequences, options: BindOptions<LinearLossName> = {}): Binding {
    return this.bindAny(data, options);
  }

  /** Free every backend buffer this model holds; any further use throws DisposedError. */
  dispose(): void {
    this.holdings.disposeAll();
  }

  /** Same as `dispose`, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  private bindAny(data: PlacedData | Sequences, options: BindOptions<LinearLossName>): Binding {
    this.holdings.check();
    checkKeys('bind options', options, ['loss', 'batchSize', 'truncate']);
    const own = data instanceof Placement;
    // Check everything that can be checked before placing anything.
    const { scale, c } = squaredLoss(options.loss ?? this.defaultLoss, own ? data.samples : checkSequences(data as Sequences, 'data', !CHECKS_AS_IT_COPIES[this.backend]).samples);
    const samples = own ? data.samples : (data as Sequences).samples;
    const steps = own ? data.steps : (data as Sequences).steps;
    if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize >= samples)) {
      throw new ConfigError('batchSize', options.batchSize, `unset or >= the ${samples} samples: LinearRNN trains full-batch`);
    }
    if (options.truncate !== undefined && !(Number.isInteger(options.truncate) && options.truncate >= steps)) {
      throw new ConfigError('truncate', options.truncate, `unset or >= the ${steps} steps: LinearRNN runs full BPTT`);
    }
    const placed = own ? this.owned(data) : this.placeChecked(data as Sequences);
    const backend = placed.backend!;
    const out = new Float64Array(3);
    const { params, grads } = this;
    let live = true;
    const check = () => {
      if (!live || !placed.live) throw new DisposedError('binding');
      this.holdings.check();
    };
    const dispose = () => {
      live = false;
      if (!own) placed.dispose();
    };
    const train = backend.train?.bind(backend);
    return {
      samples,
      steps,
      ...(backend.threads !== undefined && { threads: backend.threads }),
      batches: 1,
      batchLength: () => samples,
      lossAndGrad: () => {
        check();
        backend.lossGrad(params[0]!, params[1]!, c, out);
        grads[0] = out[1]!;
        grads[1] = out[2]!;
        return out[0]! * scale;
      },
      ...(train && {
        trainEpochs: (job: CoreJob) => {
          check();
          return train(c, scale, job);
        },
      }),
      dispose,
    };
  }

  /** Placed data of this model, alive. */
  private owned(p: Placement<{ dispose(): void }>): Placement<LinearBackend> {
    if (p.owner !== this) throw new ConfigError('data', 'placed data', 'placed by this model (model.place(data))');
    if (!p.live) throw new DisposedError('placed data');
    return p as unknown as Placement<LinearBackend>;
  }

  private placeChecked(data: Sequences): Placement<LinearBackend> {
    this.checkShape(data);
    return holdPlacement(this.holdings, this, BACKEND[this.backend](data, this.simd), data);
  }

  private sequences(data: Sequences | ArrayLike<ArrayLike<number>>): Sequences {
    this.holdings.check();
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
    // The counter's kernels run every step of every sample alike: refused rather than ignored.
    for (const key of ['lengths', 'mask', 'sampleWeights'] as const) {
      if (data[key] !== undefined) throw new ConfigError(`data.${key}`, data[key], 'absent for LinearRNN (masks and sample weights are for RNN and ElmanRNN)');
    }
  }
}
