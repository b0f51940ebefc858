// The fuzz suite's harness: every case runs between two checks that hold for any input whatever:
// (1) what it throws is an ElmanError (anything else fails the case), (2) the arena's bytes in use
// are back where they were once the case disposed what it made, (3) two sentinel models bound
// before the suite (wasm, Elman and counter) still compute the bit-identical loss and gradient on
// their fixed data: no case reached into their memory.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { core, init } from '../../src/backends/wasm/core.js';
import { binaryAddition } from '../../src/data/binary-addition.js';
import { countOnes } from '../../src/data/count-ones.js';
import { ElmanError } from '../../src/errors.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { LinearRNN } from '../../src/models/linear.js';
import type { Binding } from '../../src/models/model.js';
import { RandomState } from '../../src/random.js';

export const FUZZ_SEED = Number(process.env.FC_SEED ?? 20261129);

/** Values that break naive validation: NaN, ±0, huge and tiny numbers, BigInt, strings, objects. */
export const weird = fc.oneof(
  fc.integer({ min: -3, max: 12 }),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.5, 1.5, 2 ** 31, 2 ** 32, 2 ** 33, 2 ** 53, 1e308, 6.4e-323, Number.MAX_VALUE),
  fc.constantFrom(3n, -1n, '2', '', 'tanh', 'mse', null, undefined, true, false, [], {}, [1, 0], new Float32Array(3), () => 1),
);

// Per test: the cases run and those rejected with an ElmanError (issue 18 item 7). A property whose
// cases are all rejected proves nothing about the accepted path: a constructor that always throws
// would pass it. Every fuzz test must note its cases, and accept at least its share of them.
const tally = { cases: 0, rejected: 0 };

/** Count one case's outcome: an ElmanError is a rejection, anything else an accepted case. Returns it. */
export function note<T>(result: T): T {
  tally.cases++;
  if (result instanceof ElmanError) tally.rejected++;
  return result;
}

/**
 * Check after every test of the file that it noted cases (through `note` or the harness) and that at
 * least `min` of them (default 5%) were accepted; `floors` sets another share for a test by its name
 * ('not a property' for a single check that runs no generated cases).
 */
export function acceptedShareEach(min = 0.05, floors: Record<string, number | 'not a property'> = {}): void {
  beforeEach(() => {
    tally.cases = 0;
    tally.rejected = 0;
  });
  afterEach((context) => {
    const name = context.task.name;
    const floor = floors[name] ?? min;
    if (floor === 'not a property') return;
    const accepted = tally.cases - tally.rejected;
    if (tally.cases === 0) expect.fail(`fuzz test "${name}" noted no cases: pass its outcomes through note()`);
    if (accepted < floor * tally.cases) expect.fail(`fuzz test "${name}": ${accepted} of ${tally.cases} cases accepted, below the floor of ${(floor * 100).toFixed(1)}%`);
  });
}

/** Registers something a case made, to be disposed when the case ends. */
type Keep = <D extends { dispose(): void }>(d: D) => D;

interface Sentinel {
  binding: Binding;
  grads: Float32Array;
  loss: number;
  gradsNow: () => Float32Array;
}

/** Counts cases, checks the sentinels and the arena around each, and prints one summary line. */
export class Fuzz {
  cases = 0;
  rejected = 0;
  private readonly started = performance.now();
  private readonly sentinels: Sentinel[] = [];
  private readonly disposeLater: Array<() => void> = [];

  constructor(private readonly name: string) {
    // Bound before any case runs, and never touched by one: their results must not move.
    const elman = new ElmanRNN({ inputSize: 2, hiddenSize: 5, outputSize: 1, outputActivation: 'sigmoid', returnSequences: true, seed: 11 });
    const addition = elman.place(binaryAddition({ samples: 6, bits: 5, rng: new RandomState(12) }));
    const counter = new LinearRNN({ wx: 0.7, wRec: 0.95 });
    const counting = counter.place(countOnes({ samples: 9, length: 7, rng: new RandomState(13) }));
    for (const [model, placed, loss] of [[elman, addition, 'bce'], [counter, counting, 'sse']] as const) {
      const binding = (model as ElmanRNN).bind(placed, { loss: loss as 'bce' });
      const value = binding.lossAndGrad(0);
      this.sentinels.push({ binding, loss: value, grads: model.grads.slice(), gradsNow: () => model.grads });
    }
    this.disposeLater.push(() => elman.dispose(), () => counter.dispose());
  }

