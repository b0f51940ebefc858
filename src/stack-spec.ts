// The shape of a stacked recurrent network: an optional embedding of token ids, recurrent layers
// (simple, GRU, LSTM, any mix) and one Dense output head, with the flat parameter layout both
// backends read: the embeddings [vocab][dim] first, per layer Keras's [kernel | recurrentKernel | bias],
// then the head's [kernel | bias].

import { CELL_SPECS, type CellKind } from './cells/index.js';
import { GATE_ACTIVATIONS, type GateActivation, type OutputActivation } from './types.js';

export { GATE_ACTIVATIONS, type CellKind, type GateActivation };

/**
 * One recurrent layer, fully specified.
 * @category Models
 */
export interface LayerSpec {
  /** The recurrent cell. */
  readonly cell: CellKind;
  /** Hidden units, the layer's output width. */
  readonly units: number;
  /** Activation of the new state (simple) or of the candidate (GRU, LSTM; LSTM also applies it to the cell state on output). */
  readonly activation: GateActivation;
  /** Gates' activation (GRU, LSTM; ignored by simple). */
  readonly recurrentActivation: GateActivation;
  /** Keras's reset_after (bias [2][gates·H]), for cells that read it (GRU); else false. */
  readonly resetAfter: boolean;
}

/**
 * An embedding input layer: each step's input is one token id in [0, vocab), looked up in a table
 * [vocab][dim] (TF.js/Keras `Embedding`'s `embeddings`).
 * @category Models
 */
export interface EmbeddingSpec {
  /** Token ids are integers in [0, vocab). */
  readonly vocab: number;
  /** Width of each token's vector, the first recurrent layer's input width. */
  readonly dim: number;
}

/** A whole network: input width (1, a token id, with an embedding), layers bottom-up, the head. */
export interface StackDims {
  readonly I: number;
  /** Token ids in, looked up in a table before the first layer; absent for real-valued inputs. */
  readonly embedding?: EmbeddingSpec | undefined;
  readonly layers: readonly LayerSpec[];
  readonly O: number;
  readonly outAct: OutputActivation;
  /** An output at every step (else at the last). */
  readonly seq: boolean;
  /** Each layer's initial state is learned: parameters after the head's (StackOffsets.initial). */
  readonly learnS0?: boolean;
}

/** Gates per unit of each cell: the column blocks of kernel and recurrentKernel. */
export const GATES = Object.fromEntries(Object.entries(CELL_SPECS).map(([k, s]) => [k, s.gates])) as Readonly<Record<CellKind, number>>;

/** Where one layer's weights sit in the flat params, and their shapes. */
export interface LayerOffsets {
  readonly kernel: number;
  readonly recurrentKernel: number;
  readonly bias: number;
  readonly end: number;
  /** Input width of the layer. */
  readonly inputs: number;
  /** Bias shape as Keras stores it: [3H] or [2][3H] (GRU resetAfter). */
  readonly biasShape: readonly number[];
}

/** Where a layer's learnable initial state sits in the flat params: h0 [units], and c0 [units] for cells with a cell state (else -1). */
export interface InitialOffsets {
  readonly h: number;
  readonly c: number;
}

/**
 * Offsets of the embeddings (at 0, [vocab][dim], when there are any), every layer, then of the head
 * (kernel [H][O], bias [O], ending at headEnd), then of the learnable initial states (only with
 * learnS0, after everything else so the other offsets never move), and the total size.
 */
export function stackOffsets(d: StackDims): { embedding: number; layers: LayerOffsets[]; head: number; headBias: number; headEnd: number; initial: InitialOffsets[]; size: number } {
  const layers: LayerOffsets[] = [];
  const e = d.embedding;
  let at = e ? e.vocab * e.dim : 0, inputs = e ? e.dim : d.I;
  for (const l of d.layers) {
    const G = GATES[l.cell] * l.units;
    const biasShape = l.resetAfter ? [2, G] : [G]; // resetAfter is true only for cells that read it
    const kernel = at, recurrentKernel = kernel + inputs * G, bias = recurrentKernel + l.units * G;
    const end = bias + biasShape.reduce((a, b) => a * b, 1);
    layers.push({ kernel, recurrentKernel, bias, end, inputs, biasShape });
    at = end;
    inputs = l.units;
  }
  const head = at, headBias = at + inputs * d.O, headEnd = headBias + d.O;
  const initial: InitialOffsets[] = [];
  at = headEnd;
  for (const l of d.learnS0 ? d.layers : []) {
    const c = CELL_SPECS[l.cell].cellState ? at + l.units : -1;
    initial.push({ h: at, c });
    at += (c >= 0 ? 2 : 1) * l.units;
  }
  return { embedding: 0, layers, head, headBias, headEnd, initial, size: at };
}

/** Per-layer states of several streams: h[i], and c[i] for cells with a cell state (else null), each [streams][units]. */
export interface StateRows {
  readonly h: ReadonlyArray<Float32Array | Float64Array>;
  readonly c: ReadonlyArray<Float32Array | Float64Array | null>;
}

/**
 * How one call's states start and end, on every backend: each layer's hs[0] (cs[0]) from `from`
 * (zeros when null), its hs[T] (cs[T]) into `to`, and ∂L/∂h[0] (∂L/∂c[0]), the backward kernels'
 * carry after step 1, into `d0`. Rows are the call's samples, from 0.
 */
export interface StateFlow {
  readonly from: StateRows | null;
  readonly to: StateRows | null;
  readonly d0: StateRows | null;
}
