import type { Unrolled } from '../analysis/unrolled.js';
import { ConfigError } from '../errors.js';
import { formatNumber } from './format.js';
import type { VegaLiteSpec } from './render.js';

/**
 * Options of `unrolledSpec`: which frame of the animation (default: the last, everything shown), size.
 * @category Plots
 */
export interface UnrolledOptions {
  /** 0..T: the forward pass has computed s_0..s_step; T+1: the output and loss; T+2+j: dL/ds_k for k = T..T-j. */
  step?: number;
  /** The figure's title (a default names the sequence). */
  title?: string;
  /** Pixels per time step (default 64). */
  stepWidth?: number;
}

/** How many frames the unrolled view has for a sequence of T steps: T+1 forward, one for the loss, T+1 backward. */
export const unrolledFrames = (u: Pick<Unrolled, 'x'>): number => 2 * u.x.length + 3;

/** What frame `step` shows, in words: "forward: s_3 = x_3·w_x + s_2·w_rec = 2.5". */
export function unrolledCaption(u: Unrolled, step: number): string {
  const T = u.x.length;
  const f = formatNumber;
  if (step === 0) return 'forward: s_0 = 0';
  if (step <= T) return `forward: s_${step} = x_${step}·w_x + s_${step - 1}·w_rec = ${f(u.x[step - 1]!)}·${f(u.weights.wx)} + ${f(u.states[step - 1]!)}·${f(u.weights.wRec)} = ${f(u.states[step]!)}`;
  if (step === T + 1) return `output: y = s_${T} = ${f(u.y)}, target t = ${f(u.target)}, loss L = (y - t)² = ${f(u.loss)}`;
  const k = 2 * T + 2 - step;
  if (k === T) return `backward: dL/ds_${T} = 2(y - t) = ${f(u.grads[T]!)}`;
  return `backward: dL/ds_${k} = dL/ds_${k + 1}·w_rec = ${f(u.grads[k + 1]!)}·${f(u.weights.wRec)} = ${f(u.grads[k]!)}`;
}

// Node fills: inputs by bit, states light blue, gradients red (> 0) or blue (< 0), deeper as log|g| grows.
const PENDING = '#ffffff';
const mix = (a: number[], b: number[], t: number) => `rgb(${a.map((v, i) => Math.round(v + (b[i]! - v) * t)).join(',')})`;
const WHITE = [255, 255, 255];
const RED = [178, 24, 43];
const BLUE = [33, 102, 172];
// White text on deep fills: luminance of an rgb(r,g,b) string below one half.
const dark = (fill: string) => {
  const [r, g, b] = (fill.match(/\d+/g) ?? []).map(Number);
  return 0.299 * r! + 0.587 * g! + 0.114 * b! < 128;
};

/** A gradient's fill: white at 0, full red/blue at the largest |g| on screen, on a log(1 + |g|) ramp. */
export function gradientFill(g: number, largest: number): string {
  if (g === 0 || largest === 0) return mix(WHITE, RED, 0);
  return mix(WHITE, g > 0 ? RED : BLUE, 0.12 + 0.88 * Math.min(1, Math.log1p(Math.abs(g)) / Math.log1p(largest)));
}

/**
 * The tutorial's "expanded" network for one sequence: inputs x_k (bottom), states s_k with w_x and
 * w_rec on the edges (middle), the output and loss, and the backward pass dL/ds_k (top, right to left,
 * filled deeper as |dL/ds_k| grows, so exploding and vanishing gradients show). Frame `step` of the animation.
 * @category Plots
 */
