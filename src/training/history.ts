// What a training run keeps of itself, bounded: at most `limit` entries of loss (and, when
// tracked, of weights). A run longer than that keeps every 2nd, then every 4th … epoch: the
// stride `every` doubles and the entries kept are epochs 0, every, 2·every, … (plus the final weights).

/** `loss[i]` is the loss of epoch i·every before its update; `weights[i]` the weights it was computed at, plus the final weights last. */
export interface History<W> {
  readonly loss: number[];
  readonly weights: W[];
  /** Validation loss after each recorded epoch, when the run had validation data. */
  readonly valLoss?: number[];
  /** Epochs between entries: 1 until the run outgrew `historyLimit`, then 2, 4, … */
  readonly every: number;
}

/** Records a run into a History: losses as numbers, weights as flat float32 until someone reads them. */
export class Recorder<W> {
  readonly history: History<W>;
  private readonly loss: number[] = [];
  private readonly val: number[] | undefined;
  private flat: Float32Array;
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
  ) {
    this.val = withVal ? [] : undefined;
    this.flat = new Float32Array(track ? Math.min(limit, 1024) * P : 0);
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias
    const history = { loss: this.loss, every: 1, ...(this.val && { valLoss: this.val }) } as { loss: number[]; valLoss?: number[]; every: number; weights: W[] };
    Object.defineProperty(history, 'weights', {
      enumerable: true,
      get(): W[] {
        if (!self.cache) {
          const out: W[] = [];
          if (self.track) {
            for (let i = 0; i < self.entries; i++) out.push(weightsOf(self.flat.slice(i * self.P, (i + 1) * self.P)));
            if (self.final) out.push(weightsOf(self.final));
          }
          self.cache = out;
        }
        return self.cache;
      },
    });
    this.history = history;
  }

  /** True when epoch e gets an entry. */
  due(e: number): boolean {
    return e % this.every === 0;
  }

  /** Record epoch e (call only when `due(e)`): its loss, the weights it was computed at, and its validation loss. */
  record(loss: number, paramsBefore: Float32Array | undefined, val?: number): void {
    if (this.entries === this.limit) this.thin();
    this.loss.push(loss);
    if (this.val) this.val.push(val!);
    if (this.track) {
      const at = this.entries * this.P;
      if (at + this.P > this.flat.length) {
        const grown = new Float32Array(Math.min(this.limit * this.P, Math.max(2 * this.flat.length, at + this.P)));
        grown.set(this.flat);
        this.flat = grown;
      }
      this.flat.set(paramsBefore!, at);
    }
    this.entries++;
    this.cache = undefined;
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
    (this.history as { every: number }).every = this.every;
  }
}
