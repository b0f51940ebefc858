// The messages between the page (main.ts) and the training worker (worker.ts). Every message about a
// run carries its id, so the page can drop what belongs to a run it stopped or removed.
import type { LinearWeights, OptimizerName, OptimizerState } from '../src/index.js';

/** One run's settings, as the form and the URL hold them. */
export interface RunSettings {
  optimizer: OptimizerName;
  /** The learning rate (Rprop: its initial step). */
  lr: number;
  epochs: number;
  /** Pace: epochs per second (the default makes the tutorial's 2000 epochs last 10 s). */
  rate: number;
  /** Where the run starts. */
  start: LinearWeights;
}

/** Page → worker. Runs go on side by side; `cancel` stops one. */
export type Request =
  | ({ type: 'train'; run: number; state?: OptimizerState } & RunSettings)
  | { type: 'cancel'; run: number }
  | { type: 'addition'; job: number; epochs: number };

/**
 * Worker → page: per run chunks of history, then its end. `loss[i]` is the loss epoch i+1 computed
 * before its update, at `weights[i]`; `done` carries the final weights, their own loss and the optimizer's state.
 */
export type Reply =
  | { type: 'ready' }
  | { type: 'progress'; run: number; loss: number[]; weights: LinearWeights[] }
  | { type: 'done'; run: number; weights: LinearWeights; loss: number; state: OptimizerState }
  | { type: 'diverged'; run: number; epoch: number; lastGood: LinearWeights; message: string }
  | { type: 'addition'; job: number; epochs: number; loss: number; weights: Record<'kernel' | 'recurrentKernel' | 'bias' | 'outputKernel' | 'outputBias', number[]>; x: number[][]; targets: number[][] }
  | { type: 'error'; run?: number; job?: number; message: string };
