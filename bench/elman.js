// The Elman network's rows for `npm run bench` (and alone: `npm run bench:elman`): tanh SimpleRNN +
// linear Dense, input 2, 20 steps, many-to-one, mse, mini-batches of 100 in order, RMSProp lr 1e-3,
// the same epochs per call in every row: elman's wasm (SIMD) and js backends through `trainSync`,
// the plain-JS network of bench/plain/elman.js, and TF.js (`model.fit`) on its cpu and wasm backends.
//   node bench/elman.js [--hidden 8,32,128] [--no-tfjs]
import { ElmanRNN, init, RandomState, rmsprop, trainSync } from '../dist/index.js';
import { makeElman, trainElman } from './plain/elman.js';
import { interleaved } from './rounds.js';

export const ELMAN = { input: 2, steps: 20, batch: 100, samples: 300, lr: 1e-3 };
/** Epochs per call at each hidden size (every row the same): about 0.3–1 s for the slowest row. */
export const ELMAN_EPOCHS = { 8: 20, 32: 4, 128: 1 };
/** Sizes with threaded rows (placeThreaded, threads: 2; wall time and the CPU of every thread). */
export const ELMAN_THREADS = { 128: [2] };

/** Random time-major data from a seeded stream: inputs in [-1, 1), target the mean of x₀·x₁ over the steps. */
export function elmanData({ samples = ELMAN.samples, steps = ELMAN.steps, input = ELMAN.input } = {}) {
  const rng = new RandomState(1);
  const x = new Float32Array(steps * samples * input);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  const targets = new Float32Array(samples);
  for (let r = 0; r < samples; r++) {
    let s = 0;
    for (let k = 0; k < steps; k++) s += x[(k * samples + r) * input] * x[(k * samples + r) * input + 1];
    targets[r] = s / steps;
  }
  return { samples, steps, inputSize: input, outputSize: 1, x, targets };
}

/**
 * Floating-point operations of one epoch's matrix products (multiply and add counted apart, as
 * WebAssembly SIMD has no FMA): per sample-step, forward x·K and h·R, backward gK, gR and dh·Rᵀ:
 * 2·(2·I·H + 3·H²). The output layer (once per sample) and the elementwise work are left out.
 */
export function elmanFlops(hidden, { samples = ELMAN.samples, steps = ELMAN.steps, input = ELMAN.input } = {}) {
  return samples * steps * 2 * (2 * input * hidden + 3 * hidden * hidden);
}

/**
 * elman's rows through `trainSync` (mse, RMSProp lr, batches of ELMAN.batch), one per backend, each call
 * restarting from the same weights and optimizer state: `make(backend)` builds the model.
 */
export function trainRows(make, data, { epochs, backends = ['wasm', 'js'] }) {
  return backends.map((backend) => {
    const model = make(backend);
    const start = model.params.slice();
    const optimizer = rmsprop({ lr: ELMAN.lr });
    return {
      key: backend === 'wasm' ? 'simd' : 'js',
      name: backend === 'wasm' ? 'elman wasm SIMD' : 'elman js backend',
      run: () => {
        model.params.set(start);
        optimizer.reset();
        trainSync(model, data, { optimizer, epochs, loss: 'mse', batchSize: ELMAN.batch });
      },
      dispose: () => model.dispose(),
    };
  });
}

/** The rows at one hidden size: { key, name, run, dispose }; `tf` is bench/tfjs.js's module or undefined. */
export async function elmanRows(hidden, { tf, epochs = ELMAN_EPOCHS[hidden] ?? 1, data = elmanData() } = {}) {
  await init();
  const { batch: B, lr } = ELMAN;
  const make = (backend) => new ElmanRNN({ inputSize: data.inputSize, hiddenSize: hidden, outputSize: 1, seed: 1, backend });
  const rows = trainRows(make, data, { epochs });
  // Threaded placements are made once, outside the timing (their workers live with the placement).
  for (const threads of ELMAN_THREADS[hidden] ?? []) {
    const model = make('wasm');
    const start = model.params.slice();
    const placed = await model.placeThreaded(data, { threads });
    const optimizer = rmsprop({ lr: ELMAN.lr });
    rows.push({
      key: `threads${threads}`,
      name: `elman SIMD, threads: ${threads}`,
      allThreads: true,
      run: () => {
        model.params.set(start);
        optimizer.reset();
        trainSync(model, placed, { optimizer, epochs, loss: 'mse', batchSize: ELMAN.batch });
      },
      dispose: () => model.dispose(),
    });
  }
  rows.push({
    key: 'plain',
    name: 'plain JS',
    run: () => {
      trainElman(data, makeElman({ inputSize: data.inputSize, hiddenSize: hidden, outputSize: 1 }), { epochs, batchSize: B, lr });
    },
    dispose: () => {},
  });
  if (tf) rows.push(...(await tf.fitRows(data, (t, inputShape) => t.layers.simpleRNN({ units: hidden, inputShape }), { batch: B, lr, epochs })));
  return rows.map((r) => ({ ...r, hidden, epochs }));
}

const entry = process.argv[1];
if (entry && import.meta.url === new URL(`file://${entry}`).href) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { hidden: { type: 'string', default: '8,32,128' }, 'no-tfjs': { type: 'boolean', default: false } } });
  const tf = values['no-tfjs'] ? undefined : await import('./tfjs.js');
  console.log(`Elman network: input ${ELMAN.input}, ${ELMAN.steps} steps, ${ELMAN.samples} samples in batches of ${ELMAN.batch}, tanh, mse, RMSProp; medians of interleaved rounds, ms per call`);
  for (const h of values.hidden.split(',').map(Number)) {
    const rows = await interleaved(await elmanRows(h, { tf }), { rounds: 5 });
    for (const r of rows) {
      console.log(`hidden ${String(h).padStart(3)} ${r.name.padEnd(24)} ${r.epochs} epochs/call  wall ${r.wall.toFixed(2)} ms  cpu ${r.cpu.toFixed(2)} ms`);
      r.dispose();
    }
  }
}
