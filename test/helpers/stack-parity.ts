// One parity check of a stack on one backend: loss and gradients against TF.js (1e-4 relative) and
// against central differences of the float64 plain-TS loss (1e-4 relative; truncated runs skip the
// differences, which see the untruncated loss, and lean on TF.js's stop-gradient form instead).

import { expect } from 'vitest';
import type { OutputActivation } from '../../src/types.js';
import type { LayerSpec, StackDims } from '../../src/stack-spec.js';
import { randomElmanData } from './elman-data.js';
import { finiteDiff, jsLossGrad, meanScale, type LossKind, randomParams, tfLossGrad, wasmLossGrad, worstRel } from './stack-harness.js';

/** A layer spec with Keras's defaults but the sigmoid gates (TF.js defaults to hardSigmoid), overridden by o. */
export const layer = (cell: LayerSpec['cell'], units: number, o: Partial<LayerSpec> = {}): LayerSpec => ({ cell, units, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false, ...o });

/** Loss, output activation and returnSequences, cycled through by the matrices of the parity tests. */
export const HEADS: ReadonlyArray<readonly [LossKind, OutputActivation, boolean]> = [
  ['squared', 'linear', true],
  ['bce', 'sigmoid', false],
  ['cce', 'softmax', true],
  ['squared', 'sigmoid', false],
  ['squared', 'softmax', true],
];

/** Worst relative differences found, for the report: [loss vs TF.js, grads vs TF.js, grads vs differences]. */
export function checkParity(backend: 'wasm' | 'js', layers: StackDims['layers'], head: (typeof HEADS)[number], seed: number, window = 0): [number, number, number] {
  const [loss, outAct, seq] = head;
  const [I, O, N, T] = [3, 4, 5, 6];
  const d: StackDims = { I, layers, O, outAct, seq };
  const data = randomElmanData(seed, N, T, I, O, seq, loss === 'bce' ? 'bits' : loss === 'cce' ? 'onehot' : 'real');
  const p = randomParams(d, seed + 1);
  const s = meanScale(d, data, loss);
  const ours = backend === 'wasm' ? wasmLossGrad(d, data, p, loss, s, window) : jsLossGrad(d, data.x, data.targets, N, T, p, loss, s, window);
  const theirs = tfLossGrad(d, data, p, loss, window);
  const lossRel = Math.abs(ours.loss - theirs.loss) / Math.abs(theirs.loss);
  const tfRel = worstRel(ours.grads, theirs.grads);
  expect(lossRel).toBeLessThan(1e-4);
  expect(tfRel).toBeLessThan(1e-4);
  let fdRel = Number.NaN; // not defined for truncated runs
  if (window === 0) {
    fdRel = worstRel(ours.grads, finiteDiff(d, data, p, loss, s));
    expect(fdRel).toBeLessThan(1e-4);
  }
  // Every block of parameters gets a gradient: no term silently dropped.
  expect(theirs.grads.some((v) => v !== 0)).toBe(true);
  return [lossRel, tfRel, fdRel];
}

/** Keep the worst figures per label, printed once at the end of a file (quoted in reports). */
export class Worst {
  private readonly rows = new Map<string, [number, number, number]>();
  add(label: string, r: [number, number, number]): void {
    const w = this.rows.get(label) ?? [0, 0, 0];
    this.rows.set(label, [Math.max(w[0], r[0]), Math.max(w[1], r[1]), Math.max(w[2], r[2])]);
  }
  print(title: string): void {
    const lines = [...this.rows].map(([k, [a, b, c]]) => `  ${k}: loss ${a.toExponential(1)}, grads vs TF.js ${b.toExponential(1)}, vs float64 differences ${Number.isNaN(c) ? 'n/a' : c.toExponential(1)}`);
    console.log(`${title} (worst relative differences)\n${lines.join('\n')}`);
  }
}
