// What the relaxed-SIMD core must hold, computed the same way wherever the package runs (Node with
// --experimental-wasm-relaxed-simd, Chromium): takes the package's namespace after init(), returns
// plain JSON for the test to judge. The networks are at least 4 samples × 8 units, so their products
// run through the f32x4 register blocks that relaxed_madd replaces (not only the scalar tails).

/** Seeded uniform data in [-1, 1): x [T][n][I], targets per step when `seq`. */
function data(elman, seed, n, T, I, O, seq) {
  const rng = new elman.RandomState(seed);
  const x = Float32Array.from({ length: n * T * I }, () => rng.uniform(-1, 1));
  const targets = Float32Array.from({ length: (seq ? T : 1) * n * O }, () => rng.uniform(-1, 1));
  return { samples: n, steps: T, inputSize: I, outputSize: O, x, targets, targetsPerStep: seq };
}

/** Central differences of the float64 loss against each backend's BPTT gradient; the wasm side's analytic gradient kept to compare with js's. */
function gradients(elman, make, d, loss, eps) {
  const out = {};
  for (const backend of ['wasm', 'js']) {
    const model = make(backend);
    const r = elman.gradCheck(model, d, { loss, eps, tolerance: 1 });
    out[backend] = { analytic: Array.from(r.analytic), numerical: Array.from(r.numerical), worst: r.maxRelativeError };
    model.dispose();
  }
  return out;
}

export function relaxedChecks(elman) {
  // a·a + c with a = 1 + 2⁻¹², c = −(1 + 2⁻¹¹): 2⁻²⁴ when the multiply-add is fused, 0 when a·a is rounded first.
  const a = 1 + 2 ** -12, c = -(1 + 2 ** -11);
  const probe = new elman.ElmanRNN({ inputSize: 1, hiddenSize: 4, outputSize: 1, activation: 'linear', backend: 'wasm' });
  probe.weights = { kernel: [[a, a, a, a]], recurrentKernel: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], bias: [c, c, c, c], outputKernel: [[1], [0], [0], [0]], outputBias: [0] };
  const madd = probe.predict({ samples: 1, steps: 1, inputSize: 1, outputSize: 1, x: Float32Array.of(a), targets: new Float32Array(1) })[0];
  probe.dispose();

  const d = data(elman, 5, 12, 6, 3, 2, true);
  const elmanGrads = gradients(elman, (backend) => {
    const m = new elman.ElmanRNN({ inputSize: 3, hiddenSize: 8, outputSize: 2, returnSequences: true, seed: 4, backend });
    m.setWeights({ bias: [0.1, -0.2, 0.05, 0.3, -0.1, 0.2, 0.15, -0.05], outputBias: [0.1, -0.3] });
    return m;
  }, d, 'mse', 1e-6);
  const g = data(elman, 6, 8, 5, 2, 1, false);
  const stackGrads = gradients(elman, (backend) => new elman.RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 8 }, { cell: 'lstm', units: 8 }], outputSize: 1, seed: 2, backend }), g, 'mse', 1e-5);

  // Training: an Elman network of hidden 16 on 64 samples, 30 epochs of RMSProp in batches of 16.
  const t = data(elman, 7, 64, 10, 2, 1, false);
  const losses = {};
  for (const backend of ['wasm', 'js']) {
    const m = new elman.ElmanRNN({ inputSize: 2, hiddenSize: 16, outputSize: 1, seed: 3, backend });
    losses[backend] = elman.trainSync(m, t, { optimizer: elman.rmsprop({ lr: 0.01 }), epochs: 30, loss: 'mse', batchSize: 16, trackWeights: false }).loss;
    m.dispose();
  }
  return { features: elman.coreFeatures(), madd, elmanGrads, stackGrads, losses };
}
