// The counter's rows for `npm run bench`: every implementation trains s[k] = x[k]·wx + s[k-1]·wRec
// (sse, full batch, RMSProp lr 1e-3) on the same seed-1 data from the same weights, the same
// epochs per call, every call restarting from those weights.
import { countOnes, LinearRNN, RandomState, rmsprop, trainSync } from '../dist/index.js';
import { plainRow } from './plain/row.js';

export const LR = 1e-3;

/**
 * Sizes: the tutorial, a cache-resident batch, a large one; epochs per call for every row. TF.js: its
 * wasm backend only (the counter's targets are against plain JS, and at 2001 epochs per call the cpu
 * backend's rows took a minute of a shared machine); the Elman rows time both backends.
 */
export const COUNTER_SIZES = [
  { key: 'tutorial', samples: 20, steps: 10, epochs: 2001, tf: ['tfwasm'] },
  { key: 'cache', samples: 1024, steps: 100, epochs: 100, tf: ['tfwasm'] },
  { key: 'large', samples: 100_000, steps: 100, epochs: 40, tf: ['tfwasm'], threads: [1, 2] },
];

export function counterData(size) {
  const rng = new RandomState(1);
  const data = countOnes({ samples: size.samples, length: size.steps, rng });
  return { data, w0: { wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1) } };
}

/**
 * The rows of one size: { key, name, run, final(), dispose() }; `tf` is bench/tfjs.js's module or
 * undefined (no TF.js rows).
 */
export async function counterRows(size, { tf } = {}) {
  const { data, w0 } = counterData(size);
  const E = size.epochs;
  const rows = [];
  const elman = (key, name, options, trainOptions) => {
    const model = new LinearRNN({ ...w0, ...options });
    const optimizer = rmsprop({ lr: LR });
    rows.push({
      key,
      name,
      run: () => {
        model.weights = w0;
        optimizer.reset();
        trainSync(model, data, { optimizer, epochs: E, ...trainOptions });
      },
      final: () => model.weights,
      dispose: () => model.dispose(),
    });
  };
  elman('simd', 'elman SIMD, default options', { backend: 'wasm', simd: true }, {});
  elman('simdBare', 'elman SIMD, trackWeights: false', { backend: 'wasm', simd: true }, { trackWeights: false });
  elman('js', 'elman js backend', { backend: 'js' }, {});
  // Threaded placements are made once, outside the timing (their workers are a pool kept for the
  // placement's life); one epoch per call into the core, as threads cannot run epochs inside it.
  for (const threads of size.threads ?? []) {
    const model = new LinearRNN({ ...w0 });
    const placed = await model.placeThreaded(data, { threads });
    const optimizer = rmsprop({ lr: LR });
    rows.push({
      key: `threads${threads}`,
      name: `elman SIMD, placeThreaded threads: ${threads}`,
      allThreads: true,
      run: () => {
        model.weights = w0;
        optimizer.reset();
        trainSync(model, placed, { optimizer, epochs: E });
      },
      final: () => model.weights,
      dispose: () => model.dispose(),
    });
  }
  // The yardstick runs in a worker thread (bench/plain/worker.js says why).
  rows.push(plainRow('counter', { data, w0, epochs: E, lr: LR }));
  if (tf) {
    for (const backend of size.tf) {
      const name = backend === 'tfcpu' ? 'cpu' : 'wasm';
      await tf.useBackend(name);
      const tr = tf.tfTrainer(data, w0, { lr: LR, loss: 'sse' });
      tr.epochs(1); // compiles kernels and allocates, outside the timing
      rows.push({
        key: backend,
        name: `TF.js ${name}`,
        backend: name,
        run: async () => {
          await tf.switchTo(name);
          tr.reset(w0);
          tr.epochs(E);
        },
        final: () => tr.weights(),
        dispose: () => tr.dispose(),
      });
    }
  }
  return rows;
}

/**
 * Per sample-step the counter's arithmetic is 3 multiplies and 3 adds (forward s·wRec; backward d·s,
 * d·wRec; the adds of both; x·wx is a mask on 0/1 inputs): 6 flops at the measured no-FMA `peak`
 * (flop/cycle; 16 on Zen: 3/8 of a cycle). The bandwidth bound reads each 0/1 input once as a byte,
 * each target as f32.
 */
export function counterBounds(size, { clock, read, peak }) {
  const work = size.samples * size.steps;
  const arithMs = ((work * 6) / peak / clock) * 1e3;
  const bytes = size.samples * size.steps + size.samples * 4;
  // Cache-resident sizes (≤ 1 MiB L2 per core) read from cache, not memory.
  const bwMs = bytes > 1 << 20 ? (bytes / read) * 1e3 : 0;
  return { arithMs, bwMs, boundMs: Math.max(arithMs, bwMs), by: bwMs > arithMs ? 'bandwidth' : 'arithmetic' };
}

/**
 * The SIMD kernel alone (one fused loss-and-gradient pass over placed data, no optimizer, no call
 * into train), in cycles per sample-step at `clock`: what the counter rows are bound by; `full`: the
 * same at wx = wRec = 1, where every backward pass runs to its end.
 */
export async function counterKernel(size, { clock, interleaved, quick }) {
  const { data, w0 } = counterData(size);
  const model = new LinearRNN({ ...w0 });
  const placed = model.place(data);
  const binding = model.bind(placed, { loss: 'sse' });
  const reps = Math.max(1, Math.round(2e7 / (size.samples * size.steps)));
  // At the bench's weights and at wx = wRec = 1: there the gradient does not vanish, so no backward
  // pass ends early (assembly/linear.ts) and the kernel does every step's work.
  const at = (w) => ({
    run: () => {
      model.weights = w;
      for (let i = 0; i < reps; i++) binding.lossAndGrad(0);
    },
  });
  const [r, one] = await interleaved([at(w0), at({ wx: 1, wRec: 1 })], quick ? { rounds: 2, minRounds: 1 } : { rounds: 5 });
  binding.dispose();
  placed.dispose();
  model.dispose();
  const figures = (t) => ({ ms: t.cpu / reps, cycles: ((t.cpu / reps / 1e3) * clock) / (size.samples * size.steps) });
  return { ...figures(r), full: figures(one) };
}

/**
 * The kernel's latency bound per sample-step: the forward pass is a chain of a 3-cycle multiply and a
 * 3-cycle add per step in each of 4 registers of 4 samples (6 cycles per 16 sample-steps); the
 * backward runs two passes over 2 registers each, every pass a 3-cycle chain per step (6 more).
 */
export const COUNTER_LATENCY_CYCLES = 12 / 16;
