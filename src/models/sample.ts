// Drawing text from a trained next-token model: prime the state with some ids, then feed each drawn
// id back as the next input. The draw is numpy's `choice(p=...)`: a cumulative sum of the
// probabilities and one uniform number from the seeded RandomState, so a seed gives the same ids
// on both backends (up to a uniform landing within float32 rounding of a boundary).

import { checkInteger, checkKeys, plainObject } from '../checks.js';
import { checkIds } from '../data/tokens.js';
import { ConfigError } from '../errors.js';
import { RandomState } from '../random.js';
import type { OutputActivation } from '../types.js';

/**
 * What `sample` needs of a model: one step at a time over token ids (an RNN with an `embedding`, or
 * one-hot inputs of inputSize = outputSize) and a softmax (or linear, read as logits) head.
 * @category Models
 */
export interface Samplable {
  /** 1 with an embedding (one id a step), else the one-hot width. */
  readonly inputSize: number;
  /** Ids the head draws from. */
  readonly outputSize: number;
  /** 'softmax' (outputs are probabilities) or 'linear' (logits). */
  readonly outputActivation: OutputActivation;
  /** The embedding of token ids, if the model has one. */
  readonly embedding?: {
    /** Ids the embedding reads. */
    readonly vocab: number;
  } | undefined;
  /** One step of one stream: outputs f32[outputSize]. */
  step(x: ArrayLike<number>): Float32Array;
  /** Zero the state `step` carries. */
  resetState(): void;
}

/**
 * Options of `sample`.
 * @category Models
 */
export interface SampleOptions {
  /** Ids to draw (default 100). */
  length?: number;
  /** Softmax temperature: below 1 sharper, above 1 flatter (default 1). */
  temperature?: number;
  /** Seed of the RandomState the draws come from (default 0). */
  seed?: number;
  /** Ids fed before the first draw (default [0]); the first draw follows the last of them. */
  prime?: ArrayLike<number>;
}

/**
 * Draw `length` token ids from a next-token model: the model's `step` state is reset, fed `prime`,
 * then each drawn id is fed back. Probabilities are the head's outputs raised to 1/temperature and
 * renormalised (softmax of logits / temperature), in float64. Leaves the model's `step` state at the
 * last id fed. Returns the drawn ids (not the prime).
 * @example
 * ```ts
 * import { init, RNN, sample, Vocabulary } from 'elman-rnn';
 *
 * await init();
 * const vocab = Vocabulary.fromText('hello world');
 * const model = new RNN({ inputSize: 1, embedding: { vocab: vocab.size, dim: 8 }, layers: [{ cell: 'gru', units: 16 }], outputSize: vocab.size, outputActivation: 'softmax', returnSequences: true });
 * const text = vocab.decode(sample(model, { prime: vocab.encode('he'), length: 20, temperature: 0.8, seed: 1 }));
 * ```
 * @category Models
 */
export function sample(model: Samplable, options: SampleOptions = {}): Int32Array {
  if (!plainObject(options)) throw new ConfigError('options', options, 'an object { length?, temperature?, seed?, prime? }');
  checkKeys('options', options, ['length', 'temperature', 'seed', 'prime']);
  const o: SampleOptions = options;
  const length = checkInteger('length', o.length ?? 100, 0, 2 ** 28);
  const temperature = o.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature > 0) || !Number.isFinite(temperature)) throw new ConfigError('temperature', temperature, 'a finite number > 0');
  const V = model.outputSize;
  const ids = model.embedding !== undefined && model.inputSize === 1;
  if (!ids && model.inputSize !== V) throw new ConfigError('model', `inputSize ${model.inputSize}, outputSize ${V}`, 'a next-token model: an embedding (ids in), or one-hot inputs as wide as its outputs');
  if (ids && model.embedding!.vocab < V) throw new ConfigError('model', `embedding.vocab ${model.embedding!.vocab}, outputSize ${V}`, 'an embedding covering every id the head draws (vocab >= outputSize)');
  if (model.outputActivation === 'sigmoid') throw new ConfigError('model.outputActivation', 'sigmoid', "'softmax' (probabilities) or 'linear' (logits)");
  const prime: ArrayLike<number> = o.prime ?? [0];
  if (prime === null || typeof prime !== 'object' || !(prime.length >= 1)) throw new ConfigError('prime', prime, 'a non-empty array of token ids');
  checkIds('prime', prime, 1, 1, V);
  const rng = new RandomState(o.seed ?? 0);
  const input = new Float32Array(ids ? 1 : V), weights = new Float64Array(V), out = new Int32Array(length);
  const feed = (id: number): Float32Array => {
    if (ids) input[0] = id;
    else {
      input.fill(0);
      input[id] = 1;
    }
    return model.step(input);
  };
  model.resetState();
  let y: Float32Array = new Float32Array(0);
  for (let i = 0; i < prime.length; i++) y = feed(prime[i]!);
  for (let n = 0; n < length; n++) {
    out[n] = draw(y, model.outputActivation === 'softmax', temperature, rng, weights);
    if (n + 1 < length) y = feed(out[n]!);
  }
  return out;
}

/** One id from outputs y: probabilities (softmax head) or logits, sharpened by 1/temperature; numpy's choice: first index whose cumulative sum exceeds u·total. */
function draw(y: Float32Array, probabilities: boolean, temperature: number, rng: RandomState, w: Float64Array): number {
  const V = y.length;
  let mx = -Infinity;
  for (let q = 0; q < V; q++) {
    w[q] = (probabilities ? Math.log(y[q]!) : y[q]!) / temperature;
    mx = Math.max(mx, w[q]!);
  }
  let total = 0;
  for (let q = 0; q < V; q++) total += w[q] = Math.exp(w[q]! - mx);
  const u = rng.randomSample() * total;
  let cum = 0;
  for (let q = 0; q < V; q++) {
    cum += w[q]!;
    if (cum > u) return q;
  }
  return V - 1; // u·total rounded to the total itself
}
