// Where threaded placements can run, decided without loading anything Node-specific.

/** True in Node itself (not Deno's or Bun's Node compatibility, unverified there): worker_threads with shared WebAssembly memory. */
export function nodeThreads(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string; bun?: string } }; Deno?: unknown };
  return g.process?.versions?.node !== undefined && g.process.versions.bun === undefined && g.Deno === undefined;
}

/** The threads `'auto'` picks in Node: two from this many sample-steps per epoch (measured break-even: see bench/counter.js). */
export const AUTO_MIN_WORK = 1 << 18;
