// Every loss, declared once with its properties: the head kernel's row (its code in src/abi/codes.ts,
// dispatched by a switch whose default traps in assembly/head.ts), its float64 js twin (`row`, here),
// whether it sums or averages, the output activation it is fused with, and whether the counter
// computes it. The models, the training loop and the CLI read this table; no one tests a loss by name.
// Adding a loss: its row in assembly/head.ts, its code in src/abi/codes.ts, its entry here.

import { LOSS_BCE, LOSS_CCE, LOSS_HUBER, LOSS_SPARSE_CCE, LOSS_SQUARED } from './abi/codes.js';
import { ConfigError } from './errors.js';
import type { OutputActivation } from './types.js';

/**
 * One loss.
 * @category Training
 */
export interface LossSpec {
  /** The head kernel's row for this loss (src/abi/codes.ts). */
  readonly code: number;
  /** What one row's sum is divided by: nothing (a summed loss), samples × output steps × outputs, or samples × output steps. */
  readonly mean: 'none' | 'outputs' | 'rows';
  /** The output activation the loss is fused with (computed from the logits), or undefined: any, the loss chained through it. */
  readonly output?: OutputActivation;
  /** True when the loss takes a step mask and sample weights (Sequences' `mask`/`lengths`, `sampleWeights`): every loss of the table does, in the head kernel. */
  readonly masking: boolean;
  /** True when the counter (LinearRNN, a single linear output) computes it. */
  readonly counter: boolean;
  /** True when the targets are class ids, one per row (data.outputSize 1), not O values: a text model never builds one-hot rows. */
  readonly sparse?: boolean;
  /**
   * The float64 twin of the kernel's row: the loss of one row of logits z[at..at+O] against targets
   * t[ti..ti+O], scaled by s, and, in place, z → dL/dz. Same formulas as assembly/head.ts.
   */
  row(z: Float64Array, at: number, t: ArrayLike<number>, ti: number, O: number, outAct: OutputActivation, s: number): number;
}

/** Turn logits into outputs in place: linear, sigmoid or softmax (shifted by the max). */
export function outputs(z: Float64Array, at: number, O: number, outAct: OutputActivation): void {
  if (outAct === 'sigmoid') for (let q = 0; q < O; q++) z[at + q] = 1 / (1 + Math.exp(-z[at + q]!));
  else if (outAct === 'softmax') {
    let mx = -Infinity, sum = 0;
    for (let q = 0; q < O; q++) mx = Math.max(mx, z[at + q]!);
    for (let q = 0; q < O; q++) sum += z[at + q] = Math.exp(z[at + q]! - mx);
    for (let q = 0; q < O; q++) z[at + q]! /= sum;
  }
}

/** s·Σ(y − t)², chained through the output activation (y = outAct(z)). */
function squaredRow(z: Float64Array, at: number, t: ArrayLike<number>, ti: number, O: number, outAct: OutputActivation, s: number): number {
  outputs(z, at, O, outAct);
  let L = 0, dot = 0;
  for (let q = 0; q < O; q++) {
    const e = z[at + q]! - t[ti + q]!;
    L += e * e;
    dot += 2 * s * e * z[at + q]!;
  }
  for (let q = 0; q < O; q++) {
    const y = z[at + q]!, dy = 2 * s * (y - t[ti + q]!);
    z[at + q] = outAct === 'sigmoid' ? dy * y * (1 - y) : outAct === 'softmax' ? y * (dy - dot) : dy;
  }
  return L * s;
}

/** Huber (δ = 1): s·Σ ½e² where |e| ≤ 1, else |e| − ½ (e = y − t, y = outAct(z)), chained through the output activation. */
function huberRow(z: Float64Array, at: number, t: ArrayLike<number>, ti: number, O: number, outAct: OutputActivation, s: number): number {
  outputs(z, at, O, outAct);
  let L = 0, dot = 0;
  const dy = (e: number) => s * (Math.abs(e) <= 1 ? e : Math.sign(e));
  for (let q = 0; q < O; q++) {
    const e = z[at + q]! - t[ti + q]!, a = Math.abs(e);
    L += a <= 1 ? 0.5 * e * e : a - 0.5;
    dot += dy(e) * z[at + q]!;
  }
  for (let q = 0; q < O; q++) {
    const y = z[at + q]!, d = dy(y - t[ti + q]!);
    z[at + q] = outAct === 'sigmoid' ? d * y * (1 - y) : outAct === 'softmax' ? y * (d - dot) : d;
  }
  return L * s;
}

/** Binary cross-entropy from the logits: s·Σ max(z,0) − z·t + log(1 + e^−|z|), dz = s·(σ(z) − t). */
function bceRow(z: Float64Array, at: number, t: ArrayLike<number>, ti: number, O: number, _outAct: OutputActivation, s: number): number {
  let L = 0;
  for (let q = 0; q < O; q++) {
    const v = z[at + q]!, tv = t[ti + q]!;
    L += Math.max(v, 0) - v * tv + Math.log1p(Math.exp(-Math.abs(v)));
    z[at + q] = s * (1 / (1 + Math.exp(-v)) - tv);
  }
  return L * s;
}

