// What a training run keeps of itself, bounded: at most `limit` entries of loss (and, when
// tracked, of weights). A run longer than that keeps every 2nd, then every 4th … epoch: the
// stride `every` doubles and the entries kept are epochs 0, every, 2·every, … (plus the final weights).

/**
 * `loss[i]` is the loss of epoch i·every before its update; `weights[i]` the weights it was computed at, plus the final weights last.
 * @category Training
 */
export interface History<W> {
  /** `loss[i]`: the loss of epoch i·every, computed before its update. */
  readonly loss: number[];
  /** `weights[i]`: the weights `loss[i]` was computed at, then the final weights (empty unless weights were tracked). */
  readonly weights: W[];
  /** Validation loss after each recorded epoch, when the run had validation data. */
  readonly valLoss?: number[];
  /** Epochs between entries: 1 until the run outgrew `historyLimit`, then 2, 4, … */
  readonly every: number;
  /** Threads that computed each epoch (`model.placeThreaded`): 1 unless the data was placed for more. */
  readonly threads: number;
}

const EMPTY = new Float32Array(0);

/** Records a run into a History: losses as numbers, weights as flat float32 until someone reads them. */
export class Recorder<W> {
  readonly history: History<W>;
  private readonly loss: number[] = [];
  private readonly val: number[] | undefined;
  private flat = EMPTY;
  private entries = 0;
  private every = 1;
  private final: Float32Array | undefined;
  private cache: W[] | undefined;

  constructor(
    private readonly P: number,
    private readonly track: boolean,
    private readonly limit: number,
    withVal: boolean,
    weightsOf: (params: Float32Array) => W,
    threads = 1,
  ) {
    this.val = withVal ? [] : undefined;
    this.history = new RunHistory(this.loss, this.val, () => (this.cache ??= this.materialize(weightsOf)), threads);
  }

  private materialize(weightsOf: (params: Float32Array) => W): W[] {
    const out: W[] = [];
    if (this.track) {
      for (let i = 0; i < this.entries; i++) out.push(weightsOf(this.flat.slice(i * this.P, (i + 1) * this.P)));
      if (this.final) out.push(weightsOf(this.final));
    }
    return out;
  }

  /** True when epoch e gets an entry. */
  due(e: number): boolean {
    return e % this.every === 0;
  }

  /** Record epoch e (call only when `due(e)`): its loss, the weights it was computed at (from `at` in `params`), and its validation loss. */
  record(loss: number, params: Float32Array | undefined, val?: number, at = 0): void {
    if (this.entries === this.limit) this.thin();
    this.loss.push(loss);
    if (this.val) this.val.push(val!);
    if (this.track) {
      const to = this.entries * this.P;
      this.reserve(to + this.P);
      for (let i = 0; i < this.P; i++) this.flat[to + i] = params![at + i]!;
    }
    this.entries++;
    this.cache = undefined;
  }

  /**
   * Record `count` consecutive epochs from `first` in one go: losses[i], computed at `start` for
   * i = 0 and at weights[(i − 1)·P …] after it (the core's per-epoch output).
   */
  recordRun(first: number, losses: Float64Array, count: number, start: Float32Array, weights: Float32Array): void {
    if (count === 1 && this.every === 1 && !this.track && !this.val && this.entries < this.limit) {
      // One epoch per call (an onEpoch every epoch): the loss alone.
      this.loss.push(losses[0]!);
      this.entries++;
      this.cache = undefined;
      return;
    }
    if (this.every !== 1 || this.val || this.entries + count > this.limit) {
      for (let i = 0; i < count; i++) {
        if (!this.due(first + i)) continue;
        if (i === 0) this.record(losses[0]!, start);
        else this.record(losses[i]!, weights, undefined, (i - 1) * this.P);
      }
      return;
    }
    for (let i = 0; i < count; i++) this.loss.push(losses[i]!);
    if (this.track) {
      const { P } = this;
      const to = this.entries * P;
      this.reserve(to + count * P);
      for (let i = 0; i < P; i++) this.flat[to + i] = start[i]!;
      const rest = (count - 1) * P;
      if (rest > 64) this.flat.set(weights.subarray(0, rest), to + P); // a copy, not a loop, for long runs
      else for (let i = 0; i < rest; i++) this.flat[to + P + i] = weights[i]!;
    }
    this.entries += count;
    this.cache = undefined;
  }

  /** Room for `floats` recorded weights, grown by doubling up to the limit. */
  private reserve(floats: number): void {
    if (floats <= this.flat.length) return;
    const grown = new Float32Array(Math.min(this.limit * this.P, Math.max(2 * this.flat.length, floats)));
    grown.set(this.flat);
    this.flat = grown;
  }

  /** The weights the run ended at (the last entry of `weights`). */
  end(params: Float32Array): void {
    if (this.track) this.final = params.slice();
    this.cache = undefined;
  }

  /** Keep entries 0, 2, 4, …: half as many, twice the stride. */
  private thin(): void {
    const keep = Math.ceil(this.entries / 2);
    for (let i = 0; i < keep; i++) {
      this.loss[i] = this.loss[2 * i]!;
      if (this.val) this.val[i] = this.val[2 * i]!;
      if (this.track) this.flat.copyWithin(i * this.P, 2 * i * this.P, (2 * i + 1) * this.P);
    }
    this.loss.length = keep;
    if (this.val) this.val.length = keep;
    this.entries = keep;
    this.every *= 2;
    (this.history as RunHistory<W>).every = this.every;
  }
}

/** A History whose weights are made from the recorded float32 copies on first read (a prototype getter: cheap to create per run). */
class RunHistory<W> implements History<W> {
  every = 1;
  readonly valLoss?: number[];

  readonly #read: () => W[]; // a private field: not enumerable, so histories compare by their data
  readonly #threads: number; // private too: a run's data do not depend on its thread count

  constructor(
    readonly loss: number[],
    valLoss: number[] | undefined,
    read: () => W[],
    threads: number,
  ) {
    if (valLoss) this.valLoss = valLoss;
    this.#read = read;
    this.#threads = threads;
  }

  get threads(): number {
    return this.#threads;
  }

  get weights(): W[] {
    return this.#read();
  }

  /** Plain JSON with the weights, for saving a run. */
  toJSON(): { loss: number[]; weights: W[]; every: number; valLoss?: number[] } {
    return { loss: this.loss, weights: this.weights, every: this.every, ...(this.valLoss && { valLoss: this.valLoss }) };
  }
}
