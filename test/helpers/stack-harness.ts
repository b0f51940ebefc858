// Kernel-level harness for the layer stacks: one batch of all samples through the wasm stack (data
// copied into the arena), the plain-TS stack (float64 when given float64 arrays), and TF.js
// (tf.layers, or the same equations in tf ops for what tf.layers lacks: GRU resetAfter).

import * as tf from '@tensorflow/tfjs';
import { JsStack } from '../../src/backends/js/stack.js';
import { LOSS_SPECS } from '../../src/losses.js';
import type { GateActivation } from '../../src/backends/js/layer.js';
import { core } from '../../src/backends/wasm/core.js';
import { WasmStack } from '../../src/backends/wasm/stack.js';
import type { Sequences } from '../../src/data/sequences.js';
import { stackOffsets, type StackDims } from '../../src/stack-spec.js';
import { RandomState } from '../../src/random.js';

/** The head's row kinds as the harness names them (TF.js's three losses), each the loss spec it runs. */
export type LossKind = 'squared' | 'bce' | 'cce';
const SPEC = { squared: LOSS_SPECS.mse, bce: LOSS_SPECS.bce, cce: LOSS_SPECS.cce } as const;

export interface Result {
  loss: number;
  grads: Float64Array;
}

/** The loss scale that makes our summed loss the mean TF.js's tf.losses take. */
export function meanScale(d: StackDims, data: Sequences, loss: LossKind): number {
  const rows = data.samples * (d.seq ? data.steps : 1);
  return loss === 'cce' ? 1 / rows : 1 / (rows * d.O);
}

/** Random weights in [-r, r) for every parameter (biases included, so every term matters). */
export function randomParams(d: StackDims, seed: number, r = 0.5): Float32Array {
  const rng = new RandomState(seed);
  const p = new Float32Array(stackOffsets(d).size);
  for (let i = 0; i < p.length; i++) p[i] = rng.uniform(-r, r);
  return p;
}

/** Loss and gradients on the wasm backend for all samples as one batch. */
export function wasmLossGrad(d: StackDims, data: Sequences, params: Float32Array, loss: LossKind, s: number, window = 0): Result {
  const { arena } = core();
  const P = params.length, N = data.samples, T = data.steps;
  const [x, t, p, g] = arena.allocAll([data.x.byteLength, data.targets.byteLength, P * 4, P * 4], 'test');
  const stack = new WasmStack(d, N, T);
  try {
    const f32 = arena.f32;
    f32.set(data.x, x! >>> 2);
    f32.set(data.targets, t! >>> 2);
    f32.set(params, p! >>> 2);
    const L = stack.lossGrad(x!, N * d.I, t!, N * d.O, N, T, SPEC[loss], s, window, p!, g!);
    return { loss: L, grads: Float64Array.from(arena.f32.subarray(g! >>> 2, (g! >>> 2) + P)) };
  } finally {
    stack.dispose();
    for (const b of [x!, t!, p!, g!]) arena.release(b);
  }
}

/** Outputs on the wasm backend, [Tout][N][O]. */
export function wasmPredict(d: StackDims, data: Sequences, params: Float32Array): Float32Array {
  const { arena } = core();
  const N = data.samples, T = data.steps, Tout = d.seq ? T : 1;
  const [x, p, y] = arena.allocAll([data.x.byteLength, params.byteLength, Tout * N * d.O * 4], 'test');
  const stack = new WasmStack(d, N, T);
  try {
    arena.f32.set(data.x, x! >>> 2);
    arena.f32.set(params, p! >>> 2);
    stack.predict(x!, N * d.I, N, T, p!, y!);
    return arena.f32.slice(y! >>> 2, (y! >>> 2) + Tout * N * d.O);
  } finally {
    stack.dispose();
    for (const b of [x!, p!, y!]) arena.release(b);
  }
}

/** Loss and gradients on the plain-TS backend (float64 arithmetic; float64 inputs make it the float64 reference). */
export function jsLossGrad(d: StackDims, x: ArrayLike<number>, t: ArrayLike<number>, N: number, T: number, params: ArrayLike<number>, loss: LossKind, s: number, window = 0, withGrad = true): Result {
  const stack = new JsStack(d, N, T);
  const g = new Float64Array(params.length);
  const L = stack.lossGrad({ x, x0: 0, xs: N * d.I, t, t0: 0, ts: N * d.O, B: N, T }, SPEC[loss], s, window, params, withGrad ? g : null);
  return { loss: L, grads: g };
}

/** Central differences of the float64 plain-TS loss, all in float64. */
export function finiteDiff(d: StackDims, data: Sequences, params: Float32Array, loss: LossKind, s: number, window = 0, h = 1e-6): Float64Array {
  const x = Float64Array.from(data.x), t = Float64Array.from(data.targets), p = Float64Array.from(params);
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    p[i] = v + h;
    const up = jsLossGrad(d, x, t, data.samples, data.steps, p, loss, s, window, false).loss;
    p[i] = v - h;
    const down = jsLossGrad(d, x, t, data.samples, data.steps, p, loss, s, window, false).loss;
    p[i] = v;
    out[i] = (up - down) / (2 * h);
  }
  return out;
}

