// The Elman network's rows for `npm run bench` (and alone: `npm run bench:elman`): tanh SimpleRNN +
// linear Dense, input 2, 20 steps, many-to-one, mse, mini-batches of 100 in order, RMSProp lr 1e-3,
// the same epochs per call in every row: elman's wasm (SIMD) and js backends through `trainSync`,
// the plain-JS network of bench/plain/elman.js, and TF.js (`model.fit`) on its cpu and wasm backends.
// The relaxed-SIMD core (fused multiply-adds) cannot share a process with the plain one, and Node 20
// validates relaxed SIMD only with a flag: its row runs in child processes (relaxedRows).
//   node bench/elman.js [--hidden 8,32,128] [--no-tfjs]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { coreFeatures, ElmanRNN, init, RandomState, rmsprop, trainSync } from '../dist/index.js';
import { plainRow } from './plain/row.js';
import { measureClock, measurePeak } from './machine.js';
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

/** The matrix products' share of the measured no-FMA peak for one epoch of `cpuMs` at hidden `hidden`, at the clock measured once. */
let clockHz;
export function peakPct(hidden, cpuMs) {
  clockHz ??= measureClock();
  return (100 * elmanFlops(hidden)) / ((cpuMs / 1e3) * clockHz * measurePeak().flopPerCycle);
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
  rows.push(plainRow('elman', { data, net: { inputSize: data.inputSize, hiddenSize: hidden, outputSize: 1 }, train: { epochs, batchSize: B, lr } }));
  if (tf) rows.push(...(await tf.fitRows(data, (t, inputShape) => t.layers.simpleRNN({ units: hidden, inputShape }), { batch: B, lr, epochs })));
  return rows.map((r) => ({ ...r, hidden, epochs }));
}

export const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

/**
 * The SIMD row on the relaxed-SIMD core against the same row on the plain core, each in a child
 * process started with RELAXED_FLAG (`init()` then picks the relaxed core; `relaxedSimd: false`
 * keeps the plain one), alternating relaxed, plain, relaxed, plain so a burst of load falls on both:
 * { relaxed, plain } with { wall, cpu } ms per call (medians over the children's medians), or
 * undefined when this Node cannot run relaxed SIMD even with the flag.
 */
export function relaxedRows(hidden, { epochs = ELMAN_EPOCHS[hidden] ?? 1, rounds = 5, children = 2 } = {}) {
  const me = fileURLToPath(import.meta.url);
  const child = (core) => {
    try {
      const out = execFileSync(process.execPath, [RELAXED_FLAG, me, '--child', core, '--hidden', String(hidden), '--epochs', String(epochs), '--rounds', String(rounds)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return JSON.parse(out.trim().split('\n').at(-1));
    } catch {
      return undefined; // a Node that refuses the flag
    }
  };
  const runs = { relaxed: [], plain: [] };
  for (let i = 0; i < children; i++) for (const core of ['relaxed', 'plain']) runs[core].push(child(core));
  if (!runs.relaxed.every((r) => r?.relaxedSimd === true) || !runs.plain.every((r) => r?.relaxedSimd === false)) return undefined;
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const pick = (rs) => ({ wall: med(rs.map((r) => r.wall)), cpu: med(rs.map((r) => r.cpu)), epochs });
  return { relaxed: pick(runs.relaxed), plain: pick(runs.plain) };
}

const entry = process.argv[1];
if (entry && import.meta.url === new URL(`file://${entry}`).href && process.argv.includes('--child')) {
  // One child of relaxedRows: the SIMD row alone on the core named after --child, JSON on stdout.
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { child: { type: 'string' }, hidden: { type: 'string' }, epochs: { type: 'string' }, rounds: { type: 'string' } } });
  await init(undefined, { relaxedSimd: values.child === 'relaxed' });
  const data = elmanData();
  const [row] = trainRows((backend) => new ElmanRNN({ inputSize: data.inputSize, hiddenSize: Number(values.hidden), outputSize: 1, seed: 1, backend }), data, { epochs: Number(values.epochs), backends: ['wasm'] });
  const [r] = await interleaved([row], { rounds: Number(values.rounds) });
  r.dispose();
  console.log(JSON.stringify({ relaxedSimd: coreFeatures().relaxedSimd, wall: r.wall, cpu: r.cpu }));
} else if (entry && import.meta.url === new URL(`file://${entry}`).href) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { hidden: { type: 'string', default: '8,32,128' }, 'no-tfjs': { type: 'boolean', default: false } } });
  const tf = values['no-tfjs'] ? undefined : await import('./tfjs.js');
  console.log(`Elman network: input ${ELMAN.input}, ${ELMAN.steps} steps, ${ELMAN.samples} samples in batches of ${ELMAN.batch}, tanh, mse, RMSProp; medians of interleaved rounds, ms per call`);
  for (const h of values.hidden.split(',').map(Number)) {
    const rows = await interleaved(await elmanRows(h, { tf }), { rounds: 5 });
    for (const r of rows) {
      console.log(`hidden ${String(h).padStart(3)} ${r.name.padEnd(32)} ${r.epochs} epochs/call  wall ${r.wall.toFixed(2)} ms  cpu ${r.cpu.toFixed(2)} ms  ${peakPct(h, r.cpu / r.epochs).toFixed(0)}% of peak`);
      r.dispose();
    }
    const rx = relaxedRows(h);
    if (!rx) console.log(`hidden ${String(h).padStart(3)} elman wasm relaxed SIMD: not available in this runtime (even with ${RELAXED_FLAG})`);
    else {
      for (const [name, r] of [['relaxed SIMD (child)', rx.relaxed], ['plain SIMD (child)', rx.plain]]) {
        console.log(`hidden ${String(h).padStart(3)} ${`elman wasm ${name}`.padEnd(32)} ${r.epochs} epochs/call  wall ${r.wall.toFixed(2)} ms  cpu ${r.cpu.toFixed(2)} ms  ${peakPct(h, r.cpu / r.epochs).toFixed(0)}% of peak`);
      }
      console.log(`hidden ${String(h).padStart(3)} relaxed SIMD: ${(rx.plain.cpu / rx.relaxed.cpu).toFixed(2)}× the plain core's speed (CPU, same flag, alternating child processes)`);
    }
  }
}
