import { type HyperSpec, OPTIMIZER_SPECS } from '../index.js';
// The flags of `elman train` (and, through them, `elman plot`), as node:util parseArgs declares them.

/** The flags `elman train` adds for the Elman network (merged into trainFlags). */
export const elmanFlags = {
  model: { type: 'string' },
  hidden: { type: 'string' },
  layers: { type: 'string' },
  save: { type: 'string' },
  activation: { type: 'string' },
  'batch-size': { type: 'string' },
  shuffle: { type: 'string' },
  'validation-split': { type: 'string' },
  patience: { type: 'string' },
  'clip-norm': { type: 'string' },
  'clip-value': { type: 'string' },
  truncate: { type: 'string' },
  'test-samples': { type: 'string' },
} as const;

/** The flags of `elman train --data FILE`: the user's file and how it becomes windows. */
export const dataFlags = {
  data: { type: 'string' },
  columns: { type: 'string' },
  target: { type: 'string' },
  lookback: { type: 'string' },
  horizon: { type: 'string' },
  stride: { type: 'string' },
  split: { type: 'string' },
} as const;

/** An option key as a flag: `initialStep` → `initial-step`. */
export const flagOf = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * One flag per option of every registered optimizer (`--rho`, `--initial-step`, `--nesterov`, ...),
 * derived from OPTIMIZER_SPECS: a new optimizer's options become flags with no edit here.
 * Options that several optimizers share (`--momentum`, `--eps`) are one flag.
 */
export const optimizerFlags: Readonly<Record<string, { readonly type: 'string' | 'boolean' }>> = Object.fromEntries(
  Object.values(OPTIMIZER_SPECS).flatMap((spec) =>
    Object.entries(spec.options as Record<string, HyperSpec>).map(([key, h]) => [flagOf(key), { type: typeof h.default === 'boolean' ? 'boolean' : 'string' }] as const),
  ),
);

/** The flags of `elman train` that are always there, by name. */
const fixedFlags = {
  task: { type: 'string' },
  samples: { type: 'string' },
  length: { type: 'string' },
  seed: { type: 'string' },
  loss: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  epochs: { type: 'string' },
  'log-every': { type: 'string' },
  init: { type: 'string' },
  backend: { type: 'string', default: 'wasm' },
  scalar: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  plot: { type: 'string' },
  ...elmanFlags,
  ...dataFlags,
} as const;

/** Flags of `elman train`, as node:util parseArgs declares them. */
export const trainFlags = { ...optimizerFlags, ...fixedFlags };

type Fixed = typeof fixedFlags;

/** Parsed `elman train` flags (strings as typed, booleans); the optimizers' flags are looked up by name. */
export type Values = { [K in keyof Fixed]?: Fixed[K]['type'] extends 'boolean' ? boolean : string } & { readonly [flag: string]: string | boolean | undefined };
