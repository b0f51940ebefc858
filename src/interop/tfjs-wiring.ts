// Keras / TF.js's wiring layers in interop's terms: RepeatVector (between an encoder that returns its
// last output and a decoder), Bidirectional (merge_mode 'concat' or 'sum'; weights forward copy then
// backward copy, named "<bidirectional>/forward_<layer>/…" and "…/backward_<layer>/…") and
// TimeDistributed(Dense), the per-step head elman's dense head already is, optionally followed by an
// Activation layer as TF.js's addition-rnn example writes its softmax.

import { ConfigError } from '../errors.js';
import { MERGE_MODES, type LayerSpec, type MergeMode } from '../stack-spec.js';
import { OUTPUT_ACTIVATIONS } from '../types.js';
import { isObject, layerWeight, type KerasLayer } from './tfjs-format.js';

/** One recurrent layer of a topology with its wiring: the layer whose config holds the cell, and the one that names its weights. */
export interface WiredKeras {
  /** The recurrent layer (a Bidirectional's inner one). */
  readonly layer: KerasLayer;
  /** The Bidirectional around it, or the layer itself. */
  readonly outer: KerasLayer;
  readonly repeat?: number;
  readonly merge?: MergeMode;
}

/** A topology split into its recurrent layers with their wiring and its head (Dense, or TimeDistributed's Dense, then an optional Activation). */
export interface KerasChain {
  readonly rnns: WiredKeras[];
  /** The Dense layer (TimeDistributed's inner one) and the layer that names its weights. */
  readonly dense: KerasLayer | undefined;
  readonly denseOuter: KerasLayer | undefined;
  /** An Activation layer after a linear Dense, if any. */
  readonly activation: KerasLayer | undefined;
  /** The layer after the head, which elman cannot take. */
  readonly extra: KerasLayer | undefined;
}

const inner = (l: KerasLayer): KerasLayer | undefined => {
  const c = l.config.layer;
  if (!isObject(c) || typeof c.class_name !== 'string' || !isObject(c.config)) return undefined;
  return { class_name: c.class_name, config: c.config, name: typeof c.config.name === 'string' ? c.config.name : `${l.name}_inner` };
};

/** Split the layers after an InputLayer; `recurrent` says whether a class is a cell elman has. */
export function kerasChain(layers: readonly KerasLayer[], recurrent: (cls: string) => boolean): KerasChain {
  const rnns: WiredKeras[] = [];
  let at = 0, repeat: number | undefined;
  for (; at < layers.length; at++) {
    const l = layers[at]!;
    if (l.class_name === 'RepeatVector') {
      const n = l.config.n;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ConfigError(`layer ${l.name} (RepeatVector).n`, n, 'an integer >= 1');
      if (rnns.length === 0 || repeat !== undefined) throw new ConfigError(`layer ${l.name}`, 'RepeatVector', 'after a recurrent layer: elman repeats the last output of a recurrent layer');
      repeat = n;
      continue;
    }
    let layer = l, merge: MergeMode | undefined;
    if (l.class_name === 'Bidirectional') {
      const wrapped = inner(l);
      if (!wrapped || !recurrent(wrapped.class_name)) throw new ConfigError(`layer ${l.name} (Bidirectional).layer`, wrapped?.class_name ?? l.config.layer, 'a recurrent layer elman has');
      const mode = l.config.merge_mode ?? 'concat';
      if (!(MERGE_MODES as readonly unknown[]).includes(mode)) throw new ConfigError(`layer ${l.name} (Bidirectional).merge_mode`, mode, `one of ${MERGE_MODES.join(', ')}: elman does not merge otherwise`);
      [layer, merge] = [wrapped, mode as MergeMode];
    } else if (!recurrent(l.class_name)) break;
    rnns.push({ layer, outer: l, ...(repeat !== undefined && { repeat }), ...(merge && { merge }) });
    repeat = undefined;
  }
  if (repeat !== undefined) throw new ConfigError(`layer ${layers[at - 1]!.name}`, 'RepeatVector', 'a recurrent layer after it');
  let dense = layers[at], denseOuter = dense;
  if (dense?.class_name === 'TimeDistributed') {
    const d = inner(dense);
    if (d?.class_name !== 'Dense') throw new ConfigError(`layer ${dense.name} (TimeDistributed).layer`, d?.class_name ?? dense.config.layer, 'a Dense layer: elman distributes its dense head only');
    dense = d;
  }
  const next = layers[at + 1];
  // Only an output activation can be the head's: any other Activation is a layer elman cannot take.
  const activation = next?.class_name === 'Activation' && (OUTPUT_ACTIVATIONS as readonly unknown[]).includes(next.config.activation) ? next : undefined;
  return { rnns, dense: dense?.class_name === 'Dense' ? dense : undefined, denseOuter: dense?.class_name === 'Dense' ? denseOuter : layers[at], activation, extra: layers[at + (activation ? 2 : 1)] };
}

