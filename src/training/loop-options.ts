import { checkInteger } from '../data/sequences.js';
import { ConfigError } from '../errors.js';
import { SlotOptimizer } from '../optimizers/optimizer.js';
import type { TrainOptions } from './train.js';

/** Validate the options every training loop shares; returns the epochs, the log interval and whether to track weights. */
export function checkLoopOptions<W>(o: TrainOptions<W>, paramCount: number): { epochs: number; logEvery: number; track: boolean } {
  if (typeof o !== 'object' || o === null) throw new ConfigError('options', o, 'an object');
  if (!(o.optimizer instanceof SlotOptimizer) && typeof o.optimizer?.step !== 'function') {
    throw new ConfigError('optimizer', o.optimizer, 'an optimizer such as rmsprop({ lr: 1e-3 })');
  }
  const epochs = checkInteger('epochs', o.epochs, 1);
  const logEvery = o.logEvery === undefined ? 1 : checkInteger('logEvery', o.logEvery, 1);
  if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new ConfigError('onEpoch', o.onEpoch, 'a function');
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new ConfigError('signal', o.signal, 'an AbortSignal');
  if (o.trackWeights !== undefined && typeof o.trackWeights !== 'boolean') throw new ConfigError('trackWeights', o.trackWeights, 'a boolean');
  return { epochs, logEvery, track: o.trackWeights ?? paramCount <= 64 };
}

/** True when every entry is finite. */
export function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
