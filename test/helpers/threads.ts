import { expect } from 'vitest';
import { adam, train, type ElmanLossName, type PlacedData, type Sequences, type Trainable } from '../../src/index.js';

/** Largest |a − b| over the largest |b|: gradient agreement as a share of the gradient's scale. */
export function relative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    m = Math.max(m, Math.abs(b[i]!));
  }
  return d / m;
}

/** A batch model as the threaded tests use it. */
type BatchModel = Trainable<unknown, ElmanLossName> & {
  placeThreaded(d: Sequences, o: { threads: number }): Promise<PlacedData>;
  place(d: Sequences): PlacedData;
  predict(p: PlacedData): Float32Array;
  params: Float32Array;
  dispose(): void;
};

/**
 * Train fresh models from `make` (Adam, shuffled mini-batches) on threads 1 and 2 and on an
 * ordinary placement; expect threads 2 to reach the bits of threads 1 and the ordinary run within
 * float32 rounding, the history to say how many ran, and predict on a placement to match the core's.
 */
export async function expectSameTraining(make: () => BatchModel, d: Sequences, options: { epochs: number; batchSize: number; shuffle: number }): Promise<void> {
  const run = async (threads: number | undefined) => {
    const model = make();
    try {
      const placed = threads === undefined ? model.place(d) : await model.placeThreaded(d, { threads });
      const history = await train(model as never, placed, { optimizer: adam({ lr: 1e-2 }), ...options });
      return { params: Float32Array.from(model.params), loss: history.loss, threads: history.threads, y: model.predict(placed) };
    } finally {
      model.dispose();
    }
  };
  const one = await run(1);
  const two = await run(2);
  const core = await run(undefined);
  expect([one.threads, two.threads, core.threads]).toEqual([1, 2, 1]);
  expect(two.params).toEqual(one.params);
  expect(two.loss).toEqual(one.loss);
  expect(one.loss.at(-1)!).toBeLessThan(one.loss[0]!);
  for (let i = 0; i < one.params.length; i++) expect(Math.abs(one.params[i]! - core.params[i]!)).toBeLessThan(1e-4);
  // The forward pass of a threaded placement runs on the calling thread: the same bits as the core's.
  const model = make();
  model.params.set(one.params);
  expect(one.y).toEqual(model.predict(d as unknown as PlacedData));
  model.dispose();
}
