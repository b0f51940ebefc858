import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { scan } from '../src/scan.js';

describe('the tutorial examples', () => {
  it('doubles 5 three times; the non-sequence is passed but unused', () => {
    // 5 → 10 → 20 → 40; the initial value is not part of the result, as in theano.
    const out = scan({ fn: (prior, a) => prior * 2, outputsInfo: [5], nonSequences: [5], nSteps: 3 });
    expectTypeOf(out).toEqualTypeOf<number[]>();
    expect(out).toEqual([10, 20, 40]);
  });

  it('runs s[t] = x[t] + 2 s[t-1] elementwise over the rows of a matrix', () => {
    // [1,0] + 2[0.5,0.5] = [2,1]; [0,1] + 2[2,1] = [4,3]; [1,1] + 2[4,3] = [9,7].
    const out = scan({
      fn: (row, prior) => row.map((x, i) => x + prior[i]! * 2),
      sequences: [[[1, 0], [0, 1], [1, 1]]],
      outputsInfo: [[0.5, 0.5]],
    });
    expectTypeOf(out).toEqualTypeOf<number[][]>();
    expect(out).toEqual([[2, 1], [4, 3], [9, 7]]);
  });
});

describe('argument order and outputs', () => {
  it('passes sequence elements, then fed-back priors, then non-sequences', () => {
    const calls: unknown[][] = [];
    scan({
      fn: (x: number, y: string, prior: number, k: string) => {
        calls.push([x, y, prior, k]);
        return prior + x;
      },
      sequences: [[1, 2], ['a', 'b']],
      outputsInfo: [100],
      nonSequences: ['k'],
    });
    expect(calls).toEqual([
      [1, 'a', 100, 'k'],
      [2, 'b', 101, 'k'],
    ]);
  });

  it('returns one array of step values per output when there are several', () => {
    // Fibonacci as two fed-back outputs: (a, b) → (b, a + b), from (0, 1).
    const [a, b] = scan({
      fn: (a: number, b: number): [number, number] => [b, a + b],
      outputsInfo: [0, 1],
      nSteps: 5,
    });
    expectTypeOf(a).toEqualTypeOf<number[]>();
    expect(a).toEqual([1, 1, 2, 3, 5]);
    expect(b).toEqual([1, 2, 3, 5, 8]);
  });

  it('does not feed back an output whose outputsInfo entry is null or undefined', () => {
    // The running sum is fed back; its square (entry null) is returned but never passed to fn.
    const arities: number[] = [];
    const [sum, square, label] = scan({
      fn: (...args: number[]): [number, number, string] => {
        arities.push(args.length);
        const [x = NaN, prior = NaN] = args;
        return [prior + x, (prior + x) ** 2, `step ${x}`];
      },
      sequences: [[1, 2, 3]],
      outputsInfo: [0, null, undefined],
    });
    // Each call got the sequence element and the one fed-back prior, nothing for the other two outputs.
    expect(arities).toEqual([2, 2, 2]);
    expect(sum).toEqual([1, 3, 6]);
    expect(square).toEqual([1, 9, 36]);
    expect(label).toEqual(['step 1', 'step 2', 'step 3']);
  });

  it('makes one output, not fed back, when outputsInfo is omitted', () => {
    expect(scan({ fn: (x: number, y: number) => x * y, sequences: [[1, 2, 3], [4, 5, 6]] })).toEqual([4, 10, 18]);
  });

  it('stops at nSteps when it is shorter than the sequences', () => {
    expect(scan({ fn: (x: number, prior: number) => x + prior, sequences: [[1, 2, 3, 4]], outputsInfo: [0], nSteps: 2 })).toEqual([1, 3]);
  });

  it('stops at the shortest sequence when nSteps is not given', () => {
    expect(scan({ fn: (x: number, y: number) => x - y, sequences: [[10, 20, 30], new Float64Array([1, 2])] })).toEqual([9, 18]);
  });

  it('runs zero steps into empty outputs', () => {
    expect(scan({ fn: (prior: number) => prior, outputsInfo: [1], nSteps: 0 })).toEqual([]);
    expect(scan({ fn: (a: number, b: number) => [a, b], outputsInfo: [1, 2], nSteps: 0 })).toEqual([[], []]);
  });
});

describe('errors', () => {
  const twice = (prior: number) => prior * 2;

  it('needs nSteps when there are no sequences', () => {
    expect(() => scan({ fn: twice, outputsInfo: [1] })).toThrow(ConfigError);
    expect(() => scan({ fn: twice, outputsInfo: [1] })).toThrow(/^nSteps must be/);
  });

  it.each([-1, 1.5, NaN, Infinity])('rejects nSteps = %s', (nSteps) => {
    expect(() => scan({ fn: twice, outputsInfo: [1], nSteps })).toThrow(/^nSteps must be an integer in \[0, 16777216\], got /);
  });

  it('rejects nSteps longer than a sequence, naming the sequence', () => {
    const fn = (x: number, y: number) => x + y;
    expect(() => scan({ fn, sequences: [[1, 2, 3], [1, 2]], nSteps: 3 })).toThrow(
      /^nSteps must be at most the length of sequences\[1\], 2, got 3$/,
    );
  });

  it('rejects a function that returns the wrong number of outputs', () => {
    const fn = (a: number, b: number) => [a + b];
    expect(() => scan({ fn, outputsInfo: [1, 2], nSteps: 2 })).toThrow(/^fn must be a function returning 2 outputs .* at step 0/);
  });

  it('rejects a missing fn and an empty outputsInfo', () => {
    expect(() => scan({ fn: undefined as unknown as () => number, nSteps: 1 })).toThrow(/^fn must be a function/);
    // With no outputs nothing is fed back, so the types (rightly) refuse a one-argument fn.
    expect(() => scan({ fn: () => 0, outputsInfo: [], nSteps: 1 })).toThrow(/^outputsInfo must be/);
  });
});
