// Trains in a Web Worker so the page stays responsive; a few epochs per frame so people can watch.
import { ConfigError, init, countOnes, LinearRNN, RandomState, createOptimizer, lossSurface, trainSync } from '../src/index.js';
import type { LinearWeights } from '../src/models/linear.js';
import type { Reply, Request } from './protocol.js';

const post = (m: Reply) => postMessage(m);
const frame = () => new Promise((resolve) => setTimeout(resolve, 16));

// The tutorial's data and initial weights: one numpy-compatible stream, seed 1.
const rng = new RandomState(1);
const data = countOnes({ samples: 20, length: 10, rng });
const start: LinearWeights = { wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1) };
let model: LinearRNN | undefined;
let run = 0;

const ready = init().then(() => {
  const axis = { min: -0.1, max: 2.1, count: 50 };
  post({ type: 'ready', surface: lossSurface(data, { wx: axis, wRec: axis }), start });
});

async function train(r: Extract<Request, { type: 'train' }>): Promise<void> {
  for (const [name, v] of [['epochs', r.epochs], ['epochs per frame', r.perFrame]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(name, v, 'an integer >= 1');
  }
  const id = ++run;
  model?.dispose();
  const m = (model = new LinearRNN(start));
  // Rprop has no learning rate: the box sets its initial step instead.
  const optimizer = createOptimizer(r.optimizer, r.optimizer === 'rprop' ? { initialStep: r.lr } : { lr: r.lr });
  let done = 0;
  while (done < r.epochs && id === run) {
    const epochs = Math.min(r.perFrame, r.epochs - done);
    const h = trainSync(m, data, { optimizer, epochs, trackWeights: true });
    // Each call's weights start with where it began: the previous chunk's end, already sent.
    post({ type: 'progress', loss: h.loss, weights: h.weights.slice(1) });
    done += epochs;
    await frame();
  }
  if (id === run) post({ type: 'done', weights: m.weights, loss: m.lossAndGrad(data).loss });
}

onmessage = async (event: MessageEvent<Request>) => {
  try {
    await ready;
    const r = event.data;
    if (r.type === 'train') await train(r);
    else post({ type: 'prediction', sequence: r.sequence, value: (model ?? new LinearRNN(start)).predict(r.sequence) });
  } catch (error) {
    // The message only: minifiers rename classes, so a bundled error's name is not reliable.
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
