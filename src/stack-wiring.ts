// How the layers of a stack hand their outputs up when it is not step for step: Keras's RepeatVector
// (a layer reads the last output of the layer below, repeated n steps: an encoder–decoder) and
// Bidirectional (a forward and a backward copy of the cell, the backward one over reversed time,
// their outputs merged). One table of each layer's steps, widths and scratch for batches of B, read
// by both stacks' allocators and by the model's size checks.

import { CELL_SPECS } from './cells/index.js';
import { layerWidth, type StackDims } from './stack-spec.js';

/** One layer of a stack, wired: its steps and widths, and the floats of each of its scratch arrays. */
export interface LayerPlan {
  /** Steps the layer runs: the data's for the first, its RepeatVector's n, else the layer below's. */
  readonly T: number;
  /** Steps it hands up: 1 when only its last output goes up (to a RepeatVector or a many-to-one head), else T. */
  readonly Tout: number;
  /** Input width, units and output width. */
  readonly I: number;
  readonly H: number;
  readonly W: number;
  /** Copies of the cell: 2 for a bidirectional layer (forward, then backward), else 1. */
  readonly dirs: 1 | 2;
  /** Per copy: states hs (and cs) [T+1][B][H], the cell's scratch, dh [T][B][H]. */
  readonly state: number;
  readonly work: number;
  readonly dh: number;
  /** Per copy: the step mask's scratch [2][B][H] (kept states of masked rows). */
  readonly save: number;
  /** Bidirectional: the merged outputs and their gradients [Tout][B][W] each; else 0. */
  readonly y: number;
  /** Bidirectional above another layer or an embedding: the backward copy's dx [T][B][I], added into dx reversed in time; else 0. */
  readonly dxr: number;
  /** RepeatVector: the layer's dx [T][B][I], summed over steps into the last output's gradient of the layer below; else 0. */
  readonly dxs: number;
}

/** True when some layer repeats or is bidirectional: the stack then needs whole sequences (no `step`, no truncation). */
export function wired(d: StackDims): boolean {
  return d.layers.some((l) => l.repeat !== undefined || l.merge !== undefined);
}

/** Each layer's plan for batches of up to B samples of T input steps (sizes in float64, exact far past 2^32). */
export function stackPlan(d: StackDims, B: number, T: number): LayerPlan[] {
  let steps = T, I = d.embedding?.dim ?? d.I;
  return d.layers.map((l, i) => {
    const above = d.layers[i + 1];
    const lT = l.repeat ?? steps;
    // Only the last output goes up to a RepeatVector above, or to a many-to-one head.
    const Tout = (above ? above.repeat !== undefined : !d.seq) ? 1 : lT;
    const H = l.units, W = layerWidth(l), spec = CELL_SPECS[l.cell];
    const plan: LayerPlan = {
      T: lT, Tout, I, H, W, dirs: l.merge ? 2 : 1,
      state: (lT + 1) * B * H * (spec.cellState ? 2 : 1),
      work: spec.work(B, lT, I, H),
      dh: lT * B * H,
      save: 2 * B * H,
      y: l.merge ? Tout * B * W : 0,
      dxr: l.merge && (i > 0 || d.embedding) ? lT * B * I : 0,
      dxs: l.repeat !== undefined ? lT * B * I : 0,
    };
    steps = lT;
    I = W;
    return plan;
  });
}

/** Floats of every layer's scratch in a plan. */
export function planFloats(plan: readonly LayerPlan[]): number {
  return plan.reduce((sum, p) => sum + p.dirs * (p.state + p.work + p.dh + p.save) + 2 * p.y + p.dxr + p.dxs, 0);
}

/** Output steps of the model for T input steps: the top layer's steps with returnSequences (a decoder's n), else 1. */
export function outputSteps(d: StackDims, T: number): number {
  if (!d.seq) return 1;
  let steps = T;
  for (const l of d.layers) steps = l.repeat ?? steps;
  return steps;
}