export function unrolledSpec(u: Unrolled, options: UnrolledOptions = {}): VegaLiteSpec {
  if (!u || !Array.isArray(u.states) || !Array.isArray(u.grads) || u.states.length !== u.x.length + 1) throw new ConfigError('unrolled', u, 'the result of unrollCounter()');
  const T = u.x.length;
  const last = unrolledFrames(u) - 1;
  const step = options.step ?? last;
  if (!Number.isInteger(step) || step < 0 || step > last) throw new ConfigError('step', step, `an integer in [0, ${last}]`);
  const width = options.stepWidth ?? 64;
  if (!(width >= 20 && width <= 400)) throw new ConfigError('stepWidth', width, 'a number in [20, 400]');
  const forward = Math.min(step, T); // states s_0..s_forward computed
  const output = step >= T + 1;
  const backTo = step >= T + 2 ? 2 * T + 2 - step : T + 1; // gradients dL/ds_k computed for k >= backTo
  const largest = Math.max(...u.grads.map(Math.abs).filter(Number.isFinite), 0);

  type Node = { x: number; y: number; kind: string; shown: boolean; label: string; fill: string; shape: string; ink?: string };
  const nodes: Node[] = [];
  const edges: { x: number; y: number; x2: number; y2: number; kind: string; on: boolean; label: string }[] = [];
  for (let k = 1; k <= T; k++) {
    const bit = u.x[k - 1]!;
    nodes.push({ x: k, y: 0, kind: 'input', shown: true, label: formatNumber(bit), fill: bit === 0 ? '#f2f2f2' : '#bdbdbd', shape: 'square' });
    edges.push({ x: k, y: 0.2, x2: k, y2: 0.8, kind: 'forward', on: k <= forward, label: 'w_x' });
  }
  for (let k = 0; k <= T; k++) {
    const shown = k <= forward;
    nodes.push({ x: k, y: 1, kind: 'state', shown, label: shown ? formatNumber(u.states[k]!) : '', fill: shown ? '#c6dbef' : PENDING, shape: 'circle' });
    if (k > 0) edges.push({ x: k - 1 + 0.25, y: 1, x2: k - 0.25, y2: 1, kind: 'forward', on: k <= forward, label: 'w_rec' });
    const g = k >= backTo;
    const fill = g ? gradientFill(u.grads[k]!, largest) : PENDING;
    nodes.push({ x: k, y: 2, kind: 'gradient', shown: g, label: g ? formatNumber(u.grads[k]!) : '', fill, shape: 'circle', ink: dark(fill) ? 'white' : 'black' });
    if (k < T) edges.push({ x: k + 1 - 0.25, y: 2, x2: k + 0.25, y2: 2, kind: 'backward', on: k >= backTo, label: 'w_rec' });
  }
  nodes.push({ x: T + 1, y: 1, kind: 'output', shown: output, label: output ? `y=${formatNumber(u.y)}` : 'y', fill: output ? '#c6dbef' : PENDING, shape: 'square' });
  nodes.push({ x: T + 1, y: 2, kind: 'loss', shown: output, label: output ? `L=${formatNumber(u.loss)}` : 'L', fill: output ? '#fdd0a2' : PENDING, shape: 'square' });
  edges.push({ x: T + 0.25, y: 1, x2: T + 0.75, y2: 1, kind: 'forward', on: output, label: '1' });
  edges.push({ x: T + 1, y: 1.2, x2: T + 1, y2: 1.8, kind: 'forward', on: output, label: `t=${formatNumber(u.target)}` });
  edges.push({ x: T + 0.75, y: 2, x2: T + 0.25, y2: 2, kind: 'backward', on: backTo <= T, label: '2(y-t)' });

  // The node being computed in this frame gets a ring.
  const current = step <= T ? { x: step, y: 1 } : step === T + 1 ? { x: T + 1, y: 2 } : { x: backTo, y: 2 };
  const rows = [
    { x: -0.45, y: 0, label: 'input x_k', align: 'right' }, { x: -0.45, y: 1, label: 'state s_k', align: 'right' }, { x: -0.45, y: 2, label: 'dL/ds_k', align: 'right' },
    ...Array.from({ length: T + 1 }, (_, k) => ({ x: k, y: -0.45, label: `k=${k}`, align: 'center' })),
  ];
  const x = { field: 'x', type: 'quantitative', axis: null, scale: { domain: [-1.6, T + 1.6], nice: false, zero: false } };
  const y = { field: 'y', type: 'quantitative', axis: null, scale: { domain: [-0.65, 2.45], nice: false, zero: false } };
  const rawColor = (field: string) => ({ field, type: 'nominal', scale: null, legend: null });
  const f = formatNumber;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? `The counter unrolled over ${u.x.join('')}: states forward, dL/ds_k backward`,
      subtitle: [`w_x = ${f(u.weights.wx)}, w_rec = ${f(u.weights.wRec)}  ·  ${unrolledCaption(u, step)}`],
      anchor: 'start',
    },
    width: width * (T + 3.2),
    height: 260,
    layer: [
      {
        name: 'edges',
        data: { values: edges },
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: {
          x, y, x2: { field: 'x2' }, y2: { field: 'y2' },
          color: { condition: { test: 'datum.on', value: 'black' }, value: '#d0d0d0' },
          strokeDash: { condition: { test: "datum.kind == 'backward'", value: [4, 2] }, value: [1, 0] },
        },
      },
      // Weight names beside the vertical edges and above the horizontal ones.
      ...[true, false].map((vertical) => ({
        name: vertical ? 'edge_labels_up' : 'edge_labels_across',
        data: { values: edges.filter((e) => (e.x === e.x2) === vertical).map((e) => ({ ...e, x: (e.x + e.x2) / 2, y: (e.y + e.y2) / 2 })) },
        mark: { type: 'text', fontSize: 9, color: '#666', ...(vertical ? { dx: 4, align: 'left' } : { dy: -7 }) },
        encoding: { x, y, text: { field: 'label' } },
      })),
      {
        name: 'nodes',
        data: { values: nodes },
        mark: { type: 'point', filled: true, size: 1300, stroke: '#555', strokeWidth: 1, opacity: 1 },
        encoding: { x, y, shape: { field: 'shape', type: 'nominal', scale: null, legend: null }, fill: rawColor('fill') },
      },
      {
        name: 'values',
        data: { values: nodes },
        mark: { type: 'text', fontSize: 10, baseline: 'middle' },
        encoding: { x, y, text: { field: 'label' }, color: { condition: { test: "datum.ink == 'white'", value: 'white' }, value: 'black' } },
      },
      {
        name: 'current',
        data: { values: [current] },
        mark: { type: 'point', filled: false, size: 2300, stroke: '#ff7f00', strokeWidth: 3 },
        encoding: { x, y },
      },
      ...(['right', 'center'] as const).map((align) => ({
        name: align === 'right' ? 'row_labels' : 'step_labels',
        data: { values: rows.filter((r) => r.align === align) },
        mark: { type: 'text', fontSize: 11, color: '#444', align },
        encoding: { x, y, text: { field: 'label' } },
      })),
    ],
    config: { view: { stroke: null } },
  };
}
