import { beforeAll, expect, test } from 'vitest';
import { lossSurface } from '../../src/analysis/surface.js';
import { init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { RandomState } from '../../src/random.js';
import { randomSequences } from '../helpers/data.js';
import { oracleLossGrad } from '../helpers/oracle-linear.js';

beforeAll(() => init());

const tutorial = () => countOnes({ samples: 20, length: 10, rng: new RandomState(1) });

// 20 samples run as one group of 16 and one of 4; 37 adds a single-sample tail; 3 is all tail.
test.each([
  ['tutorial', tutorial(), 'sse'],
  ['37 × 6 random', randomSequences(7, 37, 6), 'mse'],
  ['3 × 12 random', randomSequences(8, 3, 12), 'sse'],
] as const)('wasm surface of %s equals the float32 oracle and is close to the float64 js surface', (_, data, loss) => {
  const options = { wx: { min: -3, max: 3, count: 23 }, wRec: { min: -1.5, max: 1.2, count: 17 }, loss } as const;
  const wasm = lossSurface(data, options);
  const js = lossSurface(data, { ...options, backend: 'js' });
  expect(wasm.wx).toEqual(js.wx);
  expect(wasm.wRec).toEqual(js.wRec);
  expect(wasm.loss.length).toBe(23 * 17);
  const scale = loss === 'sse' ? 1 : 1 / data.samples;
  for (let j = 0; j < 17; j++) {
    for (let i = 0; i < 23; i++) {
      const [sumSq] = oracleLossGrad(data.x, data.targets, data.samples, data.steps, wasm.wx[i]!, wasm.wRec[j]!, 0);
      const got = wasm.loss[j * 23 + i]!;
      // Per-sample squares are the oracle's exactly; only the f64 order of their sum differs.
      expect(Math.abs(got - Math.fround(sumSq * scale))).toBeLessThanOrEqual(2 ** -22 * Math.abs(got));
      expect(Math.abs(got - js.loss[j * 23 + i]!)).toBeLessThan(1e-5 * Math.max(1, got));
    }
  }
});

test('the exact solution is the surface minimum, zero, on the tutorial data', () => {
  const s = lossSurface(tutorial(), { wx: { min: 0, max: 2, count: 21 }, wRec: { min: 0, max: 2, count: 21 } });
  // Grid point 10 on both axes is (1, 1): every prediction equals its count.
  expect(s.loss[10 * 21 + 10]).toBe(0);
  expect(Math.min(...s.loss)).toBe(0);
});
