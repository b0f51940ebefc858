// The worker: load the core, train the tutorial with the settings the page sent, post the result.
// Import maps do not reach workers, so the package's entry is named by path; with a bundler, write 'elman-rnn'.
import { countOnes, init, LinearRNN, RandomState, rmsprop, train } from '/dist/index.js';

self.onmessage = async ({ data: { epochs, lr } }) => {
  try {
    await init();
    const rng = new RandomState(1);
    const data = countOnes({ samples: 20, length: 10, rng });
    const model = new LinearRNN({ wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1) });
    const history = await train(model, data, { optimizer: rmsprop({ lr }), epochs });
    self.postMessage({ ...model.weights, loss: history.loss.at(-1) });
    model.dispose();
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
