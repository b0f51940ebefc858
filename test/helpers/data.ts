import { RandomState } from '../../src/random.js';
import type { Sequences } from '../../src/data/sequences.js';

/** Random real-valued counter data (not just 0/1), time-major, from a seeded stream. */
export function randomSequences(seed: number, samples: number, steps: number): Sequences {
  const rng = new RandomState(seed);
  const x = new Float32Array(samples * steps);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  const targets = new Float32Array(samples);
  for (let i = 0; i < samples; i++) targets[i] = rng.uniform(-3, 3);
  return { samples, steps, inputSize: 1, outputSize: 1, x, targets };
}
