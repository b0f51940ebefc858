// Timing for a shared machine: every row is warmed up (until its code is optimised), then the rows
// take turns, round after round, so a burst of someone else's load falls on all of them; each row's
// figure is the median of its rounds. A row's sample is as many back-to-back calls as fill `sampleMs`
// (same work per call; the figure is per call), so a sub-millisecond call is not read off a clock
// tick or one background compile. Before every sample, outside the timing and for every row alike,
// a young-generation collection clears the garbage the previous row left, so no row pays another's.
// Wall time and the CPU time of the thread that runs the row (Linux's /proc/thread-self/schedstat,
// nanoseconds on a CPU; else process.threadCpuUsage; else process.cpuUsage, every thread): a
// process-wide clock charged one row for what other threads did meanwhile (the plain-JS worker's
// samples read 437 µs of CPU in 338 µs of wall time). Rows that run worker threads say `allThreads`.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const SCHEDSTAT = '/proc/thread-self/schedstat';
const schedstat = (() => {
  try {
    return Number.isFinite(Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]));
  } catch {
    return false;
  }
})();
const usage = (u) => (u.user + u.system) / 1e3;
const schedMs = () => Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
/**
 * The median step of the schedstat clock over ~30 ms of work: some kernels (tick-based accounting,
 * as on this project's VMs) advance it 4 ms at a time, which would make a 20 ms sample ±20%: samples
 * are then lengthened (SAMPLE_FLOOR_MS).
 */
const schedTickMs = (() => {
  if (!schedstat) return Infinity;
  let last = schedMs();
  const steps = [];
  for (const t0 = performance.now(); performance.now() - t0 < 30; ) {
    const now = schedMs();
    if (now !== last) [last] = [now, steps.push(now - last)];
  }
  return steps.length ? steps.sort((a, b) => a - b)[steps.length >> 1] : Infinity;
})();
/** This thread's CPU time in ms (see above for the clock). */
export const threadCpuMs = schedstat
  ? schedMs
  : typeof process.threadCpuUsage === 'function'
    ? () => usage(process.threadCpuUsage())
    : () => usage(process.cpuUsage());
/** Every thread's CPU time in ms. */
export const processCpuMs = () => usage(process.cpuUsage());
/**
 * The shortest sample that reads a tick-based thread clock to about ±4% (25 ticks); 0 with a fine clock.
 * (process.cpuUsage is fine-grained but counts every thread: V8's background GC and compiler
 * threads landed in single-threaded rows' samples, 25–35% of them after a full collection.)
 */
export const SAMPLE_FLOOR_MS = schedstat && schedTickMs >= 0.5 ? 25 * schedTickMs : 0;
export const CPU_CLOCK = schedstat
  ? `the row's thread (/proc/thread-self/schedstat${SAMPLE_FLOOR_MS ? `, which this kernel advances ${schedTickMs.toFixed(1)} ms at a time: every sample at least ${SAMPLE_FLOOR_MS.toFixed(0)} ms` : ''}); rows with worker threads: process.cpuUsage (all threads)`
  : typeof process.threadCpuUsage === 'function'
    ? 'process.threadCpuUsage'
    : 'process.cpuUsage (all threads)';

/**
 * Median CPU ms per call of `fn` (synchronous) on this thread's clock: called until `warmMs` have
 * passed and at least `calls` times, then `samples` samples of as many calls as fill SAMPLE_FLOOR_MS
 * (at least `calls`).
 */
export function cpuPerCall(fn, { calls = 1, samples = 7, warmMs = 20 } = {}) {
  const w0 = performance.now();
  let n = 0;
  do {
    fn();
    n++;
  } while (n < calls || performance.now() - w0 < warmMs);
  const k = Math.max(calls, Math.ceil(SAMPLE_FLOOR_MS / Math.max((performance.now() - w0) / n, 1e-6)));
  const t = [];
  for (let s = 0; s < samples; s++) {
    const c0 = threadCpuMs();
    for (let i = 0; i < k; i++) fn();
    t.push((threadCpuMs() - c0) / k);
  }
  return t.sort((a, b) => a - b)[samples >> 1];
}

