import { ConfigError } from './errors.js';

// MT19937 as in numpy's legacy generator (Matsumoto & Nishimura 2002, `init_genrand`):
// N words of state, twisted M words apart; MATRIX_A is the twist, UPPER/LOWER split a word.
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/** A saved MT19937 stream, as numpy's `get_state()[1:3]`: 624 key words and the next word's index in [0, 624]. */
export interface RandomStateSnapshot {
  /** Layout version of the snapshot. */
  version: 1;
  /** The 624 words of MT19937 state. */
  key: Uint32Array;
  /** Index of the next word to use, in [0, 624] (624: twist first). */
  pos: number;
}

/**
 * numpy's legacy global generator (`np.random.seed(seed)` then `rand`, `uniform`), reproduced bit for bit.
 * @example
 * ```ts
 * import { RandomState } from 'elman-rnn';
 *
 * const rng = new RandomState(1);         // numpy: np.random.seed(1)
 * console.log(rng.rand(3));               // np.random.rand(3), bit for bit
 * console.log(rng.uniform(-0.1, 0.1));    // np.random.uniform(-0.1, 0.1)
 * ```
 * @category Data and time series
 */
export class RandomState {
  private readonly key = new Uint32Array(N);
  private pos = N;

  /** A stream seeded as `np.random.seed(seed)` seeds it; see `seed`. */
  constructor(seed: number) {
    this.seed(seed);
  }

  /** Restart the stream as `np.random.seed(seed)` does for an integer seed in [0, 2^32 - 1]. */
  seed(seed: number): void {
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new ConfigError('seed', seed, 'an integer in [0, 2^32 - 1]');
    }
    const key = this.key;
    key[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = key[i - 1]!;
      // Math.imul and the Uint32Array store keep everything mod 2^32, as numpy's C code does.
      key[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
    // pos = N makes the first draw twist the whole key, as numpy's freshly seeded state does.
    this.pos = N;
  }

  /** One raw 32-bit draw, an integer in [0, 2^32 - 1]. */
  randint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** One double in [0, 1) with 53 random bits, exactly as numpy's `random_sample()`. */
  randomSample(): number {
    // Two statements, so the 27-bit high part is drawn before the 26-bit low part, as numpy does.
    const a = this.randint32() >>> 5;
    const b = this.randint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `n` doubles in [0, 1), as numpy's `rand(n)`; `rand(rows * cols)` is `rand(rows, cols)` row-major. */
  rand(n: number): Float64Array {
    // A Float64Array of at most 1 GiB: a larger n is refused before anything is drawn or allocated.
    if (!Number.isInteger(n) || n < 0 || n > 2 ** 27) throw new ConfigError('n', n, 'a non-negative integer, at most 2^27 (1 GiB of float64)');
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.randomSample();
    return out;
  }

  /** One double in [low, high) (or (high, low] when high < low), as numpy's `uniform(low, high)`. */
  uniform(low: number, high: number): number {
    if (!Number.isFinite(low)) throw new ConfigError('low', low, 'a finite number');
    if (!Number.isFinite(high)) throw new ConfigError('high', high, 'a finite number');
    const range = high - low;
    // numpy refuses a range that overflows (uniform(-1e308, 1e308)) rather than return infinities.
    if (!Number.isFinite(range)) throw new ConfigError('high', high, `within a finite distance of low = ${low}`);
    return low + range * this.randomSample();
  }

  /** A copy of the stream's state, to resume it later with `setState`. */
  getState(): RandomStateSnapshot {
    return { version: 1, key: this.key.slice(), pos: this.pos };
  }

  /** Resume the stream saved by `getState` (or numpy's `get_state()[1]` and `[2]`); the state is copied. */
  setState(state: RandomStateSnapshot): void {
    if (typeof state !== 'object' || state === null || state.version !== 1) {
      throw new ConfigError('state.version', state?.version, '1');
    }
    const { key, pos } = state;
    if (!(key instanceof Uint32Array) || key.length !== N) throw new ConfigError('state.key', key, `a Uint32Array(${N})`);
    if (!Number.isInteger(pos) || pos < 0 || pos > N) throw new ConfigError('state.pos', pos, `an integer in [0, ${N}]`);
    // Only key[0]'s top bit enters the recurrence; with it and the rest all zero, every draw is 0.
    if ((key[0]! & UPPER) === 0 && key.every((w, i) => i === 0 || w === 0)) {
      throw new ConfigError('state.key', key, 'a key with a non-zero word (an all-zero MT19937 state only yields zeros)');
    }
    this.key.set(key);
    this.pos = pos;
  }

  /** Regenerate all N words at once (numpy's `mt19937_gen`); later words read already-twisted ones. */
  private twist(): void {
    const key = this.key;
    for (let i = 0; i < N; i++) {
      const y = (key[i]! & UPPER) | (key[(i + 1) % N]! & LOWER);
      key[i] = key[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.pos = 0;
  }
}
