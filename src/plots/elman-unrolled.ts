import type { ElmanUnrolled } from '../analysis/elman-unrolled.js';
import { ConfigError } from '../errors.js';
import { formatNumber } from './format.js';
import type { VegaLiteSpec } from './render.js';

/**
 * Options of `elmanUnrolledSpec`: title, names of the input rows, pixels per step.
 * @category Plots
 */
export interface ElmanUnrolledOptions {
  /** The figure's title (a default gives the loss). */
  title?: string;
  /** Row names of the inputs, one per input (default x1, x2, …). */
  inputNames?: readonly string[];
  /** Pixels per step (default 44). */
  cellWidth?: number;
}

type Cell = { step: number; row: string; value: number; label: string };

/**
 * An Elman network unrolled over one sequence as three heat maps sharing the step axis: the inputs
 * with the target and output, the hidden states h_k (−1 blue … +1 red for tanh), and dL/dh_k (blue
 * negative, red positive, on a symmetric-log scale so small and large gradients both show).
 * @category Plots
 */
export function elmanUnrolledSpec(u: ElmanUnrolled, options: ElmanUnrolledOptions = {}): VegaLiteSpec {
  if (!u || !Array.isArray(u.states) || !Array.isArray(u.grads) || u.states.length !== u.x.length) throw new ConfigError('unrolled', u, 'the result of unrollElman()');
  const T = u.x.length;
  const names = options.inputNames ?? u.x[0]!.map((_, i) => `x${i + 1}`);
  const w = options.cellWidth ?? 44;
  const f = (v: number) => formatNumber(v, 2);
  const io: Cell[] = [];
  const hidden: Cell[] = [];
  const grads: Cell[] = [];
  for (let k = 0; k < T; k++) {
    u.x[k]!.forEach((v, i) => io.push({ step: k + 1, row: `input ${names[i] ?? i}`, value: v, label: f(v) }));
    u.targets[k]!.forEach((v, q) => io.push({ step: k + 1, row: `target${u.targets[k]!.length > 1 ? ` ${q + 1}` : ''}`, value: v, label: f(v) }));
    u.outputs[k]!.forEach((v, q) => io.push({ step: k + 1, row: `output${u.outputs[k]!.length > 1 ? ` ${q + 1}` : ''}`, value: v, label: f(v) }));
    u.states[k]!.forEach((v, j) => hidden.push({ step: k + 1, row: `h${j + 1}`, value: v, label: f(v) }));
    u.grads[k]!.forEach((v, j) => grads.push({ step: k + 1, row: `dL/dh${j + 1}`, value: v, label: f(v) }));
  }
  const largest = Math.max(1e-12, ...grads.map((c) => Math.abs(c.value)));
  const smallest = Math.max(largest * 1e-4, Math.min(...grads.map((c) => Math.abs(c.value)).filter((v) => v > 0)));
  const panel = (name: string, title: string, values: Cell[], scale: Record<string, unknown>, legend: string) => ({
    name,
    title: { text: title, anchor: 'start', fontSize: 12 },
    width: w * T,
    height: { step: 22 },
    data: { values },
    encoding: {
      x: { field: 'step', type: 'ordinal', title: 'step k', axis: { labelAngle: 0 } },
      y: { field: 'row', type: 'nominal', title: null, sort: null },
    },
    layer: [
      { mark: { type: 'rect', stroke: 'white', strokeWidth: 1 }, encoding: { color: { field: 'value', type: 'quantitative', title: legend, scale } } },
      { mark: { type: 'text', fontSize: 9 }, encoding: { text: { field: 'label' }, color: { condition: { test: `abs(datum.value) > ${name === 'gradients' ? largest * 0.5 : 0.6}`, value: 'white' }, value: 'black' } } },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title ?? `The Elman network unrolled: hidden states forward, dL/dh_k backward (loss ${formatNumber(u.loss)})`, anchor: 'start' },
    vconcat: [
      panel('io', 'inputs, target and output per step', io, { domain: [0, 1], scheme: 'greys' }, 'value'),
      panel('hidden', 'hidden states h_k', hidden, { domain: [-1, 1], scheme: 'redblue', reverse: true }, 'h'),
      panel('gradients', 'dL/dh_k: what each state owes the loss, through its output and every later step', grads, { type: 'symlog', constant: smallest, domain: [-largest, largest], scheme: 'redblue', reverse: true }, 'dL/dh'),
    ],
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    config: { view: { stroke: null }, concat: { spacing: 14 } },
  };
}
