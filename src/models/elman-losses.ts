import { ConfigError } from '../errors.js';
import type { ElmanLossName, LossKind, OutputActivation } from '../types.js';

export type { ElmanLossName };

/**
 * Every ElmanRNN loss name.
 * @category Training
 */
export const ELMAN_LOSSES: readonly ElmanLossName[] = ['sse', 'mse', 'bce', 'cce'];

/** How a loss maps to a kernel: its kind and the scale applied to the summed loss, for a batch of B samples. */
export function elmanLoss(loss: unknown, outAct: OutputActivation): { kind: LossKind; scale: (B: number, outSteps: number, O: number) => number } {
  if (!(ELMAN_LOSSES as readonly unknown[]).includes(loss)) throw new ConfigError('loss', loss, `one of ${ELMAN_LOSSES.join(', ')}`);
  if (loss === 'bce' && outAct !== 'sigmoid') throw new ConfigError('loss', loss, `used with outputActivation 'sigmoid' (it is fused with it), not '${outAct}'`);
  if (loss === 'cce' && outAct !== 'softmax') throw new ConfigError('loss', loss, `used with outputActivation 'softmax' (it is fused with it), not '${outAct}'`);
  if (loss === 'sse') return { kind: 'squared', scale: () => 1 };
  if (loss === 'mse') return { kind: 'squared', scale: (B, S, O) => 1 / (B * S * O) };
  if (loss === 'bce') return { kind: 'bce', scale: (B, S, O) => 1 / (B * S * O) };
  return { kind: 'cce', scale: (B, S) => 1 / (B * S) };
}