/** Softmax cross-entropy from the logits: s·Σ t·(lse − z), dz = s·(softmax(z)·Σt − t). */
function cceRow(z: Float64Array, at: number, t: ArrayLike<number>, ti: number, O: number, _outAct: OutputActivation, s: number): number {
  let mx = -Infinity, sum = 0, tsum = 0, L = 0;
  for (let q = 0; q < O; q++) mx = Math.max(mx, z[at + q]!);
  for (let q = 0; q < O; q++) sum += Math.exp(z[at + q]! - mx);
  const lse = mx + Math.log(sum);
  for (let q = 0; q < O; q++) {
    L += t[ti + q]! * (lse - z[at + q]!);
    tsum += t[ti + q]!;
  }
  for (let q = 0; q < O; q++) z[at + q] = s * (Math.exp(z[at + q]! - lse) * tsum - t[ti + q]!);
  return L * s;
}

/** Softmax cross-entropy against one class id c = t[ti]: s·(lse − z[c]), dz = s·(softmax(z) − onehot(c)); cceRow's values on a one-hot row. */
function sparseCceRow(z: Float64Array, at: number, t: ArrayLike<number>, ti: number, O: number, _outAct: OutputActivation, s: number): number {
  const c = t[ti]!;
  let mx = -Infinity, sum = 0;
  for (let q = 0; q < O; q++) mx = Math.max(mx, z[at + q]!);
  for (let q = 0; q < O; q++) sum += Math.exp(z[at + q]! - mx);
  const lse = mx + Math.log(sum);
  const L = lse - z[at + c]!;
  for (let q = 0; q < O; q++) z[at + q] = s * (Math.exp(z[at + q]! - lse) - (q === c ? 1 : 0));
  return L * s;
}

/**
 * Every loss by name: `sse` Σ(y − t)², `mse` its mean over samples × output steps × outputs, `bce`
 * binary cross-entropy (sigmoid output, fused), `cce` softmax cross-entropy (softmax output, fused),
 * both averaged as Keras averages them (bce over samples × output steps × outputs, cce over samples × output steps),
 * `huber` Keras's Huber loss (δ = 1) averaged over samples × output steps × outputs, robust to outliers,
 * `sparseCce` cce with one class id per target row (Keras's sparse_categorical_crossentropy).
 * @category Training
 */
export const LOSS_SPECS: Readonly<Record<ElmanLossName, LossSpec>> = {
  sse: { code: LOSS_SQUARED, mean: 'none', masking: true, counter: true, row: squaredRow },
  mse: { code: LOSS_SQUARED, mean: 'outputs', masking: true, counter: true, row: squaredRow },
  bce: { code: LOSS_BCE, mean: 'outputs', output: 'sigmoid', masking: true, counter: false, row: bceRow },
  cce: { code: LOSS_CCE, mean: 'rows', output: 'softmax', masking: true, counter: false, row: cceRow },
  huber: { code: LOSS_HUBER, mean: 'outputs', masking: true, counter: false, row: huberRow },
  sparseCce: { code: LOSS_SPARSE_CCE, mean: 'rows', output: 'softmax', masking: true, counter: false, sparse: true, row: sparseCceRow },
};

/** Values of target per row under a loss: 1 (a class id) for a sparse loss, else O. */
export function targetWidth(spec: LossSpec, O: number): number {
  return spec.sparse ? 1 : O;
}

/**
 * A loss of the recurrent models (ElmanRNN, RNN): a key of LOSS_SPECS.
 * @category Training
 */
export type ElmanLossName = 'sse' | 'mse' | 'bce' | 'cce' | 'huber' | 'sparseCce';

/**
 * The losses of the counter (LinearRNN), those LOSS_SPECS marks `counter`: `sse` sums (t − y)² over samples (the tutorial's), `mse` averages it.
 * @category Training
 */
export type LinearLossName = 'sse' | 'mse';

/**
 * A loss name of the counter (LinearRNN).
 * @category Training
 */
export type LossName = LinearLossName;

/**
 * Every loss of the recurrent models.
 * @category Training
 */
export const ELMAN_LOSSES = Object.keys(LOSS_SPECS) as readonly ElmanLossName[];

/**
 * The loss names the counter accepts.
 * @category Training
 */
export const LOSSES = ELMAN_LOSSES.filter((k) => LOSS_SPECS[k].counter) as readonly LinearLossName[];

/** A loss of the recurrent models by name, checked against the output activation it needs. */
export function lossSpec(loss: unknown, outAct: OutputActivation): LossSpec {
  if (!(ELMAN_LOSSES as readonly unknown[]).includes(loss)) throw new ConfigError('loss', loss, `one of ${ELMAN_LOSSES.join(', ')}`);
  const spec = LOSS_SPECS[loss as ElmanLossName];
  if (spec.output !== undefined && spec.output !== outAct) throw new ConfigError('loss', loss, `used with outputActivation '${spec.output}' (it is fused with it), not '${outAct}'`);
  return spec;
}

/** The factor a summed batch loss is scaled by: 1, or 1 over what its spec averages over (B samples × outSteps × O outputs). */
export function lossScale(spec: LossSpec, B: number, outSteps: number, O: number): number {
  return spec.mean === 'none' ? 1 : spec.mean === 'outputs' ? 1 / (B * outSteps * O) : 1 / (B * outSteps);
}

/**
 * How a counter loss turns per-sample squared errors into the loss and dL/dy:
 * loss = scale · Σ e², and dL/dy = c · e with c = 2·scale, rounded to f32 as the kernels use it.
 */
export function squaredLoss(loss: unknown, samples: number): { scale: number; c: number } {
  if (!(LOSSES as readonly unknown[]).includes(loss)) throw new ConfigError('loss', loss, `one of ${LOSSES.join(', ')}`);
  const scale = lossScale(LOSS_SPECS[loss as LinearLossName], samples, 1, 1);
  return { scale, c: Math.fround(2 * scale) };
}
