import { ConfigError } from '../errors.js';
import { RandomState } from '../random.js';

/** Weight initialisers of ElmanRNN, named as in Keras. */
export type Initializer = 'glorotUniform' | 'orthogonal' | 'zeros';

/** Every initialiser name. */
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

/** Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (rows + cols)), row-major rows × cols. */
export function glorotUniform(rng: RandomState, rows: number, cols: number): Float64Array {
  const limit = Math.sqrt(6 / (rows + cols));
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit);
  return out;
}

/**
 * A random orthogonal rows × cols matrix (rows ≥ cols: orthonormal columns, else orthonormal rows), as
 * Keras' `orthogonal`: Q of the QR factorisation of a standard normal matrix, signs fixed so diag(R) > 0,
 * which is what modified Gram–Schmidt gives directly.
 */
export function orthogonal(rng: RandomState, rows: number, cols: number): Float64Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols, n = tall ? cols : rows; // orthonormalise n vectors of length m
  const gauss = new Gauss(rng);
  const v = new Float64Array(n * m); // vector j at v[j·m ..]
  for (let i = 0; i < v.length; i++) v[i] = gauss.next();
  for (let j = 0; j < n; j++) {
    for (let q = 0; q < j; q++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += v[q * m + i]! * v[j * m + i]!;
      for (let i = 0; i < m; i++) v[j * m + i]! -= dot * v[q * m + i]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[j * m + i]! ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 1e-12)) throw new ConfigError('orthogonal', norm, 'a full-rank random draw (retry with another seed)');
    for (let i = 0; i < m; i++) v[j * m + i]! /= norm;
  }
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) out[tall ? i * cols + j : j * cols + i] = v[j * m + i]!;
  return out;
}

/** Fill a rows × cols block with the named initialiser. */
export function initialize(name: Initializer, rng: RandomState, rows: number, cols: number): Float64Array {
  if (name === 'glorotUniform') return glorotUniform(rng, rows, cols);
  if (name === 'orthogonal') return orthogonal(rng, rows, cols);
  if (name === 'zeros') return new Float64Array(rows * cols);
  throw new ConfigError('initializer', name, `one of ${INITIALIZERS.join(', ')}`);
}