  /**
   * Run one case: `body` gets `keep` to register what must be disposed after it. The body's own
   * exceptions count as rejections when they are ElmanErrors and fail the case otherwise.
   */
  run<T>(body: (keep: Keep) => T): T | ElmanError {
    const c = this.begin();
    try {
      return this.attempt(() => body(c.keep));
    } finally {
      c.end();
    }
  }

  /** The async twin of `run`, for `train` and `init`. */
  async runAsync<T>(body: (keep: Keep) => Promise<T>): Promise<T | ElmanError> {
    const c = this.begin();
    try {
      const settled = await body(c.keep).then(
        (value) => ({ value }),
        (e: unknown) => ({ value: this.rejection(e) }),
      );
      return this.attempt(() => settled.value);
    } finally {
      c.end();
    }
  }

  /**
   * One call on an object that may legitimately keep memory for its lifetime (a binding's shuffle
   * copies): a case like `run`, whose arena check is left to the enclosing `run` that disposes it.
   */
  attempt<T>(fn: () => T): T | ElmanError {
    let result: T | ElmanError;
    try {
      result = fn();
    } catch (e) {
      result = this.rejection(e);
    }
    if (result instanceof ElmanError) this.rejected++;
    this.cases++;
    note(result);
    this.checkSentinels();
    return result;
  }

  private rejection(e: unknown): ElmanError {
    if (e instanceof ElmanError) return e;
    throw e;
  }

  /** Note the arena before a case; `end` disposes what the case kept and checks the arena is back. */
  private begin(): { keep: Keep; end(): void } {
    const before = core().arena.bytesInUse;
    const kept: Array<{ dispose(): void }> = [];
    return {
      keep: (d) => {
        kept.push(d);
        return d;
      },
      end: () => {
        for (const d of kept) d.dispose();
        const now = core().arena.bytesInUse;
        if (now !== before) expect.fail(`arena bytes in use ${before} before the case, ${now} after`);
        this.checkSentinels();
      },
    };
  }

  private checkSentinels(): void {
    for (const s of this.sentinels) {
      const loss = s.binding.lossAndGrad(0);
      if (!Object.is(loss, s.loss) || !s.gradsNow().every((g, i) => Object.is(g, s.grads[i]))) {
        expect.fail(`a sentinel model's loss changed: ${s.loss} before, ${loss} now`);
      }
    }
  }

  /** Dispose the sentinels and print `fuzz <name>: N cases (R rejected with an ElmanError) in T s`. */
  finish(): string {
    for (const d of this.disposeLater) d();
    const line = `fuzz ${this.name}: ${this.cases} cases (${this.rejected} rejected with an ElmanError) in ${((performance.now() - this.started) / 1000).toFixed(1)} s`;
    console.log(line);
    return line;
  }
}


/**
 * Set (or delete) `path` ('config.layers.0') of a parsed file as an own key, even `__proto__`:
 * descend while the keys lead to objects, then edit the last key where the descent stopped.
 */
export function editPath(file: Record<string, unknown>, path: string, value: unknown, remove = false): void {
  const keys = path.split('.');
  let target = file;
  for (const k of keys.slice(0, -1)) {
    const next = target[k];
    if (typeof next !== 'object' || next === null) break;
    target = next as Record<string, unknown>;
  }
  if (remove) delete target[keys.at(-1)!];
  else Object.defineProperty(target, keys.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
}

/** True unless `r` is the ElmanError a case was rejected with. */
export const ok = <T>(r: T | ElmanError): r is T => !(r instanceof ElmanError);

/**
 * Set up a fuzz file: the core loaded and a harness made before its tests, the summary line printed
 * after them, and fast-check seeded (FC_SEED=<n> explores other cases); every test must accept 5% of
 * its cases, or its share in `floors`. Returns the harness's calls.
 */
export function fuzzSuite(name: string, floors: Record<string, number> = {}): Pick<Fuzz, 'run' | 'runAsync' | 'attempt'> {
  let fuzz: Fuzz | undefined;
  fc.configureGlobal({ seed: FUZZ_SEED });
  acceptedShareEach(0.05, floors);
  beforeAll(async () => {
    await init();
    fuzz = new Fuzz(name);
  });
  afterAll(() => fuzz?.finish());
  return { run: (body) => fuzz!.run(body), runAsync: (body) => fuzz!.runAsync(body), attempt: (fn) => fuzz!.attempt(fn) };
}
