import { checkInteger } from '../checks.js';
import { checkSequences, type Sequences } from './sequences.js';

/** Samples [from, to) of a data set as a new time-major Sequences (copied). */
export function sliceSamples(data: Sequences, from: number, to: number): Sequences {
  checkSequences(data);
  const n = data.samples;
  checkInteger('from', from, 0, n - 1);
  checkInteger('to', to, from + 1, n);
  const m = to - from;
  const take = (a: Float32Array, steps: number, width: number) => {
    const out = new Float32Array(steps * m * width);
    for (let k = 0; k < steps; k++) out.set(a.subarray((k * n + from) * width, (k * n + to) * width), k * m * width);
    return out;
  };
  const tSteps = data.targetsPerStep ? data.steps : 1;
  const sliced: Sequences = { ...data, samples: m, x: take(data.x, data.steps, data.inputSize), targets: take(data.targets, tSteps, data.outputSize) };
  return { ...sliced, ...perSample(data, from, to) };
}

/** The per-sample fields (lengths, mask rows [samples][steps], weights) of samples [from, to), as copies; none that are absent. */
function perSample(data: Sequences, from: number, to: number): Pick<Sequences, 'lengths' | 'mask' | 'sampleWeights'> {
  const rows = (a: ArrayLike<number>, width: number) => Array.from(a).slice(from * width, to * width);
  return {
    ...(data.lengths !== undefined && { lengths: rows(data.lengths, 1) }),
    ...(data.mask !== undefined && { mask: rows(data.mask, data.steps) }),
    ...(data.sampleWeights !== undefined && { sampleWeights: rows(data.sampleWeights, 1) }),
  };
}
