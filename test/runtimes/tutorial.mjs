// The tutorial, trained the same way in every runtime: seed 1, 20 × 10 bits, sse, full batch, 2001 epochs.
// Takes the package's namespace so each runtime can load it its own way; returns plain JSON.

/** Hex of the float32 bits of each parameter: equal strings mean bit-identical weights. */
export function bits(params) {
  return Array.from(new Uint32Array(Float32Array.from(params).buffer), (u) => u.toString(16).padStart(8, '0')).join(' ');
}

/** Train gradient descent (lr 1e-5) and RMSProp (lr 1e-3) on every backend; final weights per run. */
export function tutorialRuns(elman) {
  const optimizers = { sgd: () => elman.sgd({ lr: 1e-5 }), rmsprop: () => elman.rmsprop({ lr: 1e-3 }) };
  const backends = { 'wasm-simd': { backend: 'wasm', simd: true }, 'wasm-scalar': { backend: 'wasm', simd: false }, js: { backend: 'js' } };
  const runs = {};
  for (const [name, make] of Object.entries(optimizers)) {
    for (const [variant, options] of Object.entries(backends)) {
      const rng = new elman.RandomState(1);
      const data = elman.countOnes({ samples: 20, length: 10, rng });
      const model = new elman.LinearRNN({ wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1), ...options });
      const history = elman.trainSync(model, data, { optimizer: make(), epochs: 2001, trackWeights: false });
      runs[`${name}/${variant}`] = { ...model.weights, loss: history.loss.at(-1), bits: bits(model.params) };
      model.dispose();
    }
  }
  return { ...runs, ...gatedRuns(elman) };
}

/**
 * A GRU → LSTM stack on the wasm core (Keras 3 defaults, Adam, 20 epochs of 4 mini-batches) on
 * next-value data drawn from RandomState(3), then 5 steps of `step` over 2 streams: the float32 bits
 * of the weights and of the stepped outputs. Only wasm: the js backend's Math.tanh/exp may round
 * differently in another engine.
 */
export function gatedRuns(elman) {
  const rng = new elman.RandomState(3);
  const [samples, steps] = [16, 12];
  const v = Float32Array.from({ length: (steps + 1) * samples }, () => rng.uniform(-1, 1));
  const data = { samples, steps, inputSize: 1, outputSize: 1, x: v.slice(0, steps * samples), targets: v.slice(samples), targetsPerStep: true };
  const model = new elman.RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 6 }, { cell: 'lstm', units: 4 }], outputSize: 1, returnSequences: true, defaults: 'keras3', seed: 1 });
  const history = elman.trainSync(model, data, { optimizer: elman.adam({ lr: 0.01 }), epochs: 20, batchSize: 4, loss: 'mse', trackWeights: false });
  const stepped = [];
  for (let k = 0; k < 5; k++) stepped.push(...model.step(v.subarray(k * 2, k * 2 + 2)));
  const run = { first: history.loss[0], loss: history.loss.at(-1), bits: bits(model.params), stepped: bits(stepped) };
  model.dispose();
  return { 'gru-lstm/wasm-simd': run };
}
