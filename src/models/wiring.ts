// The wiring entries of `new RNN`'s layer list, as Keras writes them: `{ repeatVector: n }` between
// two recurrent layers (an encoder–decoder: the layer below hands up its last output only, the layer
// above reads it n times) and `{ bidirectional: layer, merge }` (a forward and a backward copy of a
// recurrent layer). Read here into the recurrent layers with their wiring, checked entry by entry
// with errors that name the entry's index in the user's list.

import { checkBoolean, checkInteger, checkKeys, oneOf, plainObject } from '../checks.js';
import { ConfigError } from '../errors.js';
import { MERGE_MODES, type LayerSpec, type MergeMode } from '../stack-spec.js';

/**
 * A RepeatVector entry of `new RNN`'s layers: the recurrent layer below hands up its last output
 * only, and the layer above reads it at each of `repeatVector` steps (Keras's RepeatVector(n)).
 * @category Models
 */
export interface RepeatVectorOptions {
  /** Steps the layer above runs, each reading the last output of the layer below. */
  repeatVector: number;
}

/**
 * A Bidirectional entry of `new RNN`'s layers: a forward copy of the layer and a backward one over
 * reversed time, merged as Keras's merge_mode; weights forward copy then backward copy.
 * @category Models
 */
export interface BidirectionalOptions<L> {
  /** The recurrent layer both copies are made of. */
  bidirectional: L;
  /** How the copies' outputs merge: 'concat' (default, 2·units wide, forward first) or 'sum'. */
  merge?: MergeMode;
}

/** One recurrent layer of the list with its wiring: the user's options, the name its errors use. */
export interface WiredLayer<L> {
  readonly layer: L;
  readonly name: string;
  readonly repeat?: number;
  readonly merge?: MergeMode;
}

/** Most steps a RepeatVector may repeat (the decoder's scratch is checked again when bound). */
const MAX_REPEAT = 2 ** 20;

/**
 * The recurrent layers of a layer list with their wiring, and the model's returnSequences (the top
 * layer's own `returnSequences`, if it sets one, must agree with the model's).
 */
export function readWiring<L extends { returnSequences?: boolean }>(entries: ReadonlyArray<L | RepeatVectorOptions | BidirectionalOptions<L>>, modelSeq: boolean | undefined): { layers: WiredLayer<L>[]; seq: boolean } {
  const layers: WiredLayer<L>[] = [];
  const seqOf: Array<boolean | undefined> = [];
  let repeat: number | undefined;
  // Array.from visits the holes of a sparse array, so a missing entry is refused by name.
  Array.from(entries, (e: unknown, j) => {
    const name = `layers[${j}]`;
    if (plainObject(e) && 'repeatVector' in e) {
      checkKeys(name, e, ['repeatVector']);
      const n = checkInteger(`${name}.repeatVector`, e.repeatVector, 1, MAX_REPEAT);
      if (layers.length === 0) throw new ConfigError(name, e, 'a recurrent layer first: a repeatVector repeats the last output of the layer below it');
      if (repeat !== undefined) throw new ConfigError(name, e, `a recurrent layer between it and the repeatVector at layers[${j - 1}]`);
      if (seqOf[seqOf.length - 1] === true) throw new ConfigError(`${layers[layers.length - 1]!.name}.returnSequences`, true, `false or unset: the repeatVector at ${name} reads only its last output`);
      repeat = n;
      return;
    }
    let layer = e as L, merge: MergeMode | undefined, inner = name;
    if (plainObject(e) && 'bidirectional' in e) {
      checkKeys(name, e, ['bidirectional', 'merge']);
      merge = oneOf(`${name}.merge`, e.merge ?? 'concat', MERGE_MODES);
      if (!plainObject(e.bidirectional)) throw new ConfigError(`${name}.bidirectional`, e.bidirectional, 'a recurrent layer { cell, units, ... }');
      layer = e.bidirectional as L;
      inner = `${name}.bidirectional`;
    }
    const seq = plainObject(layer) && layer.returnSequences !== undefined ? checkBoolean(`${inner}.returnSequences`, layer.returnSequences) : undefined;
    layers.push({ layer, name: inner, ...(repeat !== undefined && { repeat }), ...(merge && { merge }) });
    seqOf.push(seq);
    repeat = undefined;
  });
  if (repeat !== undefined) throw new ConfigError(`layers[${entries.length - 1}]`, entries[entries.length - 1], 'a recurrent layer after the repeatVector: it needs a layer to read its steps');
  // A layer hands up every step unless a repeatVector is above it; it may say so, never the opposite.
  layers.forEach((l, k) => {
    const above = layers[k + 1];
    if (above && seqOf[k] === false && above.repeat === undefined) {
      throw new ConfigError(`${l.name}.returnSequences`, false, `true or unset: ${above.name} reads every step (put { repeatVector: n } between them to hand up the last output only)`);
    }
  });
  const top = seqOf[seqOf.length - 1];
  if (top !== undefined && modelSeq !== undefined && top !== modelSeq) {
    throw new ConfigError(`${layers[layers.length - 1]!.name}.returnSequences`, top, `${modelSeq} (the model's returnSequences) or unset`);
  }
  return { layers, seq: modelSeq ?? top ?? false };
}

/** The layer list that rebuilds resolved layers: each wiring as the entry `new RNN` reads. */
export function wiringEntries<L>(specs: readonly LayerSpec[], layer: (spec: LayerSpec) => L): Array<L | RepeatVectorOptions | BidirectionalOptions<L>> {
  return specs.flatMap((s) => {
    const l = layer(s);
    return [...(s.repeat !== undefined ? [{ repeatVector: s.repeat }] : []), s.merge ? { bidirectional: l, merge: s.merge } : l];
  });
}
