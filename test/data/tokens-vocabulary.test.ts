import { describe, expect, test } from 'vitest';
import { ConfigError, DataError, tokens, tokenSequences, Vocabulary } from '../../src/index.js';

// The vocabulary helper: characters ↔ ids in code-point order, whatever the text's order; saved and
// restored; next-token data sets of ids (inputs and targets one id a step).
describe('Vocabulary', () => {
  test('ids follow code-point order, so two texts with the same characters get the same ids', () => {
    const a = Vocabulary.fromText('hello world'), b = Vocabulary.fromText('world hello');
    // ' ' 32, d 100, e 101, h 104, l 108, o 111, r 114, w 119
    expect(a.symbols).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(b.symbols).toEqual(a.symbols);
    expect(Array.from(a.encode('hello'))).toEqual([3, 2, 4, 4, 5]);
    expect(a.decode(a.encode('hello world'))).toBe('hello world');
    expect(a.size).toBe(8);
  });

  test('characters beyond the basic plane are one symbol each', () => {
    const { vocabulary, ids } = tokens('a😀b😀');
    expect(vocabulary.symbols).toEqual(['a', 'b', '😀']);
    expect(Array.from(ids)).toEqual([0, 2, 1, 2]);
    expect(vocabulary.decode(ids)).toBe('a😀b😀');
  });

  test('toJSON / fromJSON restore the same ids', () => {
    const v = Vocabulary.fromText('the quick brown fox');
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v)));
    expect(back.symbols).toEqual(v.symbols);
    expect(back.encode('quick fox')).toEqual(v.encode('quick fox'));
  });

  test('hostile input is refused by name', () => {
    const v = Vocabulary.fromText('abc');
    expect(() => v.encode('abd')).toThrow(/text\[2\] must be a character of the vocabulary, got "?d/);
    expect(() => v.decode([0, 3])).toThrow(DataError);
    expect(() => v.decode([0, 1.5])).toThrow(/ids\[1\]/);
    expect(() => Vocabulary.fromText('')).toThrow(ConfigError);
    expect(() => new Vocabulary(['a', 'a'])).toThrow(/symbols\[1\]/);
    expect(() => new Vocabulary(['ab'])).toThrow(DataError);
    expect(() => Vocabulary.fromJSON({ format: 'elman.Vocabulary', version: 2, symbols: ['a'] } as never)).toThrow(/json.version/);
  });
});

describe('tokenSequences', () => {
  test('chunks of `steps` ids as inputs and the same shifted by one as targets, time-major', () => {
    const ids = [0, 1, 2, 3, 4, 5, 6, 7];
    const d = tokenSequences(ids, 3); // (8 − 1) / 3 → 2 samples: 0 1 2 → 1 2 3, 3 4 5 → 4 5 6
    expect([d.samples, d.steps, d.inputSize, d.outputSize, d.targetsPerStep]).toEqual([2, 3, 1, 1, true]);
    expect(Array.from(d.x)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(Array.from(d.targets)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => tokenSequences([0, 1], 2)).toThrow(/ids must be an array of at least steps \+ 1 = 3/);
    expect(() => tokenSequences([0, -1, 2], 1)).toThrow(/ids\[1\]/);
  });
});
