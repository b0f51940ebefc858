// Trains in a Web Worker so the page stays responsive; a few epochs per frame so people can watch.
import { ADDITION_EXAMPLE, sampleRows } from '../src/plots/index.js';
import { binaryAddition, ConfigError, countOnes, createOptimizer, ElmanRNN, init, LinearRNN, type LinearWeights, lossSurface, OPTIMIZER_SPECS, RandomState, rmsprop, train as trainModel, trainSync } from '../src/index.js';
import type { Reply, Request } from './protocol.js';

const post = (m: Reply) => postMessage(m);
const frame = () => new Promise((resolve) => setTimeout(resolve, 16));

// The tutorial's data and initial weights: one numpy-compatible stream, seed 1.
const rng = new RandomState(1);
const data = countOnes({ samples: 20, length: 10, rng });
const start: LinearWeights = { wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1) };
/** The run allowed to post: a new train or a cancel changes it, and the old loop stops at its next chunk. */
let current = 0;

const ready = init().then(
  () => {
    const axis = { min: -0.1, max: 2.1, count: 50 };
    post({ type: 'ready', surface: lossSurface(data, { wx: axis, wRec: axis }), start });
  },
  (error: unknown) => {
    post({ type: 'error', message: `could not load the WebAssembly core: ${messageOf(error)}` });
    throw error;
  },
);

const finite = (w: LinearWeights) => Number.isFinite(w.wx) && Number.isFinite(w.wRec);

async function train(r: Extract<Request, { type: 'train' }>): Promise<void> {
  current = r.run;
  for (const [name, v] of [['epochs', r.epochs], ['epochs per frame', r.perFrame]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(name, v, 'an integer >= 1');
  }
  // Rprop has no learning rate: the box sets its initial step instead.
  // The box sets the learning rate, or for an optimizer without one the option its tutorial setting names (Rprop: initialStep).
  const key = Object.keys(OPTIMIZER_SPECS[r.optimizer].tutorial)[0]!;
  const optimizer = createOptimizer(r.optimizer, { [key]: r.lr });
  const model = new LinearRNN(start);
  try {
    let done = 0;
    while (done < r.epochs && current === r.run) {
      const epochs = Math.min(r.perFrame, r.epochs - done);
      try {
        const h = trainSync(model, data, { optimizer, epochs, trackWeights: true });
        // Each call's weights start with where it began: the previous chunk's end, already sent.
        post({ type: 'progress', run: r.run, loss: h.loss, weights: h.weights.slice(1) });
      } catch (error) {
        if ((error as Error)?.name !== 'DivergenceError') throw error;
        // Send what was recorded up to the last finite point, then the end of the run with its last good weights.
        const e = error as Error & { epoch: number; history?: { loss: number[]; weights: LinearWeights[] } };
        const h = e.history ?? { loss: [], weights: [] };
        const loss = h.loss.filter(Number.isFinite);
        post({ type: 'progress', run: r.run, loss, weights: h.weights.slice(1, loss.length).filter(finite) });
        post({ type: 'diverged', run: r.run, epoch: done + loss.length, lastGood: model.weights, message: e.message });
        return;
      }
      done += epochs;
      await frame();
    }
    if (current === r.run) post({ type: 'done', run: r.run, weights: model.weights, loss: model.lossAndGrad(data).loss });
  } finally {
    model.dispose();
  }
}

function predict(r: Extract<Request, { type: 'predict' }>): void {
  const model = new LinearRNN(r.weights);
  try {
    post({ type: 'prediction', run: r.run, sequence: r.sequence, value: model.predict(r.sequence) });
  } finally {
    model.dispose();
  }
}

/** The notes' Elman network on binary addition (seed 1), trained `epochs` passes; its weights and one held-out sum. */
async function addition(r: Extract<Request, { type: 'addition' }>): Promise<void> {
  if (!Number.isInteger(r.epochs) || r.epochs < 1 || r.epochs > 200) throw new ConfigError('epochs', r.epochs, 'an integer from 1 to 200');
  const ex = ADDITION_EXAMPLE;
  const rng = new RandomState(1);
  const data = binaryAddition({ samples: ex.samples, bits: ex.bits, rng });
  const { x, targets } = sampleRows(binaryAddition({ samples: 1, bits: ex.bits, rng }));
  const model = new ElmanRNN({ ...ex.model, seed: 1 });
  try {
    const h = await trainModel(model, data, { optimizer: rmsprop(ex.optimizer), epochs: r.epochs, loss: ex.loss, batchSize: ex.batchSize, trackWeights: false });
    const w = model.weights;
    const weights = { kernel: [...w.kernel], recurrentKernel: [...w.recurrentKernel], bias: [...w.bias], outputKernel: [...w.outputKernel], outputBias: [...w.outputBias] };
    post({ type: 'addition', job: r.job, epochs: r.epochs, loss: h.loss.at(-1)!, weights, x, targets });
  } finally {
    model.dispose();
  }
}

// The message only: minifiers rename classes, so a bundled error's class name is not reliable.
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

onmessage = async (event: MessageEvent<Request>) => {
  const r = event.data;
  // A cancel takes effect at once, even while the core is still loading.
  if (r.type === 'cancel') {
    if (current === r.run) current = 0;
    return;
  }
  if (r.type === 'train') current = r.run;
  try {
    await ready;
    if (r.type === 'train') await train(r);
    else if (r.type === 'addition') await addition(r);
    else predict(r);
  } catch (error) {
    post(r.type === 'addition' ? { type: 'error', job: r.job, message: messageOf(error) } : { type: 'error', run: r.run, message: messageOf(error) });
  }
};
