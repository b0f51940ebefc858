import { ConfigError } from '../errors.js';

/** An Elman network's weights by name (Keras layout, row-major), as `ElmanRNN.weights` gives them. */
export interface ElmanWeightsLike {
  /** Input weights `[inputSize][hiddenSize]`. */
  kernel: ArrayLike<number>;
  /** Recurrent weights `[hiddenSize][hiddenSize]`. */
  recurrentKernel: ArrayLike<number>;
  /** Hidden bias `[hiddenSize]`. */
  bias: ArrayLike<number>;
  /** Output weights `[hiddenSize][outputSize]`. */
  outputKernel: ArrayLike<number>;
  /** Output bias `[outputSize]`. */
  outputBias: ArrayLike<number>;
}

/**
 * One sequence through an Elman network with an output at every step, forward and backward, in float64.
 * @category Plots
 */
export interface ElmanUnrolled {
  /** x[k][i], k = 0..T-1. */
  readonly x: number[][];
  /** t[k][q], the target at step k+1. */
  readonly targets: number[][];
  /** h[k][j] = act(x_k·K + h_{k-1}·R + b)_j, the hidden state after step k+1. */
  readonly states: number[][];
  /** y[k][q]: the output at step k+1 (sigmoid: a probability). */
  readonly outputs: number[][];
  /** The loss summed over steps: binary cross-entropy for a sigmoid output, squared error for a linear one. */
  readonly loss: number;
  /** dL/dh[k][j]: the whole effect of h_k on the loss, through its own output and every later step. */
  readonly grads: number[][];
}

/**
 * Unroll an Elman network (tanh or linear hidden units; sigmoid + cross-entropy or linear + squared
 * error at every step) over one sequence. Written from the formulas, sharing no code with the kernels:
 *   h_k = act(x_k·K + h_{k-1}·R + b),  y_k = out(h_k·Wo + bo)
 *   dL/dz_k = y_k - t_k (sigmoid + bce) or 2(y_k - t_k) (linear + squared)
 *   dL/dh_k = dL/dz_k·Woᵀ + (dL/dh_{k+1} ⊙ act'(h_{k+1}))·Rᵀ
 * @category Plots
 */
export function unrollElman(
  w: ElmanWeightsLike,
  x: readonly (readonly number[])[],
  targets: readonly (readonly number[])[],
  options: { activation?: 'tanh' | 'linear'; outputActivation?: 'sigmoid' | 'linear' } = {},
): ElmanUnrolled {
  const act = options.activation ?? 'tanh';
  const out = options.outputActivation ?? 'sigmoid';
  if (act !== 'tanh' && act !== 'linear') throw new ConfigError('activation', act, "'tanh' or 'linear'");
  if (out !== 'sigmoid' && out !== 'linear') throw new ConfigError('outputActivation', out, "'sigmoid' or 'linear'");
  const H = w?.bias?.length;
  const O = w?.outputBias?.length;
  if (!H || !O) throw new ConfigError('weights', w, 'an object { kernel, recurrentKernel, bias, outputKernel, outputBias }');
  const I = w.kernel.length / H;
  if (!Number.isInteger(I) || w.recurrentKernel.length !== H * H || w.outputKernel.length !== H * O) throw new ConfigError('weights', w, 'consistent shapes [I][H], [H][H], [H], [H][O], [O]');
  const T = x.length;
  if (T < 1 || targets.length !== T) throw new ConfigError('targets', targets, `one row per step (${T})`);
  x.forEach((row, k) => {
    if (row.length !== I) throw new ConfigError(`x[${k}]`, row, `${I} inputs`);
  });
  const states: number[][] = [];
  const outputs: number[][] = [];
  let loss = 0;
  const dz: number[][] = [];
  for (let k = 0; k < T; k++) {
    const prev = states[k - 1];
    const h = Array.from({ length: H }, (_, j) => {
      let a = w.bias[j]!;
      for (let i = 0; i < I; i++) a += x[k]![i]! * w.kernel[i * H + j]!;
      if (prev) for (let i = 0; i < H; i++) a += prev[i]! * w.recurrentKernel[i * H + j]!;
      return act === 'tanh' ? Math.tanh(a) : a;
    });
    states.push(h);
    const y = Array.from({ length: O }, (_, q) => {
      let z = w.outputBias[q]!;
      for (let j = 0; j < H; j++) z += h[j]! * w.outputKernel[j * O + q]!;
      return out === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z;
    });
    outputs.push(y);
    const t = targets[k]!;
    if (t.length !== O) throw new ConfigError(`targets[${k}]`, t, `${O} values`);
    loss += y.reduce((s, v, q) => s + (out === 'sigmoid' ? -(t[q]! * Math.log(v) + (1 - t[q]!) * Math.log(1 - v)) : (v - t[q]!) ** 2), 0);
    dz.push(y.map((v, q) => (out === 'sigmoid' ? 1 : 2) * (v - t[q]!)));
  }
  const grads: number[][] = new Array(T);
  for (let k = T - 1; k >= 0; k--) {
    const next = grads[k + 1];
    grads[k] = Array.from({ length: H }, (_, j) => {
      let g = 0;
      for (let q = 0; q < O; q++) g += dz[k]![q]! * w.outputKernel[j * O + q]!;
      if (next) {
        const h1 = states[k + 1]!;
        for (let i = 0; i < H; i++) g += next[i]! * (act === 'tanh' ? 1 - h1[i]! ** 2 : 1) * w.recurrentKernel[j * H + i]!;
      }
      return g;
    });
  }
  return { x: x.map((r) => [...r]), targets: targets.map((r) => [...r]), states, outputs, loss, grads };
}
