import { checkInteger } from '../checks.js';
import { ConfigError } from '../errors.js';
import { RandomState } from '../random.js';
import { byteSize } from '../sizes.js';

/** Largest side of an initialised matrix (the models' sizes are at most 4096). */
const MAX_SIDE = 2 ** 16;
/** The orthogonal initialiser's work, rows·cols·min(rows, cols) multiply-adds, is bounded: 2048³ takes seconds. */
export const ORTHOGONAL_WORK = 2 ** 33;

/**
 * Weight initialisers of ElmanRNN, named as in Keras.
 * @category Models
 */
export type Initializer = 'glorotUniform' | 'orthogonal' | 'zeros';

/**
 * Every initialiser name.
 * @category Models
 */
export const INITIALIZERS: readonly Initializer[] = ['glorotUniform', 'orthogonal', 'zeros'];

/** A standard normal draw as numpy's legacy `standard_normal` makes it (Marsaglia's polar method, pairs cached). */
export class Gauss {
  private spare: number | undefined;
  constructor(private readonly rng: RandomState) {}

  next(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.rng.randomSample() - 1;
      x2 = 2 * this.rng.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.spare = f * x1;
    return f * x2;
  }
}

/**
 * Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (rows + cols)), row-major rows × cols.
 * @category Models
 */
export function glorotUniform(rng: RandomState, rows: number, cols: number): Float64Array {
  checkMatrix(rng, rows, cols);
  const limit = Math.sqrt(6 / (rows + cols));
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit);
  return out;
}

/**
 * A random orthogonal rows × cols matrix (rows ≥ cols: orthonormal columns, else orthonormal rows), as
 * Keras' `orthogonal`: Q of the QR factorisation of a standard normal matrix, signs fixed so diag(R) > 0,
 * which is what modified Gram–Schmidt gives directly. Costs rows·cols·min(rows, cols) multiply-adds,
 * synchronously: about 1 s at 1024 × 1024 and 8 s at 2048 × 2048 on a 2-core test machine; more work
 * than 2048³ is a ConfigError (use glorotUniform for such matrices).
 * @category Models
 */
export function orthogonal(rng: RandomState, rows: number, cols: number): Float64Array {
  checkMatrix(rng, rows, cols);
  const tall = rows >= cols;
  const m = tall ? rows : cols, n = tall ? cols : rows; // orthonormalise n vectors of length m
  if (n * n * m > ORTHOGONAL_WORK) throw new ConfigError('rows × cols', `${rows} × ${cols}`, `at most 2^33 multiply-adds for orthogonal (rows·cols·min(rows, cols); 2048 × 2048 is the largest square): use glorotUniform`);
  const gauss = new Gauss(rng);
  const v = new Float64Array(n * m); // vector j at v[j·m ..]
  for (let i = 0; i < v.length; i++) v[i] = gauss.next();
  // Right-looking: once v_q is normal, take its projection out of every later vector, four at a time so
  // four independent dot products share one pass. Each vector still sees q = 0, 1, … in order and each
  // dot sums over i in order: the same operations, so the same bits, as the textbook column-by-column loop.
  for (let q = 0; q < n; q++) {
    const a = q * m;
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[a + i]! ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 1e-12)) throw new ConfigError('orthogonal', norm, 'a full-rank random draw (retry with another seed)');
    for (let i = 0; i < m; i++) v[a + i]! /= norm;
    let j = q + 1;
    for (; j + 3 < n; j += 4) {
      const b0 = j * m, b1 = b0 + m, b2 = b1 + m, b3 = b2 + m;
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (let i = 0; i < m; i++) {
        const x = v[a + i]!;
        d0 += x * v[b0 + i]!;
        d1 += x * v[b1 + i]!;
        d2 += x * v[b2 + i]!;
        d3 += x * v[b3 + i]!;
      }
      for (let i = 0; i < m; i++) {
        const x = v[a + i]!;
        v[b0 + i]! -= d0 * x;
        v[b1 + i]! -= d1 * x;
        v[b2 + i]! -= d2 * x;
        v[b3 + i]! -= d3 * x;
      }
    }
    for (; j < n; j++) {
      const b = j * m;
      let d = 0;
      for (let i = 0; i < m; i++) d += v[a + i]! * v[b + i]!;
      for (let i = 0; i < m; i++) v[b + i]! -= d * v[a + i]!;
    }
  }
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) out[tall ? i * cols + j : j * cols + i] = v[j * m + i]!;
  return out;
}

/** An initialiser's arguments: a RandomState and integer sides whose float64 matrix fits in 1 GiB. */
function checkMatrix(rng: RandomState, rows: number, cols: number): void {
  if (!(rng instanceof RandomState)) throw new ConfigError('rng', rng, 'a RandomState');
  checkInteger('rows', rows, 1, MAX_SIDE);
  checkInteger('cols', cols, 1, MAX_SIDE);
  byteSize('rows × cols', `${rows} × ${cols}`, [rows, cols, 8], { cap: 2 ** 30, capReason: '1 GiB of float64' });
}

/** Fill a rows × cols block with the named initialiser. */
export function initialize(name: Initializer, rng: RandomState, rows: number, cols: number): Float64Array {
  if (name === 'glorotUniform') return glorotUniform(rng, rows, cols);
  if (name === 'orthogonal') return orthogonal(rng, rows, cols);
  if (name === 'zeros') return new Float64Array(rows * cols);
  throw new ConfigError('initializer', name, `one of ${INITIALIZERS.join(', ')}`);
}
