// The messages between the page (main.ts) and the training worker (worker.ts).
import type { Surface } from '../src/analysis/surface.js';
import type { LinearWeights } from '../src/models/linear.js';
import type { OptimizerName } from '../src/optimizers/index.js';

/** Page → worker. */
export type Request =
  | { type: 'train'; optimizer: OptimizerName; lr: number; epochs: number; perFrame: number }
  | { type: 'predict'; sequence: number[] };

/** Worker → page: the surface once, then chunks of history, then the end (or an error). */
export type Reply =
  | { type: 'ready'; surface: Surface; start: LinearWeights }
  | { type: 'progress'; loss: number[]; weights: LinearWeights[] }
  | { type: 'done'; weights: LinearWeights; loss: number }
  | { type: 'prediction'; sequence: number[]; value: number }
  | { type: 'error'; message: string };
