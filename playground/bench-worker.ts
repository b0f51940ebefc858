// The benchmark of `npm run bench`, in the visitor's browser: elman's WASM SIMD core, its scalar core,
// its js backend and a plain-JS loop (bench/plain/counter.js, what a user would write), all training
// the counter full-batch with RMSProp (lr 1e-3) on the same data, at the bench's three sizes.
// @ts-expect-error: the plain-JavaScript yardstick has no type declarations (it imports nothing from elman, on purpose)
import { trainCounter as untyped } from '../bench/plain/counter.js';
import { type BackendName, countOnes, init, LinearRNN, type LinearWeights, RandomState, rmsprop, trainSync } from '../src/index.js';
import type { BenchReply, BenchRequest, BenchRow } from './bench-protocol.js';

type TrainCounter = (
  data: { x: ArrayLike<number>; targets: ArrayLike<number>; samples: number; steps: number },
  weights: LinearWeights,
  options: { epochs: number; lr?: number },
) => LinearWeights & { loss: number };
const trainCounter = untyped as TrainCounter;

const post = (m: BenchReply) => postMessage(m);
const LR = 1e-3;

/** The sizes of `npm run bench` (bench/counter.js) and its epochs per call, the same for every row of a size. */
const SIZES = [
  { key: 'tutorial', samples: 20, steps: 10, epochs: 2001 },
  { key: 'cache', samples: 1024, steps: 100, epochs: 100 },
  { key: 'large', samples: 100_000, steps: 100, epochs: 40 },
];
/** ?quick: the same rows on tiny data, one short timed sample each (for tests; the numbers mean little). */
const QUICK = [
  { key: 'tutorial', samples: 20, steps: 10, epochs: 201 },
  { key: 'cache', samples: 64, steps: 100, epochs: 5 },
  { key: 'large', samples: 256, steps: 100, epochs: 2 },
];
const IMPLS = [
  { key: 'simd', name: 'elman wasm SIMD', backend: 'wasm', simd: true },
  { key: 'scalar', name: 'elman wasm scalar', backend: 'wasm', simd: false },
  { key: 'js', name: 'elman js backend', backend: 'js', simd: false },
  { key: 'plain', name: 'plain JS loop', backend: undefined, simd: false },
] as const;

/**
 * Median time of one call of `fn`, in ms. Warm-up doubles the calls per sample until a sample takes
 * `target` ms (browsers round performance.now() to 0.1 ms or coarser); then at least 3 samples (1 when
 * quick) of at least a quarter of `target` each, more while under `budget` ms (at most 15). `calls`
 * counts the calls of the samples kept.
 */
function median(fn: () => void, quick: boolean, budget: number): { ms: number; calls: number } {
  const target = quick ? 2 : 20;
  // One untimed call first: a slow first call (compilation) could end the warm-up at 1 rep, and the
  // timed call, far faster, then round to 0 ms under the browser's coarse clock (a rate of Infinity).
  fn();
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t >= target || reps >= 1 << 16) break;
    reps *= 2;
  }
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < (quick ? 1 : 3) || (!quick && times.length < 15 && performance.now() - t0 < budget)) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const dt = performance.now() - t;
    // A sample far shorter than the warm-up's last (which a compile or a GC slowed) is read off too few
    // clock ticks, down to 0 ms: it is not kept, and the next sample makes twice the calls.
    if (dt < target / 4 && reps < 1 << 20) {
      reps *= 2;
      continue;
    }
    times.push(dt / reps);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, calls: times.length * reps };
}

async function run(quick: boolean): Promise<void> {
  await init();
  for (const size of quick ? QUICK : SIZES) {
    // One seeded stream: the data, then the initial weights, as the tutorial draws them.
    const rng = new RandomState(1);
    const data = countOnes({ samples: size.samples, length: size.steps, rng });
    const w0: LinearWeights = { wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1) };
    for (const impl of IMPLS) {
      const E = size.epochs;
      // Every call restarts from w0 with a fresh optimizer: the same trajectory in every row, so the
      // weights reached check that all four did the same work.
      let w = w0;
      let fn: () => void;
      let dispose = () => {};
      if (impl.backend === undefined) {
        fn = () => {
          const r = trainCounter(data, w0, { epochs: E, lr: LR });
          w = { wx: r.wx, wRec: r.wRec };
        };
      } else {
        const model = new LinearRNN({ ...w0, backend: impl.backend as BackendName, simd: impl.simd });
        const optimizer = rmsprop({ lr: LR });
        fn = () => {
          model.weights = w0;
          optimizer.reset();
          trainSync(model, data, { optimizer, epochs: E, trackWeights: false });
          w = model.weights;
        };
        dispose = () => model.dispose();
      }
      try {
        const { ms, calls } = median(fn, quick, size.key === 'large' ? 1500 : 1000);
        const msPerEpoch = ms / E;
        const row: BenchRow = { size: size.key, samples: size.samples, steps: size.steps, impl: impl.key, name: impl.name, epochs: E, calls, msPerEpoch, rate: (size.samples * size.steps) / (msPerEpoch / 1e3), wx: w.wx, wRec: w.wRec };
        post({ type: 'row', row });
      } finally {
        dispose();
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  post({ type: 'done' });
}

onmessage = (event: MessageEvent<BenchRequest>) => {
  run(event.data.quick).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
};
