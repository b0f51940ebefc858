// Axis ticks at powers of ten, few enough that every label can be read.

/** The decades e (ticks at 10^e) from `lo` up to `hi`, every other (or third…) one when there are more than `most`. */
function decades(lo: number, hi: number, most: number): number[] {
  const every = Math.max(1, Math.ceil((hi - lo + 1) / most));
  const out: number[] = [];
  for (let e = hi; e >= lo; e -= every) out.push(e);
  return out.reverse();
}

/** Ticks and domain of a log axis over positive `values`: 10^e from the decade below the smallest to the one above the largest. */
export function logTicks(values: readonly number[]): { ticks: number[]; domain: [number, number] } {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return { ticks: [1], domain: [0.1, 10] };
  let lo = Math.floor(Math.log10(Math.min(...pos)));
  let hi = Math.ceil(Math.log10(Math.max(...pos)));
  if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
  const e = decades(lo, hi, 8);
  return { ticks: e.map((d) => 10 ** d), domain: [10 ** Math.min(lo, e[0]!), 10 ** hi] };
}

/**
 * Ticks of a symmetric-log axis: 0 and ±10^e for the decades between the smallest non-zero |v| and the
 * largest, thinned to at most six a side. `constant` is the scale's linear threshold, the smallest decade,
 * so values near zero keep their own room; its ±tick is left out, too close to 0 to label.
 */
export function symlogTicks(values: readonly number[]): { ticks: number[]; constant: number } {
  const mags = values.map(Math.abs).filter((v) => v > 0 && Number.isFinite(v));
  if (mags.length === 0) return { ticks: [0], constant: 1 };
  const lo = Math.floor(Math.log10(Math.min(...mags)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...mags))));
  const e = decades(lo, hi, 6).filter((d) => d > lo);
  const pos = e.map((d) => 10 ** d);
  const ticks = [...(values.some((v) => v < 0) ? pos.map((v) => -v) : []), 0, ...(values.some((v) => v > 0) ? pos : [])].sort((a, b) => a - b);
  return { ticks, constant: 10 ** lo };
}
