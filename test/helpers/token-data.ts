import { RandomState } from '../../src/random.js';
import type { Sequences } from '../../src/data/sequences.js';

/** Random token data from a seeded stream: ids in [0, vocab) as inputs, class ids in [0, classes) as targets (one a row). */
export function randomTokenData(seed: number, samples: number, steps: number, vocab: number, classes: number, perStep: boolean): Sequences {
  const rng = new RandomState(seed);
  const x = Float32Array.from({ length: samples * steps }, () => Math.floor(rng.randomSample() * vocab));
  const targets = Float32Array.from({ length: (perStep ? steps : 1) * samples }, () => Math.floor(rng.randomSample() * classes));
  return { samples, steps, inputSize: 1, outputSize: 1, x, targets, targetsPerStep: perStep };
}

/** The same data with one-hot targets [rows][classes]: what `cce` reads. */
export function oneHotTargets(data: Sequences, classes: number): Sequences {
  const targets = new Float32Array(data.targets.length * classes);
  data.targets.forEach((c, r) => (targets[r * classes + c] = 1));
  return { ...data, outputSize: classes, targets };
}

/** One-hot inputs [steps][samples][vocab] from id inputs: what a model without an embedding reads. */
export function oneHotInputs(data: Sequences, vocab: number): Sequences {
  const x = new Float32Array(data.x.length * vocab);
  data.x.forEach((id, r) => (x[r * vocab + id] = 1));
  return { ...data, inputSize: vocab, x };
}
