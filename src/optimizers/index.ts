import { ConfigError } from '../errors.js';
import { ADAGRAD } from './adagrad.js';
import { ADAM } from './adam.js';
import { MOMENTUM } from './momentum.js';
import type { Optimizer, OptimizerSpec } from './optimizer.js';
import { RMSPROP } from './rmsprop.js';
import { RPROP } from './rprop.js';
import { SGD } from './sgd.js';

/**
 * The one registry of built-in optimizers, by name: the CLI's flags, defaults and help, saved
 * states and the test matrices derive from these entries. Adding an optimizer is its file (rule,
 * spec, core twin in assembly/optimizers.ts) and one line here.
 * @category Training
 */
export const OPTIMIZER_SPECS = {
  /** Gradient descent: p ← p − lr·g. */
  sgd: SGD,
  /** Gradient descent with momentum: v ← μ·v − lr·g, p ← p + v (or Nesterov). */
  momentum: MOMENTUM,
  /** RMSProp: steps scaled by a running root mean square of the gradient. */
  rmsprop: RMSPROP,
  /** Rprop: sign-based steps that grow while the sign repeats and shrink when it flips. */
  rprop: RPROP,
  /** Adam: bias-corrected moments of the gradient and its square. */
  adam: ADAM,
  /** Adagrad: steps divided by the root of the summed squared gradients. */
  adagrad: ADAGRAD,
} as const satisfies Record<string, Pick<OptimizerSpec, 'name' | 'summary'>>;

/**
 * The names of the built-in optimizers.
 * @category Training
 */
export type OptimizerName = keyof typeof OPTIMIZER_SPECS;

/**
 * Each built-in optimizer's factory by name, e.g. `OPTIMIZERS.rmsprop({ lr: 1e-3 })`.
 * @category Training
 */
export const OPTIMIZERS = Object.fromEntries(Object.entries(OPTIMIZER_SPECS).map(([name, spec]) => [name, spec.create])) as unknown as {
  readonly [K in keyof typeof OPTIMIZER_SPECS]: (typeof OPTIMIZER_SPECS)[K]['create'];
};

/**
 * Make an optimizer by name with its options, e.g. `createOptimizer('rmsprop', { lr: 1e-3 })`.
 * @category Training
 */
export function createOptimizer(name: string, config?: Record<string, number | boolean>): Optimizer {
  if (!Object.hasOwn(OPTIMIZER_SPECS, name)) throw new ConfigError('optimizer', name, `one of ${Object.keys(OPTIMIZER_SPECS).join(', ')}`);
  return (OPTIMIZER_SPECS[name as OptimizerName].create as (o?: Record<string, number | boolean>) => Optimizer)(config);
}
