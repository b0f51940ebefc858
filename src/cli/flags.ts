// The flags of `elman train` (and, through them, `elman plot`), as node:util parseArgs declares them.

/** The flags `elman train` adds for the Elman network (merged into trainFlags). */
export const elmanFlags = {
  model: { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  'batch-size': { type: 'string' },
  shuffle: { type: 'string' },
  'validation-split': { type: 'string' },
  patience: { type: 'string' },
  'clip-norm': { type: 'string' },
  truncate: { type: 'string' },
  'test-samples': { type: 'string' },
} as const;

/** Flags of `elman train`, as node:util parseArgs declares them. */
export const trainFlags = {
  task: { type: 'string' },
  samples: { type: 'string' },
  length: { type: 'string' },
  seed: { type: 'string' },
  loss: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  momentum: { type: 'string' },
  nesterov: { type: 'boolean' },
  rho: { type: 'string' },
  eps: { type: 'string' },
  beta1: { type: 'string' },
  beta2: { type: 'string' },
  'initial-step': { type: 'string' },
  'eta-plus': { type: 'string' },
  'eta-minus': { type: 'string' },
  'step-min': { type: 'string' },
  'step-max': { type: 'string' },
  epochs: { type: 'string' },
  'log-every': { type: 'string' },
  init: { type: 'string' },
  backend: { type: 'string', default: 'wasm' },
  scalar: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  plot: { type: 'string' },
  ...elmanFlags,
} as const;

/** Parsed `elman train` flags (strings as typed, booleans). */
export type Values = { [K in keyof typeof trainFlags]?: (typeof trainFlags)[K]['type'] extends 'boolean' ? boolean : string };

