// A model's loss and metrics on a data set, weights untouched: the loss through the same binding
// `train` drives (so it equals `lossAndGrad`'s bit for bit), the metrics from `predict`'s outputs
// against the targets, summed in float64.

import { checkKeys, oneOf } from '../checks.js';
import { sequencesOf, type DataInput } from '../data/arrays.js';
import { checkSequences, type Sequences } from '../data/sequences.js';
import { ConfigError } from '../errors.js';
import { LinearRNN } from '../models/linear.js';
import { isPlaced, type PlacedData, type Trainable } from '../models/model.js';
import { Recurrent } from '../models/recurrent.js';
import type { OutputActivation } from '../types.js';

/**
 * One metric: a mean over the values (or rows) of outputs y against targets t, both time-major.
 * @category Training
 */
export interface MetricSpec {
  /** One line for docs. */
  readonly doc: string;
  /** The metric of outputs y against targets t (same layout, rows of O values), for a head `outAct`. */
  value(y: Float32Array, t: Float32Array, O: number, outAct: OutputActivation): number;
}

/**
 * The metrics `evaluate` computes, by name (Keras's names and meanings).
 * @category Training
 */
export const METRICS: Readonly<Record<MetricName, MetricSpec>> = {
  mse: { doc: 'mean of (y − t)² over every output value', value: (y, t) => meanOf(y.length, (i) => (y[i]! - t[i]!) ** 2) },
  mae: { doc: 'mean of |y − t| over every output value', value: (y, t) => meanOf(y.length, (i) => Math.abs(y[i]! - t[i]!)) },
  accuracy: { doc: 'share right: argmax per row (softmax head), or per value at 0.5 (sigmoid head)', value: accuracyOf },
};

/**
 * A metric name, a key of METRICS: mean squared error, mean absolute error, or the share of right answers.
 * @category Training
 */
export type MetricName = 'mse' | 'mae' | 'accuracy';

/**
 * Options of `evaluate`.
 * @category Training
 */
export interface EvaluateOptions<L extends string = string> {
  /** The loss to report (default: the model's `defaultLoss`). */
  loss?: L;
  /** Metrics to report besides the loss (default none). */
  metrics?: readonly MetricName[];
}

/**
 * What `evaluate` returns: the loss, and each metric asked for.
 * @category Training
 */
export interface Evaluation {
  /** The loss, as `lossAndGrad` computes it. */
  loss: number;
  /** Mean squared error, when asked for. */
  mse?: number;
  /** Mean absolute error, when asked for. */
  mae?: number;
  /** Share of right answers, when asked for. */
  accuracy?: number;
}

function meanOf(n: number, f: (i: number) => number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += f(i);
  return sum / n;
}

function accuracyOf(y: Float32Array, t: Float32Array, O: number, outAct: OutputActivation): number {
  if (outAct === 'sigmoid') return meanOf(y.length, (i) => (y[i]! > 0.5 === t[i]! > 0.5 ? 1 : 0));
  if (outAct !== 'softmax') throw new ConfigError('metrics', 'accuracy', 'a model with a sigmoid or softmax head (a linear head has no classes)');
  const argmax = (a: Float32Array, at: number) => {
    let best = 0;
    for (let o = 1; o < O; o++) if (a[at + o]! > a[at + best]!) best = o;
    return best;
  };
  return meanOf(y.length / O, (r) => (argmax(y, r * O) === argmax(t, r * O) ? 1 : 0));
}

/** The model's outputs for `data`, time-major like its targets, and its head's activation. */
function outputsOf(model: object, data: Sequences): { y: Float32Array; outAct: OutputActivation } {
  if (model instanceof Recurrent) return { y: model.predict(data), outAct: model.outputActivation };
  if (model instanceof LinearRNN) {
    // The counter's output is its last state: the last column of each sample's row of states.
    const m = model.forwardStates(data);
    return { y: Float32Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + m.cols - 1]!), outAct: 'linear' };
  }
  throw new ConfigError('metrics', 'for this model', 'empty: metrics need a model elman can run forward (RNN, ElmanRNN, LinearRNN)');
}

/**
 * The loss (and metrics) of a model on a data set, weights and gradients untouched. `data` is
 * nested or typed arrays `{ x, y }`, time-major Sequences, or placed data (the loss only).
 * The loss is the one `train` reports and `lossAndGrad` returns, bit for bit.
 * @example
 * ```ts
 * import { init, RNN, evaluate } from 'elman-rnn';
 *
 * await init();
 * const model = new RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 4 }], outputSize: 1, seed: 1 });
 * const data = { x: [[[0.1], [0.2]], [[0.3], [0.4]]], y: [[0.3], [0.7]] };
 * console.log(evaluate(model, data, { loss: 'mse', metrics: ['mae'] }));   // { loss, mae }
 * ```
 * @category Training
 */
export function evaluate<W, L extends string>(model: Trainable<W, L>, data: DataInput | PlacedData, options: EvaluateOptions<L> = {}): Evaluation {
  checkKeys('evaluate options', options, ['loss', 'metrics']);
  const loss = options.loss ?? model.defaultLoss;
  if (!model.losses.includes(loss)) throw new ConfigError('loss', loss, `one of ${model.losses.join(', ')}`);
  const metrics = options.metrics ?? [];
  if (!Array.isArray(metrics)) throw new ConfigError('metrics', metrics, `an array of ${Object.keys(METRICS).join(', ')}`);
  metrics.forEach((m, i) => oneOf(`metrics[${i}]`, m, Object.keys(METRICS) as MetricName[]));
  if (metrics.length > 0 && isPlaced(data)) throw new ConfigError('metrics', metrics, 'empty with placed data (its targets stay in the backend): pass the data itself');
  const seqs = sequencesOf(data) as Sequences | PlacedData;
  if (!isPlaced(seqs)) checkSequences(seqs, 'data');
  const grads = model.grads.slice(); // the loss's pass writes the gradients: they are put back
  let value: number;
  const binding = model.bind(seqs, { loss });
  try {
    value = binding.lossAndGrad(0);
  } finally {
    binding.dispose();
    model.grads.set(grads);
  }
  const out: Evaluation = { loss: value };
  if (metrics.length > 0) {
    const s = seqs as Sequences;
    const { y, outAct } = outputsOf(model, s);
    for (const m of metrics as readonly MetricName[]) out[m] = METRICS[m].value(y, s.targets, s.outputSize, outAct);
  }
  return out;
}
