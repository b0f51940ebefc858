import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { init, RNN, type CellKind, type ElmanLossName, type Sequences } from '../../src/index.js';

const CELL_NAMES_BY_KERAS: Record<string, CellKind> = { SimpleRNN: 'simple', GRU: 'gru', LSTM: 'lstm' };

// Masks and sample weights against Keras 3 itself (test/fixtures/make_keras3_masks.py): models with a
// Masking layer over zero-padded inputs (post-padded, pre-padded, a hole), their predictions at every
// step, Keras's own loss (the mask the model propagates, then sample weights) and its gradients by
// jax, on both backends. Keras's mask is the inputs' non-zero steps; here it is given as `mask`.
beforeAll(() => init());

interface Case {
  name: string;
  layers: Array<{ cell: string; units: number }>;
  returnSequences: boolean;
  loss: ElmanLossName;
  outputActivation: 'linear' | 'sigmoid' | 'softmax';
  outputSize: number;
  targets: number[][] | number[][][];
  weights: unknown[];
  y: number[][] | number[][][];
  masked: { loss: number; grads: unknown[] };
  weighted: { loss: number; grads: unknown[] };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/keras3/masks.json', import.meta.url), 'utf8')) as {
  x: number[][][];
  mask: number[][];
  sampleWeights: number[];
  cases: Case[];
};
const S = fixture.x.length, T = fixture.x[0]!.length, I = fixture.x[0]![0]!.length;

/** [samples][steps][width] (or [samples][width]) → time-major float32. */
function timeMajor(a: number[][][] | number[][], width: number, steps: number): Float32Array {
  const out = new Float32Array(steps * S * width);
  for (let n = 0; n < S; n++) {
    for (let k = 0; k < steps; k++) {
      const row = (steps === 1 && !Array.isArray((a[n] as unknown[])[0]) ? a[n] : (a[n] as number[][])[k]) as number[];
      out.set(row, (k * S + n) * width);
    }
  }
  return out;
}

const flat = (arrays: unknown[]) => Float32Array.from((arrays as number[]).flat(3) as number[]);

function close(got: ArrayLike<number>, want: ArrayLike<number>, rel: number): void {
  expect(got.length).toBe(want.length);
  let top = 0, worst = 0;
  for (let i = 0; i < want.length; i++) top = Math.max(top, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst).toBeLessThanOrEqual(rel * top);
}

describe.each(['wasm', 'js'] as const)('Keras 3 Masking and sample_weight on %s', (backend) => {
  test.each(fixture.cases.map((c) => [c.name, c]))('%s', (_, c: Case) => {
    const seq = c.returnSequences, O = c.outputSize, steps = seq ? T : 1;
    const model = new RNN({
      inputSize: I, outputSize: O, outputActivation: c.outputActivation, returnSequences: seq, defaults: 'keras3', backend,
      layers: c.layers.map((l) => ({ cell: CELL_NAMES_BY_KERAS[l.cell]!, units: l.units })),
    });
    // Keras's variables, in order, are this model's flat parameters: per layer kernel, recurrent kernel, bias, then the head's.
    model.params.set(flat(c.weights));
    const data: Sequences = {
      samples: S, steps: T, inputSize: I, outputSize: O, targetsPerStep: seq,
      x: timeMajor(fixture.x, I, T), targets: timeMajor(c.targets, O, steps), mask: fixture.mask.flat(),
    };
    close(model.predict(data), timeMajor(c.y, O, steps), 1e-5);
    for (const [extra, want] of [[{}, c.masked], [{ sampleWeights: fixture.sampleWeights }, c.weighted]] as const) {
      const { loss } = model.lossAndGrad({ ...data, ...extra }, c.loss);
      expect(Math.abs(loss - want.loss)).toBeLessThanOrEqual(1e-5 * Math.max(1, want.loss));
      close(model.grads, flat(want.grads), 1e-4);
    }
    model.dispose();
  });
});
