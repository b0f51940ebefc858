// Messages between the benchmark page (bench.ts) and its worker (bench-worker.ts).

/** One cell of the table: an implementation at a size, timed in this browser. */
export interface BenchRow {
  size: string;
  samples: number;
  steps: number;
  impl: string;
  name: string;
  /** Epochs per timed call, and how many calls the median is over. */
  epochs: number;
  calls: number;
  /** Median wall time per epoch, in ms. */
  msPerEpoch: number;
  /** samples × steps per second. */
  rate: number;
  /** The weights after a call (each call starts from the same weights and a fresh optimizer). */
  wx: number;
  wRec: number;
}

export type BenchRequest = { type: 'run'; quick: boolean };
export type BenchReply = { type: 'row'; row: BenchRow } | { type: 'done' } | { type: 'error'; message: string };
