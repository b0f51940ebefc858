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
  return runs;
}