/** Batch-major [N][steps][width] from time-major [steps][N][width]. */
export function batchMajor(a: Float32Array, steps: number, n: number, width: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let k = 0; k < steps; k++) for (let s = 0; s < n; s++) for (let i = 0; i < width; i++) out[(s * steps + k) * width + i] = a[(k * n + s) * width + i]!;
  return out;
}

const TF_ACT: Record<GateActivation, string> = { linear: 'linear', tanh: 'tanh', relu: 'relu', sigmoid: 'sigmoid', hardSigmoid: 'hardSigmoid' };

function tfAct(a: GateActivation, v: tf.Tensor): tf.Tensor {
  if (a === 'tanh') return tf.tanh(v);
  if (a === 'sigmoid') return tf.sigmoid(v);
  if (a === 'relu') return tf.relu(v);
  if (a === 'hardSigmoid') return tf.clipByValue(tf.add(tf.mul(v, 0.2), 0.5), 0, 1);
  return v;
}

/** The weight tensors of every layer and the head, in Keras order, from our flat params. */
function tfWeights(d: StackDims, params: Float32Array): tf.Tensor[] {
  const o = stackOffsets(d);
  const out: tf.Tensor[] = [];
  d.layers.forEach((l, i) => {
    const lo = o.layers[i]!, G = (l.cell === 'simple' ? 1 : l.cell === 'gru' ? 3 : 4) * l.units;
    out.push(tf.tensor2d(params.slice(lo.kernel, lo.recurrentKernel), [lo.inputs, G]));
    out.push(tf.tensor2d(params.slice(lo.recurrentKernel, lo.bias), [l.units, G]));
    out.push(tf.tensor(params.slice(lo.bias, lo.end), [...lo.biasShape]));
  });
  const H = d.layers[d.layers.length - 1]!.units;
  out.push(tf.tensor2d(params.slice(o.head, o.headBias), [H, d.O]), tf.tensor1d(params.slice(o.headBias, o.size)));
  return out;
}

/** Identity whose gradient is zero. */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({ value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as unknown as Parameters<typeof tf.customGrad>[0]);

/** The network in raw tf ops over variables (time-major loop): used where tf.layers has no equivalent. */
function tfManual(d: StackDims, vars: tf.Variable[], xs: tf.Tensor3D, fused: boolean, window: number): tf.Tensor {
  let seq: tf.Tensor2D[] = tf.unstack(xs, 1) as tf.Tensor2D[]; // steps of [N][I]
  const N = xs.shape[0];
  d.layers.forEach((l, li) => {
    const [K, R, b] = vars.slice(3 * li, 3 * li + 3) as [tf.Variable, tf.Variable, tf.Variable];
    const H = l.units;
    let h: tf.Tensor2D = tf.zeros([N, H]);
    let c: tf.Tensor2D = tf.zeros([N, H]);
    const outs: tf.Tensor2D[] = [];
    for (const [k0, x] of seq.entries()) {
      // Truncated BPTT: no gradient from step k0 + 1 into the state it starts from, at window edges.
      if (window > 0 && k0 % window === 0) {
        h = stopGradient(h) as tf.Tensor2D;
        c = stopGradient(c) as tf.Tensor2D;
      }
      if (l.cell === 'simple') h = tfAct(l.activation, tf.add(tf.add(tf.matMul(x, K), tf.matMul(h, R)), b)) as tf.Tensor2D;
      else if (l.cell === 'lstm') {
        const z = tf.add(tf.add(tf.matMul(x, K), tf.matMul(h, R)), b);
        const [zi, zf, zc, zo] = tf.split(z, 4, 1);
        c = tf.add(tf.mul(tfAct(l.recurrentActivation, zf!), c), tf.mul(tfAct(l.recurrentActivation, zi!), tfAct(l.activation, zc!))) as tf.Tensor2D;
        h = tf.mul(tfAct(l.recurrentActivation, zo!), tfAct(l.activation, c)) as tf.Tensor2D;
      } else {
        const [bi, br] = l.resetAfter ? (tf.unstack(b) as [tf.Tensor1D, tf.Tensor1D]) : [b as tf.Tensor, tf.zeros([3 * H])];
        const xz = tf.add(tf.matMul(x, K), bi);
        const [xz0, xr0, xh0] = tf.split(xz, 3, 1);
        const [Rz, Rr, Rh] = tf.split(R, 3, 1);
        const [bz, brr, bh] = tf.split(br, 3, 0);
        const z = tfAct(l.recurrentActivation, tf.add(tf.add(xz0!, tf.matMul(h, Rz!)), bz!));
        const r = tfAct(l.recurrentActivation, tf.add(tf.add(xr0!, tf.matMul(h, Rr!)), brr!));
        const n = l.resetAfter
          ? tfAct(l.activation, tf.add(xh0!, tf.mul(r, tf.add(tf.matMul(h, Rh!), bh!))))
          : tfAct(l.activation, tf.add(xh0!, tf.matMul(tf.mul(r, h), Rh!)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), n)) as tf.Tensor2D;
      }
      outs.push(h);
    }
    seq = outs;
  });
  const [Wo, bo] = vars.slice(3 * d.layers.length) as [tf.Variable, tf.Variable];
  const head = (h: tf.Tensor2D): tf.Tensor => {
    const z = tf.add(tf.matMul(h, Wo), bo);
    return fused || d.outAct === 'linear' ? z : d.outAct === 'sigmoid' ? tf.sigmoid(z) : tf.softmax(z);
  };
  return d.seq ? tf.stack(seq.map(head), 1) : head(seq[seq.length - 1]!);
}

