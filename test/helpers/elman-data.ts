import { RandomState } from '../../src/random.js';
import type { Sequences } from '../../src/data/sequences.js';

/** Targets suited to a loss: real values (squared), 0/1 bits (bce), one-hot rows (cce). */
export type TargetKind = 'real' | 'bits' | 'onehot';

/** Random time-major Elman data from a seeded stream: inputs in [-1, 1), targets of the given kind. */
export function randomElmanData(seed: number, samples: number, steps: number, inputSize: number, outputSize: number, perStep: boolean, kind: TargetKind = 'real'): Sequences {
  const rng = new RandomState(seed);
  const x = new Float32Array(samples * steps * inputSize);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  const rows = (perStep ? steps : 1) * samples;
  const targets = new Float32Array(rows * outputSize);
  for (let r = 0; r < rows; r++) {
    const hot = Math.floor(rng.randomSample() * outputSize);
    for (let o = 0; o < outputSize; o++) {
      targets[r * outputSize + o] = kind === 'real' ? rng.uniform(-1, 1) : kind === 'bits' ? (rng.randomSample() < 0.5 ? 0 : 1) : o === hot ? 1 : 0;
    }
  }
  return { samples, steps, inputSize, outputSize, x, targets, targetsPerStep: perStep };
}
