// The recurrent models' options, declared once as data (as HyperSpec declares the optimizers'): how
// each is checked, its default and what it is. The constructors read them with readOptions, so the
// checks, the messages and the defaults come from these tables; the CLI and docs can list them.
import { checkKeys, type OptionSpec } from '../checks.js';
import { ConfigError } from '../errors.js';
import { CELLS } from '../cells/index.js';
import { ACTIVATIONS, BACKENDS, GATE_ACTIVATIONS, OUTPUT_ACTIVATIONS, type BackendName } from '../types.js';
import { INITIALIZERS } from './init.js';

const size = (doc: string) => ({ kind: 'integer', min: 1, max: 4096, doc }) as const;
const backend = { kind: 'oneOf', choices: BACKENDS, default: 'wasm', doc: "Where the loops run: 'wasm' (needs `await init()`) or 'js'." } as const;
const outputActivation = { kind: 'oneOf', choices: OUTPUT_ACTIVATIONS, default: 'linear', doc: 'Output activation of the dense head.' } as const;
const returnSequences = { kind: 'boolean', default: false, doc: 'An output at every step (many-to-many) instead of only at the last.' } as const;
const stateful = { kind: 'boolean', default: false, doc: "Carry each layer's final state of a batch (or predict call) into the next, per stream, as Keras's stateful RNNs do; resetState() starts afresh." } as const;
const learnInitialState = { kind: 'boolean', default: false, doc: "Learn each layer's initial state (h0, and c0 for a cell state) as parameters after the head's; not with stateful." } as const;
const seed = { kind: 'any', doc: 'Seed of the RandomState the initial weights are drawn from (default 0; RandomState checks it).' } as const;

/** `new ElmanRNN`'s options, in the order they are checked. */
export const ELMAN_OPTIONS = {
  inputSize: size('Inputs per step.'),
  hiddenSize: size('Hidden units.'),
  outputSize: size('Outputs per step.'),
  activation: { kind: 'oneOf', choices: ACTIVATIONS, default: 'tanh', doc: 'Hidden activation.' },
  outputActivation,
  returnSequences,
  stateful,
  learnInitialState,
  seed,
  kernelInitializer: { kind: 'oneOf', choices: INITIALIZERS, default: 'glorotUniform', doc: 'Initialiser of kernel and outputKernel.' },
  recurrentInitializer: { kind: 'oneOf', choices: INITIALIZERS, default: 'orthogonal', doc: 'Initialiser of recurrentKernel.' },
  backend,
} as const satisfies Record<string, OptionSpec>;

/** `new RNN`'s options (the layers are read one by one with LAYER_OPTIONS). */
export const RNN_OPTIONS = {
  inputSize: size('Inputs per step.'),
  layers: { kind: 'any', doc: 'The recurrent layers, bottom-up: 1 to 64 of LAYER_OPTIONS.' },
  outputSize: size('Outputs per step of the dense head.'),
  outputActivation,
  returnSequences,
  defaults: { kind: 'oneOf', choices: ['tfjs', 'keras3'], default: 'tfjs', doc: "Which library's defaults unset layer options take." },
  embedding: { kind: 'any', doc: 'Token ids in: { vocab, dim }, a table [vocab][dim] looked up before the first layer (inputSize 1).' },
  stateful,
  learnInitialState,
  seed,
  backend,
} as const satisfies Record<string, OptionSpec>;

/** One layer's options; unset ones (no default here) take the model's `defaults`. */
export const LAYER_OPTIONS = {
  cell: { kind: 'oneOf', choices: CELLS, doc: 'The recurrent cell (src/cells/).' },
  units: size('Hidden units, the layer\'s output width.'),
  activation: { kind: 'oneOf', choices: GATE_ACTIVATIONS, default: 'tanh', doc: 'Activation of the state / candidate.' },
  recurrentActivation: { kind: 'any', doc: "Activation of the gates (default: the model's defaults)." },
  resetAfter: { kind: 'any', doc: "Cells that read it (GRU): Keras's reset_after (default: the model's defaults)." },
  unitForgetBias: { kind: 'any', doc: "Cells that read it (LSTM): start the forget gate's bias at 1 (default: the model's defaults)." },
} as const satisfies Record<string, OptionSpec>;

/** Load options of a saved model: only `backend` (the file decides the rest). */
export function loadOptions(options: unknown): { backend?: BackendName } {
  checkKeys('options', options, ['backend']);
  return options as { backend?: BackendName };
}

/** The optional true-only flags of a saved config (stateful, learnInitialState), checked: present means true. */
export function optionalFlags(name: string, config: Record<string, unknown>): { stateful?: true; learnInitialState?: true } {
  const flags: { stateful?: true; learnInitialState?: true } = {};
  for (const k of ['stateful', 'learnInitialState'] as const) {
    if (!Object.hasOwn(config, k)) continue;
    if (config[k] !== true) throw new ConfigError(`${name}.${k}`, config[k], 'true, or absent');
    flags[k] = true;
  }
  return flags;
}
