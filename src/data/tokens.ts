// Text as token ids: a vocabulary of characters (ids in code-point order, so the same text always
// gives the same ids), the check every id passes before a kernel reads it, and next-token data
// sets whose inputs and targets are ids (no one-hot rows: an embedding reads the inputs, the
// `sparseCce` loss the targets).

import { checkInteger, plainObject, strictKeys } from '../checks.js';
import { ConfigError, DataError } from '../errors.js';
import { byteSize } from '../sizes.js';
import type { Sequences } from './sequences.js';

/**
 * Throw DataError at the first value of `ids` that is not an integer in [0, vocab), naming its sample
 * and step: ids are time-major, `width` per sample of `samples` per step (`[steps][samples][width]`).
 */
export function checkIds(name: string, ids: ArrayLike<number>, samples: number, width: number, vocab: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (Number.isInteger(v) && v >= 0 && v < vocab) continue;
    const sample = Math.floor(i / width) % samples, step = Math.floor(i / (width * samples));
    throw new DataError(name, v, i, `a token id, an integer in [0, ${vocab}) (sample ${sample}, step ${step})`);
  }
}

/**
 * The saved form of a Vocabulary: `toJSON()` output, read back by `Vocabulary.fromJSON`.
 * @category Data and time series
 */
export interface VocabularyJSON {
  /** Identifies the object as a saved vocabulary. */
  format: 'elman.Vocabulary';
  /** Layout version of this form. */
  version: 1;
  /** The symbol of each id, in id order. */
  symbols: string[];
}

/**
 * Characters ↔ token ids. `Vocabulary.fromText` gives each distinct character (code point) of a
 * text an id, in code-point order: the same characters always get the same ids, whatever their order in the text.
 * @example
 * ```ts
 * import { Vocabulary } from 'elman-rnn';
 *
 * const vocab = Vocabulary.fromText('hello');  // symbols e h l o
 * vocab.encode('hole');                         // Int32Array [1, 3, 2, 0]
 * vocab.decode([1, 0, 2, 2, 3]);                // 'hello'
 * ```
 * @category Data and time series
 */
export class Vocabulary {
  /** The symbol of each id. */
  readonly symbols: readonly string[];
  private readonly ids = new Map<string, number>();

  /** A vocabulary of these symbols (each one character, code point, of its own), ids in the order given. */
  constructor(symbols: readonly string[]) {
    if (!Array.isArray(symbols) || symbols.length < 1) throw new ConfigError('symbols', symbols, 'a non-empty array of distinct characters');
    symbols.forEach((c: unknown, i) => {
      if (typeof c !== 'string' || [...c].length !== 1) throw new DataError('symbols', c, i, 'one character (code point)');
      if (this.ids.has(c)) throw new DataError('symbols', c, i, 'a character not already in the vocabulary');
      this.ids.set(c, i);
    });
    this.symbols = Object.freeze([...symbols]);
  }

  /** Every distinct character of `text`, in code-point order. */
  static fromText(text: string): Vocabulary {
    if (typeof text !== 'string' || text.length === 0) throw new ConfigError('text', text, 'a non-empty string');
    return new Vocabulary([...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  /** Rebuild a vocabulary saved by `toJSON`. */
  static fromJSON(json: VocabularyJSON): Vocabulary {
    if (!plainObject(json) || json.format !== 'elman.Vocabulary') throw new ConfigError('json.format', plainObject(json) ? json.format : json, '"elman.Vocabulary"');
    if (json.version !== 1) throw new ConfigError('json.version', json.version, '1');
    strictKeys('json', json, ['format', 'version', 'symbols']);
    return new Vocabulary(json.symbols);
  }

  /** Number of ids: the embedding's `vocab` and the head's `outputSize` of a model over this vocabulary. */
  get size(): number {
    return this.symbols.length;
  }

  /** The id of each character of `text`; a character outside the vocabulary is a DataError naming its index. */
  encode(text: string): Int32Array {
    if (typeof text !== 'string') throw new ConfigError('text', text, 'a string');
    const chars = [...text], out = new Int32Array(chars.length);
    chars.forEach((c, i) => {
      const id = this.ids.get(c);
      if (id === undefined) throw new DataError('text', c, i, 'a character of the vocabulary');
      out[i] = id;
    });
    return out;
  }

  /** The text of a list of ids; an id outside [0, size) is a DataError naming its index. */
  decode(ids: ArrayLike<number>): string {
    checkIds('ids', ids, 1, 1, this.size);
    let s = '';
    for (let i = 0; i < ids.length; i++) s += this.symbols[ids[i]!]!;
    return s;
  }

  /** The vocabulary as plain JSON; `Vocabulary.fromJSON` restores it. */
  toJSON(): VocabularyJSON {
    return { format: 'elman.Vocabulary', version: 1, symbols: [...this.symbols] };
  }
}

/**
 * A text as token ids with its vocabulary (`Vocabulary.fromText(text)`).
 * @category Data and time series
 */
export function tokens(text: string): {
  /** Every distinct character of the text, ids in code-point order. */
  vocabulary: Vocabulary;
  /** The text's characters as ids. */
  ids: Int32Array;
} {
  const vocabulary = Vocabulary.fromText(text);
  return { vocabulary, ids: vocabulary.encode(text) };
}

/**
 * Next-token data from a list of ids: sample n is the chunk ids[n·steps .. (n+1)·steps) as inputs
 * (inputSize 1, one id per step) and the same chunk shifted by one as targets (outputSize 1, one id
 * per step, `targetsPerStep`): for a model with an `embedding` and the `sparseCce` loss. The ids
 * after the last whole chunk are left out.
 * @category Data and time series
 */
export function tokenSequences(ids: ArrayLike<number>, steps: number): Sequences {
  checkInteger('steps', steps, 1);
  if (ids === null || typeof ids !== 'object' || !(ids.length >= steps + 1)) throw new ConfigError('ids', ids, `an array of at least steps + 1 = ${steps + 1} token ids`);
  checkIds('ids', ids, 1, 1, 2 ** 24); // float32 holds every integer below 2^24 exactly
  const samples = Math.floor((ids.length - 1) / steps);
  byteSize('ids', ids.length, [samples, steps, 2, 4], { cap: 2 ** 30, capReason: '1 GiB of float32 ids' });
  const x = new Float32Array(steps * samples), targets = new Float32Array(steps * samples);
  for (let n = 0; n < samples; n++) {
    for (let k = 0; k < steps; k++) {
      x[k * samples + n] = ids[n * steps + k]!;
      targets[k * samples + n] = ids[n * steps + k + 1]!;
    }
  }
  return { samples, steps, inputSize: 1, outputSize: 1, x, targets, targetsPerStep: true };
}
