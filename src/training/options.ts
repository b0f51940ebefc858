// The options of `train`, and their validation: everything checked before anything is placed or
// bound, unknown keys refused with the key named.

import { checkInteger } from '../checks.js';
import type { DataInput } from '../data/arrays.js';
import { ConfigError } from '../errors.js';
import type { PlacedData, Trainable } from '../models/model.js';
import type { LayerStateInput } from '../models/state.js';
import type { Optimizer } from '../optimizers/optimizer.js';

/**
 * What `onEpoch` receives: the epoch, the loss before its update, and the weights after it.
 * @category Training
 */
export interface EpochInfo<W> {
  /** The 0-based index of the epoch just run. */
  epoch: number;
  /** Its training loss, computed before its update. */
  loss: number;
  /** The model's weights after its update. */
  weights: W;
  /** The validation loss after the epoch (with validation data). */
  valLoss?: number;
}

/**
 * Options of `train`; only `optimizer` and `epochs` are required, and an unknown key is an error.
 * @category Training
 */
export interface TrainOptions<W, L extends string = string> {
  /** An optimizer made like `rmsprop({ lr: 1e-3 })`, or any object implementing Optimizer; its state carries over between calls. */
  optimizer: Optimizer;
  /** Passes over the training samples, an integer >= 1. */
  epochs: number;
  /** A loss the model understands (`model.losses`; default `model.defaultLoss`). */
  loss?: L;
  /** Called every `logEvery` epochs and after the last; returning `false` stops training early. */
  onEpoch?: (info: EpochInfo<W>) => void | boolean;
  /** How often `onEpoch` runs, in epochs (default 1). */
  logEvery?: number;
  /** Aborting it stops training with an AbortError at the next batch. */
  signal?: AbortSignal;
  /** Record the weights in the history (default: when the model has at most 64 parameters). */
  trackWeights?: boolean;
  /** Most entries the history keeps (default 100,000, even); longer runs keep every 2nd, 4th, … epoch. */
  historyLimit?: number;
  /** Samples per update (default: all, one update per epoch). */
  batchSize?: number;
  /** Reshuffle the training samples every epoch when there is more than one batch: `true` (seed 0), a seed, or false. */
  shuffle?: boolean | number;
  /** Fraction in [0, 1) of the samples, taken from the end before any shuffling, held out for validation. */
  validationSplit?: number;
  /** Held-out data (arrays `{ x, y }`, a data set, or data placed by this model) evaluated after every epoch. */
  validationData?: DataInput | PlacedData;
  /** Stop after this many epochs without a lower (validation, else training) loss, and restore the best weights. */
  patience?: number;
  /** Scale each update's gradient down to this global L2 norm when it is longer (Keras's global_clipnorm); not with clipValue. */
  clipNorm?: number;
  /** Clip each element of each update's gradient to [−clipValue, clipValue] (Keras's clipvalue); not with clipNorm, as Keras 3 refuses both. */
  clipValue?: number;
  /** Truncated BPTT: the gradient flows back at most through windows of this many steps. */
  truncate?: number;
  /**
   * Each layer's state the run starts from (`{ h, c? }` per layer, flat or as rows; models that carry a
   * state). A stateful model: [batchSize][units], its B streams start the call from it (it replaces
   * the carried state, as `predict`'s does; the final state is carried on). A stateless model:
   * [samples][units], each training sample starts every epoch from its own row (the row follows
   * its sample through shuffles), or [1][units], every sample starts from that row. Not learned;
   * validation samples start as `predict`'s do. Not with learnInitialState, repeatVector or
   * bidirectional layers, or a threaded placement.
   */
  initialState?: LayerStateInput[];
  /** 0: silent (default); 1: a line per logged epoch (epoch, loss, validation loss, time per epoch, ETA) through console.log; 2: a live bar on a terminal (lines elsewhere). */
  verbose?: 0 | 1 | 2;
}

