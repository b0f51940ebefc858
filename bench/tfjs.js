// The counter in TensorFlow.js, written as a TF.js user would: two scalar variables, the loop
// over time steps inside `optimizer.minimize`, autodiff for BPTT. Used by bench/run.js.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

// TF.js is a yardstick, not a dependency: it lives in the test-only package (test/package.json),
// which `npm run bench` installs first; resolved from there, the same files a bare import would load.
const require = createRequire(new URL('../test/package.json', import.meta.url));
const tf = await import(pathToFileURL(require.resolve('@tensorflow/tfjs')).href);
const { setWasmPaths } = await import(pathToFileURL(require.resolve('@tensorflow/tfjs-backend-wasm')).href);
// In Node the wasm backend finds its .wasm files through a path to its dist directory.
setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');

/** Switch TF.js to 'cpu' or 'wasm' and report what the backend is running on. */
export async function useBackend(name) {
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend ${name} failed to start`);
  await tf.ready();
  if (name !== 'wasm') return name;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `wasm (${simd ? 'SIMD' : 'no SIMD'}${threads ? ', threads' : ''})`;
}

/** Make `name` the active backend if it is not already (cheap when it is: rows interleave backends). */
export async function switchTo(name) {
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`TF.js backend ${name} failed to start`);
}

/** A trainer for time-major counter data: `epochs(E)` runs E full-batch RMSProp updates. */
export function tfTrainer(data, w0, { lr, loss }) {
  const n = data.samples;
  const T = data.steps;
  const xs = tf.tidy(() => tf.unstack(tf.tensor2d(data.x, [T, n])));
  const t = tf.tensor1d(data.targets.subarray(0, n));
  const wx = tf.variable(tf.scalar(w0.wx));
  const wRec = tf.variable(tf.scalar(w0.wRec));
  let optimizer = tf.train.rmsprop(lr, 0.9, 0, 1e-6);
  const lossFn = () => {
    let s = tf.zeros([n]);
    for (const xk of xs) s = tf.add(tf.mul(xk, wx), tf.mul(s, wRec));
    const sq = tf.sum(tf.square(tf.sub(s, t)));
    return loss === 'mse' ? tf.div(sq, n) : sq;
  };
  return {
    /** Back to weights w and a fresh optimizer, as elman's rows restart every call. */
    reset(w) {
      tf.tidy(() => {
        wx.assign(tf.scalar(w.wx));
        wRec.assign(tf.scalar(w.wRec));
      });
      optimizer.dispose();
      optimizer = tf.train.rmsprop(lr, 0.9, 0, 1e-6);
    },
    epochs(E) {
      for (let e = 0; e < E; e++) optimizer.minimize(lossFn, false, [wx, wRec]);
    },
    weights() {
      return { wx: wx.dataSync()[0], wRec: wRec.dataSync()[0] };
    },
    loss() {
      return tf.tidy(() => lossFn().dataSync()[0]);
    },
    dispose() {
      tf.dispose([...xs, t, wx, wRec]);
      optimizer.dispose();
    },
  };
}

/** TF.js wants sample-major [samples, steps, input]; bench data is time-major. */
function sampleMajor({ x, samples: n, steps: T, inputSize: I }) {
  const bm = new Float32Array(x.length);
  for (let k = 0; k < T; k++) for (let r = 0; r < n; r++) for (let i = 0; i < I; i++) bm[(r * T + k) * I + i] = x[(k * n + r) * I + i];
  return bm;
}

/**
 * `model.fit` rows on the cpu and wasm backends for a recurrent layer `layer(tf, inputShape)` + a
 * one-unit dense head, mse, RMSProp(lr), batches of `batch` in order: { key, name, run, dispose }.
 */
export async function fitRows(data, layer, { batch, lr, epochs }) {
  const rows = [];
  const bm = sampleMajor(data);
  for (const backend of ['cpu', 'wasm']) {
    await switchTo(backend);
    const xs = tf.tensor3d(bm, [data.samples, data.steps, data.inputSize]);
    const ys = tf.tensor2d(data.targets, [data.samples, 1]);
    const model = tf.sequential({ layers: [layer(tf, [data.steps, data.inputSize]), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: tf.train.rmsprop(lr), loss: 'meanSquaredError' });
    await model.fit(xs, ys, { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 }); // compile kernels outside the timing
    rows.push({
      key: `tf${backend}`,
      name: `TF.js ${backend} model.fit`,
      // Training continues from call to call: rebuilding the model would time TF.js's set-up too.
      run: async () => {
        await switchTo(backend);
        await model.fit(xs, ys, { batchSize: batch, epochs, shuffle: false, verbose: 0 });
      },
      dispose: () => {
        tf.dispose([xs, ys]);
        model.dispose();
      },
    });
  }
  return rows;
}

export { tf };
