// The core's activations through the door users use, shared by test/cells/activations-fast (in the
// test process, on the plain core) and its child process on the relaxed-SIMD core: a one-unit network
// whose hidden state is exactly act(x) (kernel 1, recurrent 0, bias 0) and whose output is exactly
// that state (output kernel 1, bias 0). Takes the package's namespace, as test/runtimes/relaxed.mjs does.

/** act(x) for every x, one sample each, on the wasm backend. */
export function through(elman, act, xs) {
  const model = new elman.ElmanRNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, activation: act, backend: 'wasm' });
  try {
    model.weights = { kernel: [[1]], recurrentKernel: [[0]], bias: [0], outputKernel: [[1]], outputBias: [0] };
    return model.predict({ samples: xs.length, steps: 1, inputSize: 1, outputSize: 1, x: xs, targets: new Float32Array(xs.length) });
  } finally {
    model.dispose();
  }
}

/** Dense and extreme float32 inputs, both signs: a fine uniform grid, every binade from the least subnormal to the largest finite value, and edges. */
export function grid() {
  const v = [];
  for (let i = 0; i <= 1 << 20; i++) v.push(-12 + (24 * i) / (1 << 20));
  // The tails, where sigmoid's 2^n moves through every exponent: 90 values per unit out to ±100.
  for (let i = 0; i <= 18000; i++) v.push(-100 + i / 90);
  const bits = new Uint32Array(1);
  const f = new Float32Array(bits.buffer);
  // 64 values per binade over all exponents, subnormals included (bit patterns 1 .. 0x7f7fffff).
  for (let e = 0; e < 255; e++) for (let m = 0; m < 64; m++) {
    bits[0] = (e << 23) | (m * 131071 + (m === 0 ? 1 : 0));
    v.push(f[0], -f[0]);
  }
  const edges = [0, -0, 1.4e-45, 1.1754942e-38, 1.1754944e-38, 3.4028235e38, 2e-4, 0.3, 0.34657, 0.5, 1, 2, 4.5, 8.99, 9, 9.01, 16.83, 20, 87, 87.3, 88.37, 88.38, 88.72, 88.8, 1e6];
  for (const x of edges) v.push(x, -x);
  return Float32Array.from(v);
}

/** The grid through tanh and sigmoid, as base64 of the float32 bytes (for a child process to print). */
export function activationBits(elman) {
  const xs = grid();
  const b64 = (y) => Buffer.from(y.buffer, y.byteOffset, y.byteLength).toString('base64');
  return { features: elman.coreFeatures(), tanh: b64(through(elman, 'tanh', xs)), sigmoid: b64(through(elman, 'sigmoid', xs)) };
}
