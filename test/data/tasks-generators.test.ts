import { describe, expect, test } from 'vitest';
import { binaryAddition } from '../../src/data/binary-addition.js';
import { parity } from '../../src/data/parity.js';
import { sineWave } from '../../src/data/sine-wave.js';
import { accuracy, TASKS } from '../../src/data/tasks.js';
import { checkSequences } from '../../src/data/sequences.js';
import { RandomState } from '../../src/random.js';

describe('task generators', () => {
  test('binaryAddition: decoding the bits, least significant first, gives a + b = sum', () => {
    const d = binaryAddition({ samples: 300, bits: 8, rng: new RandomState(3) });
    checkSequences(d);
    expect([d.steps, d.inputSize, d.outputSize, d.targetsPerStep]).toEqual([8, 2, 1, true]);
    let carries = 0;
    for (let n = 0; n < d.samples; n++) {
      let a = 0, b = 0, s = 0;
      for (let k = 0; k < 8; k++) {
        a += d.x[(k * 300 + n) * 2]! << k;
        b += d.x[(k * 300 + n) * 2 + 1]! << k;
        s += d.targets[k * 300 + n]! << k;
      }
      expect(a).toBeLessThan(128);
      expect(b).toBeLessThan(128);
      expect(s).toBe(a + b);
      if (a + b >= 128) carries++;
    }
    expect(carries).toBeGreaterThan(50); // the top bit is exercised
    // Same seed, same data; the stream is consumed a, b per sample.
    expect(binaryAddition({ samples: 300, bits: 8, rng: new RandomState(3) })).toEqual(d);
  });

  test('parity: the target is the running XOR of the inputs', () => {
    const d = parity({ samples: 50, length: 12, rng: new RandomState(4) });
    checkSequences(d);
    for (let n = 0; n < 50; n++) {
      let acc = 0;
      for (let k = 0; k < 12; k++) {
        acc ^= d.x[k * 50 + n]!;
        expect(d.targets[k * 50 + n]).toBe(acc);
      }
    }
  });

  test('sineWave: each target is the next input; values follow a sine within the noise', () => {
    const d = sineWave({ samples: 20, length: 30, rng: new RandomState(5), noise: 0.1 });
    checkSequences(d);
    for (let n = 0; n < 20; n++) for (let k = 0; k + 1 < 30; k++) expect(d.targets[k * 20 + n]).toBe(d.x[(k + 1) * 20 + n]);
    for (const v of d.x) expect(Math.abs(v)).toBeLessThanOrEqual(1.1 + 1e-6);
    const clean = sineWave({ samples: 1, length: 5, rng: new RandomState(6), noise: 0 });
    const rng = new RandomState(6);
    const omega = rng.uniform(0.1, 0.5), phi = rng.uniform(0, 2 * Math.PI);
    for (let k = 0; k < 5; k++) expect(clean.x[k]).toBe(Math.fround(Math.sin(omega * k + phi)));
  });

  test('every registered task makes data that fits its declared shape', () => {
    for (const [name, t] of Object.entries(TASKS)) {
      const d = t.make(5, 6, new RandomState(1));
      expect([name, d.inputSize, d.outputSize, Boolean(d.targetsPerStep)]).toEqual([name, t.inputSize, t.outputSize, t.returnSequences]);
    }
  });

  test('accuracy counts values and whole sequences', () => {
    const d = parity({ samples: 2, length: 2, rng: new RandomState(1) });
    const y = Float32Array.from(d.targets, (t) => (t ? 0.9 : 0.1));
    expect(accuracy(y, d, 'threshold')).toEqual({ perValue: 1, perSequence: 1 });
    y[1] = 1 - y[1]!; // sample 1 wrong at step 0
    expect(accuracy(y, d, 'threshold')).toEqual({ perValue: 0.75, perSequence: 0.5 });
  });
});
