import { ConfigError, ShapeError } from './errors.js';

/** WebAssembly's 32-bit address space: no block of one memory can be larger. */
export const WASM32_BYTES = 2 ** 32;

/** How `byteSize` reports a size that does not fit. */
export interface SizeLimit {
  /** A tighter limit in bytes than WebAssembly's 4 GiB (e.g. 2^30 for a generated data set). */
  cap?: number;
  /** What the cap stands for, in the message (default: "the limit of N bytes"). */
  capReason?: string;
  /** 'shape' for sizes that come from data (ShapeError), 'config' for options (ConfigError, the default). */
  kind?: 'config' | 'shape';
}

/**
 * The byte size of a block of `factors[0] × factors[1] × …` (the element size among them), multiplied
 * in float64, never in 32 bits: the product is exact up to 2^53, far beyond 4 GiB, so a size that wraps
 * in a 32-bit core is caught here. Throws ConfigError (or ShapeError with `kind: 'shape'`) naming
 * `argument` and `value` when a factor is not a non-negative safe integer, or the product exceeds
 * 4 GiB or `cap`. Call it before allocating anything.
 */
export function byteSize(argument: string, value: unknown, factors: readonly number[], limit: SizeLimit = {}): number {
  const cap = limit.cap ?? WASM32_BYTES;
  if (!(cap >= 0 && cap <= WASM32_BYTES)) throw new ConfigError('cap', cap, `a byte count in [0, ${WASM32_BYTES}]`);
  let bytes = 1;
  for (const f of factors) {
    if (typeof f !== 'number' || !Number.isSafeInteger(f) || f < 0) throw new ConfigError(argument, value, 'a size made of non-negative integers');
    // Above 2^53 the product is no longer exact, but it is already far over any limit: stop there.
    bytes = Math.min(bytes * f, Number.MAX_SAFE_INTEGER + 1);
  }
  if (bytes > cap) {
    const what = cap === WASM32_BYTES ? 'WebAssembly memory (4 GiB)' : (limit.capReason ?? `the limit of ${cap} bytes`);
    const need = bytes > Number.MAX_SAFE_INTEGER ? 'more than 2^53 bytes' : `${bytes} bytes`;
    const factorsText = factors.join(' × ');
    if (limit.kind === 'shape') throw new ShapeError(argument, value, `fit in ${what}`, `${factorsText} = ${need}`);
    throw new ConfigError(argument, value, `small enough to fit in ${what}: it needs ${factorsText} = ${need}`);
  }
  return bytes;
}

/** The sum of byte sizes from `byteSize`, checked the same way (a set of blocks must fit together). */
export function totalBytes(argument: string, value: unknown, sizes: readonly number[], limit: SizeLimit = {}): number {
  let sum = 0;
  for (const s of sizes) sum += byteSize(argument, value, [s], limit);
  return byteSize(argument, value, [sum], limit);
}

/** The cap's reason for lossAt, whose float64 reference (gradCheck's) runs every sample at once. */
export const LOSS_AT_CAP = '2 GiB of float64 scratch for lossAt (check a slice)';
