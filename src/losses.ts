import { ConfigError } from './errors.js';

import type { LinearLossName } from './types.js';

/**
 * The losses of the counter: `sse` sums (t - y)² over samples (the tutorial's), `mse` averages it.
 * @category Training
 */
export type LossName = LinearLossName;

/**
 * The loss names the counter accepts.
 * @category Training
 */
export const LOSSES: readonly LossName[] = ['sse', 'mse'];

/**
 * How a loss turns per-sample squared errors into the loss and dL/dy:
 * loss = scale · Σ e², and dL/dy = c · e with c = 2·scale, rounded to f32 as the kernels use it.
 */
export function squaredLoss(loss: unknown, samples: number): { scale: number; c: number } {
  if (loss !== 'sse' && loss !== 'mse') throw new ConfigError('loss', loss, `one of ${LOSSES.join(', ')}`);
  const scale = loss === 'sse' ? 1 : 1 / samples;
  return { scale, c: Math.fround(2 * scale) };
}