const KEYS = ['optimizer', 'epochs', 'loss', 'onEpoch', 'logEvery', 'signal', 'trackWeights', 'historyLimit', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'patience', 'clipNorm', 'clipValue', 'truncate', 'initialState', 'verbose'];

/** Every option validated before anything is placed or bound. */
export function checkOptions<W, L extends string>(model: Trainable<W, L>, o: TrainOptions<W, L>) {
  if (typeof o !== 'object' || o === null) throw new ConfigError('options', o, 'an object { optimizer, epochs, ... }');
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) throw new ConfigError(`options.${k}`, (o as unknown as Record<string, unknown>)[k], `absent: train takes ${KEYS.join(', ')}`);
  const opt = o.optimizer as Partial<Optimizer> | undefined;
  if (typeof opt !== 'object' || opt === null || typeof opt.step !== 'function' || typeof opt.getState !== 'function' || typeof opt.setState !== 'function') {
    throw new ConfigError('optimizer', o.optimizer, 'an optimizer such as rmsprop({ lr: 1e-3 }) (step, getState, setState)');
  }
  const epochs = checkInteger('epochs', o.epochs, 1);
  const logEvery = o.logEvery === undefined ? 1 : checkInteger('logEvery', o.logEvery, 1);
  if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new ConfigError('onEpoch', o.onEpoch, 'a function');
  if (o.signal !== undefined && !(typeof AbortSignal !== 'undefined' && o.signal instanceof AbortSignal)) throw new ConfigError('signal', o.signal, 'an AbortSignal');
  if (o.trackWeights !== undefined && typeof o.trackWeights !== 'boolean') throw new ConfigError('trackWeights', o.trackWeights, 'a boolean');
  const limit = o.historyLimit === undefined ? 100_000 : checkInteger('historyLimit', o.historyLimit, 2);
  const loss = o.loss ?? model.defaultLoss;
  if (!model.losses.includes(loss)) throw new ConfigError('loss', loss, `one of ${model.losses.join(', ')}`);
  if (o.batchSize !== undefined) checkInteger('batchSize', o.batchSize, 1);
  if (o.truncate !== undefined) checkInteger('truncate', o.truncate, 1);
  if (o.shuffle !== undefined && typeof o.shuffle !== 'boolean') checkInteger('shuffle', o.shuffle, 0, 2 ** 32 - 1);
  const split = o.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new ConfigError('validationSplit', split, 'a number in [0, 1)');
  if (split > 0 && o.validationData !== undefined) throw new ConfigError('validationSplit', split, '0 or unset when validationData is given');
  if (o.clipNorm !== undefined && !(typeof o.clipNorm === 'number' && o.clipNorm > 0 && Number.isFinite(Math.fround(o.clipNorm)))) {
    throw new ConfigError('clipNorm', o.clipNorm, 'a finite number > 0 in float32');
  }
  if (o.clipValue !== undefined && !(typeof o.clipValue === 'number' && Math.fround(o.clipValue) > 0 && Number.isFinite(Math.fround(o.clipValue)))) {
    throw new ConfigError('clipValue', o.clipValue, 'a finite number > 0 in float32');
  }
  // Keras 3 refuses more than one of clipnorm, clipvalue, global_clipnorm: no order to guess.
  if (o.clipNorm !== undefined && o.clipValue !== undefined) throw new ConfigError('clipValue', o.clipValue, 'unset when clipNorm is given (one clipping at a time, as Keras 3)');
  const patience = o.patience === undefined ? undefined : checkInteger('patience', o.patience, 1);
  const seed = o.shuffle === undefined || o.shuffle === false ? undefined : o.shuffle === true ? 0 : o.shuffle;
  return { epochs, logEvery, limit: limit - (limit % 2), loss, split, patience, seed, clip: o.clipNorm, clipValue: o.clipValue === undefined ? 0 : Math.fround(o.clipValue), track: o.trackWeights ?? model.params.length <= 64 };
}

