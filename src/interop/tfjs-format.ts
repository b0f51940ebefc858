import { ConfigError, ShapeError } from '../errors.js';

/** One weight as TF.js lists it: `name` like "simple_rnn_1/kernel", row-major `shape`, and its dtype. */
export interface TfjsWeightSpec {
  /** The weight's name, layer name then variable, like "simple_rnn_1/kernel". */
  name: string;
  /** Its shape, row-major. */
  shape: number[];
  /** Its data type as TF.js names it ("float32"). */
  dtype: string;
  /** TF.js's quantization settings, when the weight was stored quantized. */
  quantization?: unknown;
}

/**
 * A TF.js Layers model in memory, as `model.save(tf.io.withSaveHandler(...))` hands it over and
 * `tf.io.fromMemory` takes it: the Keras topology, the weights' specs and their bytes (little-endian).
 */
export interface TfjsArtifacts {
  /** The Keras model topology (class_name, config, layers). */
  modelTopology: Record<string, unknown>;
  /** The weights in the order their bytes sit in `weightData`. */
  weightSpecs: TfjsWeightSpec[];
  /** The weights' bytes, little-endian, in one buffer or several. */
  weightData: ArrayBuffer | ArrayBuffer[];
  /** TF.js's format tag ("layers-model"). */
  format?: string;
  /** The library and version that wrote the model. */
  generatedBy?: string;
  /** The converter that produced the model, or null. */
  convertedBy?: string | null;
  /** Free JSON saved with the model (elman stores a forecaster's scaler and window here). */
  userDefinedMetadata?: Record<string, unknown>;
}

/** The `model.json` file TF.js writes beside its weight files (paths relative to model.json). */
export interface TfjsModelJson {
  /** The Keras model topology (class_name, config, layers). */
  modelTopology: Record<string, unknown>;
  /** Groups of weight files (`paths`, relative to model.json) and the weights their bytes hold, in order. */
  weightsManifest: Array<{ paths: string[]; weights: TfjsWeightSpec[] }>;
  /** TF.js's format tag ("layers-model"). */
  format?: string;
  /** The library and version that wrote the model. */
  generatedBy?: string;
  /** The converter that produced the model, or null. */
  convertedBy?: string | null;
  /** Free JSON saved with the model (elman stores a forecaster's scaler and window here). */
  userDefinedMetadata?: Record<string, unknown>;
}

/** One layer of a topology, as Keras serialises it. */
export interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
  name: string;
}

// Weights larger than this (1 GiB of float32) are refused before anything is allocated.
const MAX_FLOATS = 2 ** 28;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The layers of a Sequential model, or of a functional Model whose layers form one chain (each fed by the
 * one before), in order. Python Keras wraps the topology in `model_config`; TF.js does not.
 */
export function kerasLayers(modelTopology: unknown): KerasLayer[] {
  if (!isObject(modelTopology)) throw new ConfigError('modelTopology', modelTopology, 'an object (the "modelTopology" of model.json)');
  const top = isObject(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  const kind = top.class_name;
  const config = top.config;
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (kind !== 'Sequential' && kind !== 'Model' && kind !== 'Functional') throw new ConfigError('modelTopology.class_name', kind, '"Sequential", "Model" or "Functional"');
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError('modelTopology.config.layers', list, 'a non-empty array of layers');
  const layers = list.map((l: unknown, i): KerasLayer => {
    if (!isObject(l) || typeof l.class_name !== 'string' || !isObject(l.config)) throw new ConfigError(`modelTopology.config.layers[${i}]`, l, 'a layer { class_name, config }');
    const name = typeof l.config.name === 'string' ? l.config.name : typeof l.name === 'string' ? l.name : `layer${i}`;
    return { class_name: l.class_name, config: l.config, name };
  });
  if (kind !== 'Sequential') {
    // A functional model is accepted only as a chain: layer i takes exactly layer i-1's output.
    list.forEach((l: Record<string, unknown>, i) => {
      const from = inboundNames(l.inbound_nodes);
      const expected = i === 0 ? [] : [layers[i - 1]!.name];
      if (JSON.stringify(from) !== JSON.stringify(expected)) {
        throw new ConfigError(`layer ${layers[i]!.name}`, from.join(', ') || 'no input', `fed by ${expected[0] ?? 'nothing'} only: elman imports a chain of layers, not a graph`);
      }
    });
  }
  return layers;
}

/**
 * The names of the layers feeding one layer: Keras 2 / TF.js `inbound_nodes` hold edges
 * `[[["name", 0, 0, {}]]]`, Keras 3 holds `{ args: [{ config: { keras_history: ["name", 0, 0] } }] }`.
 */
function inboundNames(nodes: unknown): string[] {
  const names: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) {
      if (typeof v[0] === 'string' && typeof v[1] === 'number') names.push(v[0]);
      else for (const item of v) walk(item, depth + 1);
    } else if (isObject(v)) {
      const history = isObject(v.config) ? v.config.keras_history : undefined;
      if (Array.isArray(history) && typeof history[0] === 'string') names.push(history[0]);
      else for (const item of Object.values(v)) walk(item, depth + 1);
    }
  };
  walk(nodes, 0);
  return names;
}

