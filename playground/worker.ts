// Trains in a Web Worker so the page stays responsive; runs go on side by side, each paced in epochs per second.
import { ADDITION_EXAMPLE, sampleRows } from '../src/analysis/addition-example.js';
import { binaryAddition, ConfigError, countOnes, createOptimizer, ElmanRNN, init, LinearRNN, OPTIMIZER_SPECS, RandomState, rmsprop, train as trainModel, trainSync, type LinearWeights } from '../src/index.js';
import type { Reply, Request } from './protocol.js';

const post = (m: Reply) => postMessage(m);
const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

// The tutorial's data: one numpy-compatible stream, seed 1 (the page draws the same).
const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
/** The runs allowed to go on: a cancel removes one, and its loop stops at its next chunk. */
const live = new Set<number>();

const ready = init().then(
  () => post({ type: 'ready' }),
  (error: unknown) => {
    post({ type: 'error', message: `could not load the WebAssembly core: ${messageOf(error)}` });
    throw error;
  },
);

const finite = (w: LinearWeights) => Number.isFinite(w.wx) && Number.isFinite(w.wRec);

async function train(r: Extract<Request, { type: 'train' }>): Promise<void> {
  for (const [name, v] of [['epochs', r.epochs], ['epochs per second', r.rate]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(name, v, 'an integer >= 1');
  }
  // The box sets the learning rate, or for an optimizer without one the option its tutorial setting names (Rprop: initialStep).
  const key = Object.keys(OPTIMIZER_SPECS[r.optimizer].tutorial)[0]!;
  const optimizer = createOptimizer(r.optimizer, { [key]: r.lr });
  // A run continues the page's steps: the optimizer keeps the state they built.
  if (r.state && r.state.step > 0) optimizer.setState(r.state);
  const model = new LinearRNN(r.start);
  const began = performance.now();
  try {
    let done = 0;
    while (done < r.epochs && live.has(r.run)) {
      // Paced by the clock, not by frames: `rate` epochs per second whatever the machine.
      const due = Math.min(r.epochs, Math.max(done + 1, Math.floor(((performance.now() - began) / 1000) * r.rate)));
      const epochs = due - done;
      try {
        const h = trainSync(model, data, { optimizer, epochs, trackWeights: true });
        // weights[i] is where loss[i] was computed; the last entry (the chunk's end) starts the next chunk.
        post({ type: 'progress', run: r.run, loss: h.loss, weights: h.weights.slice(0, -1) });
      } catch (error) {
        if ((error as Error)?.name !== 'DivergenceError') throw error;
        const e = error as Error & { history?: { loss: number[]; weights: LinearWeights[] } };
        const h = e.history ?? { loss: [], weights: [] };
        const loss = h.loss.filter(Number.isFinite);
        post({ type: 'progress', run: r.run, loss, weights: h.weights.slice(0, loss.length).filter(finite) });
        post({ type: 'diverged', run: r.run, epoch: done + loss.length + 1, lastGood: model.weights, message: e.message });
        return;
      }
      done += epochs;
      if (done < r.epochs) await tick();
    }
    if (live.has(r.run)) post({ type: 'done', run: r.run, weights: model.weights, loss: model.lossAndGrad(data).loss, state: optimizer.getState() });
  } finally {
    live.delete(r.run);
    model.dispose();
  }
}

/** The notes' Elman network on binary addition (seed 1), trained `epochs` passes; its weights and one held-out sum. */
async function addition(r: Extract<Request, { type: 'addition' }>): Promise<void> {
  if (!Number.isInteger(r.epochs) || r.epochs < 1 || r.epochs > 200) throw new ConfigError('epochs', r.epochs, 'an integer from 1 to 200');
  const ex = ADDITION_EXAMPLE;
  const rng = new RandomState(1);
  const sums = binaryAddition({ samples: ex.samples, bits: ex.bits, rng });
  const { x, targets } = sampleRows(binaryAddition({ samples: 1, bits: ex.bits, rng }));
  const model = new ElmanRNN({ ...ex.model, seed: 1 });
  try {
    const h = await trainModel(model, sums, { optimizer: rmsprop(ex.optimizer), epochs: r.epochs, loss: ex.loss, batchSize: ex.batchSize, trackWeights: false });
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
    live.delete(r.run);
    return;
  }
  if (r.type === 'train') live.add(r.run);
  try {
    await ready;
    if (r.type === 'train') await train(r);
    else await addition(r);
  } catch (error) {
    post(r.type === 'addition' ? { type: 'error', job: r.job, message: messageOf(error) } : { type: 'error', run: r.run, message: messageOf(error) });
  }
};