// gc() without --expose-gc on the command line: the flag, set at run time, exposes it to a new context.
setFlagsFromString('--expose-gc');
const gc = globalThis.gc ?? runInNewContext('gc');
/** A young-generation (scavenge) collection: the previous row's short-lived garbage, not the whole heap. */
export const collectYoung = () => gc({ type: 'minor' });

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * The median of `ratios` and a distribution-free interval for it: the k-th smallest and k-th largest,
 * k the largest with P(Binomial(n, ½) < k) ≤ 2.5 % (each ratio falls below the true median with
 * probability ½), at least 1 (the whole range, for fewer than 6 ratios); `level` is the interval's
 * exact coverage, 1 − 2·P(Binomial(n, ½) < k).
 */
export function medianInterval(ratios) {
  const s = [...ratios].sort((a, b) => a - b), n = s.length;
  let k = 1, below = 0.5 ** n, term = n * 0.5 ** n; // below: P(B < k); term: P(B = k)
  while (k < n >> 1 && below + term <= 0.025) {
    below += term;
    term *= (n - k) / (k + 1);
    k++;
  }
  return { median: median(s), low: s[k - 1], high: s[n - k], level: 1 - 2 * below };
}

/** `calls` timed calls in a row: { wall, cpu } in ms per call; `allThreads`: CPU of every thread of the process (rows that run worker threads). */
async function timeCalls(fn, calls, allThreads = false) {
  const now = allThreads ? processCpuMs : threadCpuMs;
  const c0 = now();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  const wall = performance.now() - t0;
  return { wall: wall / calls, cpu: (now() - c0) / calls };
}

/**
 * Interleaved rounds over `rows` ({ run }: one call, maybe async), in reverse order every other round. Each row is first called until
 * `warmMs` have passed (at least once); a row whose call then took longer than `slow` ms gets
 * `minRounds` rounds, the others `rounds`. Resolves to the rows with { wall, cpu, rounds, calls }
 * added (medians, ms per call; `calls`: calls per sample; `samples`: each round's { wall, cpu }). `fullGc`: a full collection before each
 * sample instead of a young-generation one.
 */
export async function interleaved(rows, { rounds = 7, minRounds = 3, slow = 1000, warmMs = 200, sampleMs: asked = 20, fullGc = false } = {}) {
  const sampleMs = Math.max(asked, SAMPLE_FLOOR_MS);
  const samples = rows.map(() => ({ wall: [], cpu: [] }));
  const want = [];
  const calls = [];
  for (const row of rows) {
    const t0 = performance.now();
    let n = 0;
    do {
      await row.run();
      n++;
    } while (performance.now() - t0 < warmMs);
    const per = (performance.now() - t0) / n;
    want.push(per > slow ? minRounds : rounds);
    calls.push(Math.max(1, Math.ceil(sampleMs / per)));
  }
  for (let r = 0; r < rounds; r++) {
    // Every other round in reverse order: the row after a long or cache-hungry one (a child process,
    // TF.js) would otherwise always start cold, and always the same row.
    for (let j = 0; j < rows.length; j++) {
      const i = r % 2 ? rows.length - 1 - j : j;
      if (r >= want[i]) continue;
      // fullGc: a whole-heap collection, for rows whose samples are long enough for a major GC's
      // marking to land in one of them.
      if (fullGc) gc();
      else collectYoung();
      // A row that times itself elsewhere (the plain-JS yardstick's worker) returns its own { wall, cpu } per call.
      const t = rows[i].sample ? await rows[i].sample(calls[i]) : await timeCalls(rows[i].run, calls[i], rows[i].allThreads);
      samples[i].wall.push(t.wall);
      samples[i].cpu.push(t.cpu);
    }
  }
  return rows.map((row, i) => ({ ...row, wall: median(samples[i].wall), cpu: median(samples[i].cpu), rounds: samples[i].wall.length, calls: calls[i], samples: samples[i] }));
}