/** The network in TF.js with our weights: tf.layers, or the raw-op form for GRU resetAfter and truncation. */
function tfNet(d: StackDims, T: number, params: Float32Array, fused: boolean, window: number): { apply(xs: tf.Tensor3D): tf.Tensor; vars: tf.Variable[]; dispose(): void } {
  const weights = tfWeights(d, params);
  if (window > 0 || d.layers.some((l) => l.cell === 'gru' && l.resetAfter)) {
    const vars = weights.map((w) => tf.variable(w));
    tf.dispose(weights);
    return { apply: (xs) => tfManual(d, vars, xs, fused, window), vars, dispose: () => tf.dispose(vars) };
  }
  const net = tf.sequential();
  d.layers.forEach((l, i) => {
    const common = { units: l.units, activation: TF_ACT[l.activation] as 'tanh', returnSequences: i < d.layers.length - 1 || d.seq, ...(i === 0 ? { inputShape: [T, d.I] } : {}) };
    if (l.cell === 'simple') net.add(tf.layers.simpleRNN(common));
    else if (l.cell === 'gru') net.add(tf.layers.gru({ ...common, recurrentActivation: TF_ACT[l.recurrentActivation] as 'sigmoid' }));
    else net.add(tf.layers.lstm({ ...common, recurrentActivation: TF_ACT[l.recurrentActivation] as 'sigmoid' }));
  });
  net.add(tf.layers.dense({ units: d.O, activation: fused ? 'linear' : d.outAct }));
  net.setWeights(weights);
  tf.dispose(weights);
  return { apply: (xs) => net.apply(xs, { training: true }) as tf.Tensor, vars: net.trainableWeights.map((v) => v.read() as tf.Variable), dispose: () => net.dispose() };
}

/** TF.js's outputs, time-major [Tout][N][O]. */
export function tfPredict(d: StackDims, data: Sequences, params: Float32Array): Float32Array {
  const { samples: N, steps: T } = data;
  const net = tfNet(d, T, params, false, 0);
  const xs = tf.tensor3d(batchMajor(data.x, T, N, d.I), [N, T, d.I]);
  const y = net.apply(xs);
  const flat = y.dataSync() as Float32Array;
  tf.dispose([xs, y]);
  net.dispose();
  if (!d.seq) return Float32Array.from(flat);
  const out = new Float32Array(flat.length); // batch-major [N][T][O] back to time-major
  for (let n = 0; n < N; n++) for (let k = 0; k < T; k++) for (let o = 0; o < d.O; o++) out[(k * N + n) * d.O + o] = flat[(n * T + k) * d.O + o]!;
  return out;
}

/**
 * TF.js's loss (mean, as tf.losses take it) and gradients, in our flat layout. tf.layers builds the
 * network unless it needs the raw-op form: GRU resetAfter, or truncation (stop-gradient at window edges).
 */
export function tfLossGrad(d: StackDims, data: Sequences, params: Float32Array, loss: LossKind, window = 0): Result {
  const { samples: N, steps: T } = data;
  const fused = loss !== 'squared';
  const S = d.seq ? T : 1;
  const xs = tf.tensor3d(batchMajor(data.x, T, N, d.I), [N, T, d.I]);
  const ys = d.seq ? tf.tensor3d(batchMajor(data.targets, S, N, d.O), [N, S, d.O]) : tf.tensor2d(data.targets, [N, d.O]);
  const net = tfNet(d, T, params, fused, window);
  const vars = net.vars;
  const f = (): tf.Scalar => {
    const y = net.apply(xs);
    if (loss === 'squared') return tf.losses.meanSquaredError(ys, y) as tf.Scalar;
    if (loss === 'bce') return tf.losses.sigmoidCrossEntropy(ys, y) as tf.Scalar;
    return tf.losses.softmaxCrossEntropy(ys.reshape([-1, d.O]), y.reshape([-1, d.O])) as tf.Scalar;
  };
  const { value, grads } = tf.variableGrads(f, vars);
  const flat = new Float64Array(params.length);
  let at = 0;
  for (const v of vars) {
    const gv = grads[v.name]!.dataSync();
    flat.set(gv, at);
    at += gv.length;
  }
  const out = { loss: value.dataSync()[0]!, grads: flat };
  tf.dispose([value, ...Object.values(grads), xs, ys]);
  net.dispose();
  return out;
}

/** Worst relative difference of a from b: per entry, entries far below b's largest compared at 1e-2 of that largest. */
export function worstRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-2 * scale, 1e-12));
  return worst;
}