/** return_sequences each recurrent layer must have: false below a RepeatVector, true below another layer; the top's is the model's. */
export function checkReturnSequences(rnns: readonly WiredKeras[]): void {
  rnns.forEach((r, k) => {
    const above = rnns[k + 1];
    if (!above) return;
    const want = above.repeat === undefined;
    if ((r.layer.config.return_sequences === true) !== want) {
      throw new ConfigError(`layer ${r.layer.name} (${r.layer.class_name}).return_sequences`, r.layer.config.return_sequences, `${want}: ${want ? `the recurrent layer above it reads every step` : `the RepeatVector above it reads the last output`}`);
    }
  });
}

/** A recurrent layer's weight: its own, or its Bidirectional's forward or backward copy's ("bi/forward_lstm/kernel", Keras 3 "bi/forward_lstm/lstm_cell/kernel"). */
export function wiredWeight(all: Map<string, { shape: number[]; values: Float32Array }>, r: WiredKeras, copy: 'forward' | 'backward', weight: string): { shape: number[]; values: Float32Array } {
  if (!r.merge) return layerWeight(all, r.layer.name, weight);
  const exact = all.get(`${r.outer.name}/${copy}_${r.layer.name}/${weight}`);
  if (exact) return exact;
  for (const [name, w] of all) {
    const parts = name.replace(/:\d+$/, '').split('/');
    if (parts.includes(r.outer.name) && parts.some((p) => p.startsWith(`${copy}_`)) && parts.at(-1) === weight) return w;
  }
  return layerWeight(all, `${r.outer.name}/${copy}_${r.layer.name}`, weight);
}

/** The Keras layers that wrap a recurrent layer's config for export: a RepeatVector before it, a Bidirectional around it. */
export function wiredExport(l: LayerSpec, k: number, layer: { class_name: string; config: Record<string, unknown> }): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  if (l.repeat !== undefined) out.push({ class_name: 'RepeatVector', config: { name: `repeat_vector_${k + 1}`, trainable: true, n: l.repeat } });
  if (!l.merge) return [...out, layer];
  // The input shape goes on the wrapper, which TF.js builds first.
  const { batch_input_shape: shape, ...config } = layer.config;
  out.push({ class_name: 'Bidirectional', config: { name: `bidirectional_${k + 1}`, trainable: true, ...(shape !== undefined && { batch_input_shape: shape }), merge_mode: l.merge, layer: { class_name: layer.class_name, config } } });
  return out;
}

/** The weight names a layer exports under: its own, or its Bidirectional's forward and backward copies'. */
export function exportedNames(l: LayerSpec, k: number, name: string): { forward: string; backward?: string } {
  if (!l.merge) return { forward: name };
  return { forward: `bidirectional_${k + 1}/forward_${name}`, backward: `bidirectional_${k + 1}/backward_${name}` };
}
