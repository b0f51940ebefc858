import { type LinearWeights, type OptimizerName, type Surface } from '../src/index.js';
// The messages between the page (main.ts) and the training worker (worker.ts). Every message about a
// run carries its id, so the page can drop what belongs to a run it cancelled or removed.

/** One run's settings, as the form and the URL hold them. */
export interface RunSettings {
  optimizer: OptimizerName;
  /** The learning rate (Rprop: its initial step). */
  lr: number;
  epochs: number;
  perFrame: number;
}

/** Page → worker. A new `train` cancels whatever run was going. */
export type Request =
  | ({ type: 'train'; run: number } & RunSettings)
  | { type: 'cancel'; run: number }
  | { type: 'predict'; run: number; weights: LinearWeights; sequence: number[] }
  | { type: 'addition'; job: number; epochs: number };

/** Worker → page: the surface once; then per run chunks of history, then its end (done, diverged or error). */
export type Reply =
  | { type: 'ready'; surface: Surface; start: LinearWeights }
  | { type: 'progress'; run: number; loss: number[]; weights: LinearWeights[] }
  | { type: 'done'; run: number; weights: LinearWeights; loss: number }
  | { type: 'diverged'; run: number; epoch: number; lastGood: LinearWeights; message: string }
  | { type: 'prediction'; run: number; sequence: number[]; value: number }
  | { type: 'addition'; job: number; epochs: number; loss: number; weights: Record<'kernel' | 'recurrentKernel' | 'bias' | 'outputKernel' | 'outputBias', number[]>; x: number[][]; targets: number[][] }
  | { type: 'error'; run?: number; job?: number; message: string };
