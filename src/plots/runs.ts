// What every figure shares about runs: one colour per run, downsampling to a size budget.

/**
 * The run colours, in order (Tableau 10): run i gets `RUN_COLORS[i % 10]` unless it names its own.
 * @category Plots
 */
export const RUN_COLORS: readonly string[] = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#ff9da6', '#9d755d', '#bab0ac'];

/** The colour scale for runs: the same run name gets the same colour in every figure built from the same list. */
export function runColorScale(runs: readonly { name: string; color?: string }[]): {
  /** The run names, in order. */
  domain: string[];
  /** Each run's colour: its own, else RUN_COLORS by its place in the list. */
  range: string[];
} {
  return { domain: runs.map((r) => r.name), range: runs.map((r, i) => r.color ?? RUN_COLORS[i % RUN_COLORS.length]!) };
}

/** The most vertices a figure draws for one curve or path: keeps a 50,000-epoch run's SVG far under 500 KB. */
export const MAX_VERTICES = 2500;

/**
 * Indices of `values` to draw, in order: all of them when there are at most `max`; else, per bucket of
 * consecutive points, the lowest and the highest, so spikes and the minimum survive; first and last always.
 */
export function downsampleCurve(values: readonly number[], max = MAX_VERTICES): number[] {
  const n = values.length;
  if (n <= max) return values.map((_, i) => i);
  const buckets = Math.floor((max - 2) / 2);
  const keep = [0];
  for (let b = 0; b < buckets; b++) {
    const [from, to] = [1 + Math.floor(((n - 2) * b) / buckets), 1 + Math.floor(((n - 2) * (b + 1)) / buckets)];
    let [lo, hi] = [from, from];
    for (let i = from; i < to; i++) {
      if (values[i]! < values[lo]!) lo = i;
      if (values[i]! > values[hi]!) hi = i;
    }
    if (to > from) keep.push(...(lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]));
  }
  keep.push(n - 1);
  return keep;
}

/**
 * Indices of a 2-D path to draw: a point is kept when it has moved more than `tol` (in each axis's units)
 * from the last kept one; first and last always; then every k-th if still over `max`.
 */
export function simplifyPath(xs: readonly number[], ys: readonly number[], tol: [number, number], max = MAX_VERTICES): number[] {
  const n = xs.length;
  if (n === 0) return [];
  let keep = [0];
  for (let i = 1; i < n - 1; i++) {
    const j = keep.at(-1)!;
    if (Math.abs(xs[i]! - xs[j]!) > tol[0] || Math.abs(ys[i]! - ys[j]!) > tol[1]) keep.push(i);
  }
  if (n > 1) keep.push(n - 1);
  if (keep.length > max) {
    const stride = Math.ceil(keep.length / max);
    keep = keep.filter((_, i) => i % stride === 0 || i === keep.length - 1);
  }
  return keep;
}