/** All weight bytes as one buffer (TF.js 4 may hand them over in several). */
export function weightBytes(weightData: unknown): ArrayBuffer {
  if (weightData instanceof ArrayBuffer) return weightData;
  if (Array.isArray(weightData) && weightData.every((b) => b instanceof ArrayBuffer)) {
    const total = weightData.reduce((n: number, b: ArrayBuffer) => n + b.byteLength, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const b of weightData as ArrayBuffer[]) {
      out.set(new Uint8Array(b), at);
      at += b.byteLength;
    }
    return out.buffer;
  }
  if (ArrayBuffer.isView(weightData)) return weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer;
  throw new ConfigError('weightData', weightData, 'an ArrayBuffer (or an array of them) holding the weights');
}

/**
 * Every weight by name as a row-major float32 array, with its shape; each spec's size checked against
 * the bytes (in doubles, before allocating). Only unquantised float32 weights are read.
 */
export function readWeights(specs: unknown, weightData: unknown): Map<string, { shape: number[]; values: Float32Array }> {
  if (!Array.isArray(specs)) throw new ConfigError('weightSpecs', specs, 'an array of { name, shape, dtype }');
  const bytes = weightBytes(weightData);
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let at = 0;
  specs.forEach((s: unknown, i) => {
    if (!isObject(s) || typeof s.name !== 'string' || !Array.isArray(s.shape)) throw new ConfigError(`weightSpecs[${i}]`, s, 'a weight spec { name, shape, dtype }');
    if (s.dtype !== 'float32' || s.quantization !== undefined) {
      throw new ConfigError(`weightSpecs[${i}] (${s.name}).dtype`, s.quantization === undefined ? s.dtype : 'quantized', '"float32" without quantization: elman reads float32 weights only');
    }
    let count = 1;
    s.shape.forEach((d: unknown, j) => {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) throw new ConfigError(`weightSpecs[${i}] (${s.name}).shape[${j}]`, d, 'an integer >= 0');
      count *= d;
    });
    if (count > MAX_FLOATS) throw new ConfigError(`weightSpecs[${i}] (${s.name}).shape`, s.shape.join('×'), 'at most 2^28 values');
    if (at + 4 * count > bytes.byteLength) throw new ShapeError('weightData', bytes, `hold ${s.name} at bytes ${at}..${at + 4 * count}`, `${bytes.byteLength} bytes`);
    // Copied out through a DataView: the offset need not be 4-aligned, and TF.js stores little-endian.
    const view = new DataView(bytes, at, 4 * count);
    const values = new Float32Array(count);
    for (let k = 0; k < count; k++) values[k] = view.getFloat32(4 * k, true);
    out.set(s.name, { shape: s.shape.slice() as number[], values });
    at += 4 * count;
  });
  return out;
}

/**
 * The weight of layer `layer` called `weight`: TF.js "layer/kernel", Keras 2 "layer/cell/kernel:0", or
 * Keras 3 "model/layer/cell/kernel" (a Sequential's variables carry the model's name first).
 */
export function layerWeight(all: Map<string, { shape: number[]; values: Float32Array }>, layer: string, weight: string): { shape: number[]; values: Float32Array } {
  const exact = all.get(`${layer}/${weight}`);
  if (exact) return exact;
  // The layer's own name first, then one level down (under the model's name): "model/layer/..." never shadows "layer/...".
  for (const depth of [0, 1]) {
    for (const [name, w] of all) {
      const parts = name.replace(/:\d+$/, '').split('/');
      if (parts.length > depth + 1 && parts[depth] === layer && parts.at(-1) === weight) return w;
    }
  }
  throw new ShapeError('weightSpecs', `${layer}/${weight}`, `name the weight ${layer}/${weight}`, `only ${[...all.keys()].join(', ') || 'none'}`);
}

/** The float32 weights in spec order as little-endian bytes (what TF.js's weightData holds). */
export function packWeights(weights: Array<{ values: ArrayLike<number> }>): ArrayBuffer {
  const count = weights.reduce((n, w) => n + w.values.length, 0);
  const buffer = new ArrayBuffer(4 * count);
  const view = new DataView(buffer);
  let at = 0;
  for (const w of weights) for (let k = 0; k < w.values.length; k++, at += 4) view.setFloat32(at, w.values[k]!, true);
  return buffer;
}
