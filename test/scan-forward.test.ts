import { beforeAll, expect, test } from 'vitest';
import { init } from '../src/backends/wasm/core.js';
import { countOnes } from '../src/data/count-ones.js';
import { LinearRNN } from '../src/models/linear.js';
import { RandomState } from '../src/random.js';
import { scan } from '../src/scan.js';

beforeAll(() => init());

test("the counter's forward pass written with scan equals forwardStates", () => {
  const rng = new RandomState(1);
  const data = countOnes({ samples: 20, length: 10, rng });
  const wx = Math.fround(rng.uniform(-0.1, 0.1));
  const wRec = Math.fround(rng.uniform(-0.1, 0.1));
  const n = data.samples;
  // Sequence: one time step's batch (a row of the time-major x); output: the state, fed back.
  const rows = Array.from({ length: data.steps }, (_, k) => Array.from(data.x.subarray(k * n, (k + 1) * n)));
  const states = scan({
    fn: (xk: number[], prev: number[], wx_: number, wRec_: number) => xk.map((x, i) => Math.fround(Math.fround(x * wx_) + Math.fround(prev[i]! * wRec_))),
    sequences: [rows],
    outputsInfo: [new Array<number>(n).fill(0)],
    nonSequences: [wx, wRec],
  });
  for (const backend of ['wasm', 'js'] as const) {
    const S = new LinearRNN({ wx, wRec, backend }).forwardStates(data);
    for (let i = 0; i < n; i++) {
      expect(S.data[i * S.cols]).toBe(0);
      for (let k = 1; k <= data.steps; k++) expect(S.data[i * S.cols + k]).toBeCloseTo(states[k - 1]![i]!, 7);
    }
  }
});
