import { ConfigError } from '../errors.js';
import { adam } from './adam.js';
import { momentum } from './momentum.js';
import type { Optimizer, OptimizerName } from './optimizer.js';
import { rmsprop } from './rmsprop.js';
import { rprop } from './rprop.js';
import { sgd } from './sgd.js';

/** The one registry of optimizers, by name: what the CLI and saved states refer to. */
export const OPTIMIZERS: Readonly<Record<OptimizerName, (options?: never) => Optimizer>> = { sgd, momentum, rmsprop, rprop, adam };

/** Make an optimizer by name with its options, e.g. `createOptimizer('rmsprop', { lr: 1e-3 })`. */
export function createOptimizer(name: string, config?: Record<string, number | boolean>): Optimizer {
  if (!Object.hasOwn(OPTIMIZERS, name)) throw new ConfigError('optimizer', name, `one of ${Object.keys(OPTIMIZERS).join(', ')}`);
  return (OPTIMIZERS[name as OptimizerName] as (o?: Record<string, number | boolean>) => Optimizer)(config);
}
