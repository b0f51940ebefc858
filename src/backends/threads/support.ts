// Where threaded placements can run, decided without loading anything Node-specific.

/** True in Node itself (not Deno's or Bun's Node compatibility, unverified there): worker_threads with shared WebAssembly memory. */
export function nodeThreads(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string; bun?: string } }; Deno?: unknown };
  return g.process?.versions?.node !== undefined && g.process.versions.bun === undefined && g.Deno === undefined;
}

/**
 * `'auto'` picks two threads in Node from this many sample-steps per epoch. An estimate, not a
 * measured crossover (the shared 2-core machine never had a core free): a round's synchronisation
 * measured 8–9 µs, one thread's epoch 0.35 ns per sample-step, so halving it pays from about 2^16;
 * 2^18 (≈ 90 µs per epoch) leaves room for a worker that wakes late and the lost in-core epochs.
 */
export const AUTO_MIN_WORK = 1 << 18;
