import { checkKeys } from './checks.js';
import { ConfigError } from './errors.js';

const MAX_STEPS = 2 ** 24;

/** The element type of each sequence: `[number[][]]` → `[number[]]`. */
export type Elements<Seqs> = { [K in keyof Seqs]: Seqs[K] extends ArrayLike<infer E> ? E : never };

/** The initial values that are fed back, in order, skipping the `null`/`undefined` (not fed back) ones. */
export type FedBack<Info> = Info extends readonly [infer Head, ...infer Rest]
  ? Head extends null | undefined ? FedBack<Rest> : [Head, ...FedBack<Rest>]
  : [];

/** What `scan` returns: one output gives its step values; several give one array of step values per output, as theano does. */
export type ScanResult<Info, Ret> = Info extends readonly [unknown] ? Ret[] : { [K in keyof Ret]: Ret[K][] };

/** `scan`'s arguments, named as theano.scan's (`outputs_info` → `outputsInfo`, `n_steps` → `nSteps`). */
export interface ScanOptions<Seqs extends readonly ArrayLike<unknown>[], Info extends readonly unknown[], Non extends readonly unknown[], Ret> {
  /** Called once per step with (current element of each sequence, previous fed-back outputs, non-sequences). */
  fn: (...args: [...Elements<Seqs>, ...FedBack<Info>, ...Non]) => Ret;
  /** Sequences walked in step, element `t` at step `t`; always a list, even for one sequence. */
  sequences?: Seqs;
  /** One entry per output: its initial value if it is fed back to `fn`, `null`/`undefined` if not. Default `[undefined]`. */
  outputsInfo?: Info;
  /** Values passed unchanged to every call, after the previous outputs. */
  nonSequences?: Non;
  /** Number of steps; default the shortest sequence's length. */
  nSteps?: number;
}

/**
 * theano.scan in TypeScript: run `fn` once per step, feeding back its outputs, and collect them.
 *
 * `fn` returns the single output's new value, or an array of one value per output when `outputsInfo`
 * has several entries; scan stores what it returns, so return fresh values rather than mutate a prior.
 * Taps other than -1, negative (backwards) `nSteps` and truncated gradients are not supported.
 *
 * @example Doubling a value three times; the non-sequence 5 is passed to every call but unused.
 * ```ts
 * import { scan } from 'elman-rnn';
 *
 * console.log(scan({ fn: (prior: number, a: number) => prior * 2, outputsInfo: [5], nonSequences: [5], nSteps: 3 })); // [10, 20, 40]
 * ```
 *
 * @example A linear recurrence over the rows of a matrix, elementwise: s[t] = x[t] + 2 s[t-1].
 * ```ts
 * import { scan } from 'elman-rnn';
 *
 * console.log(scan({
 *   fn: (row: number[], prior: number[]) => row.map((x, i) => x + prior[i]! * 2),
 *   sequences: [[[1, 0], [0, 1], [1, 1]]],
 *   outputsInfo: [[0.5, 0.5]],
 * })); // [[2, 1], [4, 3], [9, 7]]
 * ```
 */
export function scan<
  Seqs extends readonly ArrayLike<unknown>[] | [] = [],
  Info extends readonly unknown[] | [] = [undefined],
  Non extends readonly unknown[] | [] = [],
  Ret = unknown,
>(options: ScanOptions<Seqs, Info, Non, Ret>): ScanResult<Info, Ret> {
  checkKeys('options', options, ['fn', 'sequences', 'outputsInfo', 'nonSequences', 'nSteps']);
  const { fn, sequences = [], outputsInfo = [undefined], nonSequences = [], nSteps } = options;
  if (typeof fn !== 'function') throw new ConfigError('fn', fn, 'a function');
  for (const [name, list] of [['sequences', sequences], ['outputsInfo', outputsInfo], ['nonSequences', nonSequences]] as const) {
    if (!Array.isArray(list)) throw new ConfigError(name, list, 'an array (a list, even of one item)');
  }
  sequences.forEach((seq, i) => {
    if (seq === null || typeof seq !== 'object' || !Number.isInteger(seq.length) || seq.length < 0) throw new ConfigError(`sequences[${i}]`, seq, 'an array');
  });
  if (outputsInfo.length === 0) throw new ConfigError('outputsInfo', outputsInfo, 'a list with an entry per output, at least one');
  if (nSteps === undefined && sequences.length === 0) {
    throw new ConfigError('nSteps', nSteps, 'a non-negative integer when there are no sequences to count the steps');
  }
  // A teaching loop keeps every output in a plain array: cap the steps well below what V8 can hold.
  if (nSteps !== undefined && (!Number.isInteger(nSteps) || nSteps < 0 || nSteps > MAX_STEPS)) {
    throw new ConfigError('nSteps', nSteps, `an integer in [0, ${MAX_STEPS}]`);
  }
  const tooShort = sequences.findIndex((seq) => nSteps !== undefined && seq.length < nSteps);
  if (tooShort >= 0) {
    throw new ConfigError('nSteps', nSteps, `at most the length of sequences[${tooShort}], ${sequences[tooShort]!.length}`);
  }
  const steps = nSteps ?? Math.min(...sequences.map((seq) => seq.length));

  const many = outputsInfo.length > 1;
  const fed = outputsInfo.flatMap((init, j) => (init === null || init === undefined ? [] : [j]));
  let previous: unknown[] = [...outputsInfo];
  const history: unknown[][] = outputsInfo.map(() => []);
  for (let t = 0; t < steps; t++) {
    const args = [...sequences.map((seq) => seq[t]), ...fed.map((j) => previous[j]), ...nonSequences];
    // The argument list is assembled at run time, so its tuple type cannot be checked here.
    const returned: unknown = (fn as (...a: unknown[]) => unknown)(...args);
    if (many && (!Array.isArray(returned) || returned.length !== outputsInfo.length)) {
      throw new ConfigError('fn', returned, `a function returning ${outputsInfo.length} outputs (one per outputsInfo entry) at step ${t}`);
    }
    previous = many ? (returned as unknown[]) : [returned];
    previous.forEach((value, j) => history[j]!.push(value));
  }
  return (many ? history : history[0]) as ScanResult<Info, Ret>;
}
