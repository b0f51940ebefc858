// Elman network training throughput: one mini-batch update (forward, loss, BPTT, RMSProp step) of
// batch 256 × sequence 50, hidden 8 / 32 / 128, in sample-steps per second (256 · 50 / latency),
// for elman's WebAssembly SIMD and plain-TypeScript backends and TF.js (tf.layers.simpleRNN + dense,
// model.fit on one batch) on its cpu and wasm backends. Run after `npm run build`:
//   node bench/elman.js [--time ms] [--hidden 8,32,128] [--json] [--no-tfjs]
// Exports `benchElman(options)` for the package's bench runner.
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { ElmanRNN, init, rmsprop, RandomState } from '../dist/index.js';

const BATCH = 256;
const STEPS = 50;
const INPUT = 4;
const OUTPUT = 1;

/** Random many-to-one data, time-major, from a seeded stream. */
function makeData(seed) {
  const rng = new RandomState(seed);
  const x = new Float32Array(STEPS * BATCH * INPUT);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  const targets = new Float32Array(BATCH * OUTPUT);
  for (let i = 0; i < targets.length; i++) targets[i] = rng.uniform(-1, 1);
  return { samples: BATCH, steps: STEPS, inputSize: INPUT, outputSize: OUTPUT, x, targets };
}

function elmanTask(backend, hidden, data) {
  const model = new ElmanRNN({ inputSize: INPUT, hiddenSize: hidden, outputSize: OUTPUT, seed: 1, backend });
  const bound = model.bind(data, { loss: 'mse' });
  const opt = rmsprop({ lr: 1e-4 });
  return {
    fn: () => {
      bound.lossAndGrad();
      opt.step(model.params, model.grads);
    },
    dispose: () => model.dispose(),
  };
}

async function tfTask(tf, hidden, data) {
  const model = tf.sequential({
    layers: [tf.layers.simpleRNN({ units: hidden, inputShape: [STEPS, INPUT] }), tf.layers.dense({ units: OUTPUT })],
  });
  model.compile({ optimizer: tf.train.rmsprop(1e-4), loss: 'meanSquaredError' });
  const bm = new Float32Array(data.x.length);
  for (let k = 0; k < STEPS; k++) for (let n = 0; n < BATCH; n++) for (let i = 0; i < INPUT; i++) bm[(n * STEPS + k) * INPUT + i] = data.x[(k * BATCH + n) * INPUT + i];
  const xs = tf.tensor3d(bm, [BATCH, STEPS, INPUT]);
  const ys = tf.tensor2d(data.targets, [BATCH, OUTPUT]);
  return {
    fn: async () => {
      await model.fit(xs, ys, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
    },
    dispose: () => {
      tf.dispose([xs, ys]);
      model.dispose();
    },
  };
}

/** Run the rows; resolves to [{ name, hidden, sampleStepsPerSecond, rme }]. */
export async function benchElman({ time = 1000, hidden = [8, 32, 128], tfjs = true } = {}) {
  await init();
  const data = makeData(1);
  const rows = [];
  let tf;
  if (tfjs) {
    tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
  }
  for (const h of hidden) {
    const variants = [
      ['elman wasm simd', () => elmanTask('wasm', h, data)],
      ['elman js', () => elmanTask('js', h, data)],
    ];
    if (tf) for (const backend of ['cpu', 'wasm']) variants.push([`tfjs ${backend}`, async () => (await tf.setBackend(backend), tfTask(tf, h, data))]);
    for (const [name, make] of variants) {
      const task = await make();
      const bench = new Bench({ time, warmupIterations: 2, iterations: 3 });
      bench.add(name, task.fn);
      await bench.run();
      const r = bench.tasks[0].result;
      rows.push({ name, hidden: h, sampleStepsPerSecond: (BATCH * STEPS * 1000) / r.latency.mean, rme: r.latency.rme });
      task.dispose();
    }
  }
  return rows;
}

const entry = process.argv[1];
if (entry && import.meta.url === new URL(`file://${entry}`).href) {
  const { values } = parseArgs({ options: { time: { type: 'string', default: '1000' }, hidden: { type: 'string', default: '8,32,128' }, json: { type: 'boolean', default: false }, 'no-tfjs': { type: 'boolean', default: false } } });
  const rows = await benchElman({ time: Number(values.time), hidden: values.hidden.split(',').map(Number), tfjs: !values['no-tfjs'] });
  if (values.json) console.log(JSON.stringify(rows));
  else {
    console.log(`Elman training, batch ${BATCH} × ${STEPS} steps, input ${INPUT}, tanh, mse, one RMSProp update per call`);
    console.log('hidden | backend          | sample-steps/s | ± %');
    for (const r of rows) console.log(`${String(r.hidden).padStart(6)} | ${r.name.padEnd(16)} | ${Math.round(r.sampleStepsPerSecond).toLocaleString('en-US').padStart(14)} | ${r.rme.toFixed(1)}`);
  }
}
