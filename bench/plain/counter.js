// The bench's "plain JS" yardstick for the counter: what a user would write without elman.
// Independent of src/ on purpose (it imports nothing from the package): Float32Array storage,
// ordinary JS numbers for the arithmetic, one loop over the samples per time step, buffers
// allocated once per call, nothing made slow on purpose.
//
// Model: s[k] = x[k]·wx + s[k-1]·wRec, s[0] = 0, y = s[T]; loss = Σ (y − t)² (sse);
// gradients by backpropagation through time; RMSProp: ms ← ρ·ms + (1−ρ)·g², w ← w − lr·g/√(ms + ε).

/**
 * Loss and gradient of the counter on time-major inputs (x[k*n + i] is sample i at step k).
 * `states`, if given, is scratch of n·(T+1) floats reused between calls.
 */
export function counterLossGrad(x, targets, n, T, wx, wRec, states = new Float32Array(n * (T + 1)), delta = new Float32Array(n)) {
  // Forward: row k of `states` holds every sample's state after k steps.
  for (let i = 0; i < n; i++) states[i] = 0;
  for (let k = 1; k <= T; k++) {
    const xo = (k - 1) * n;
    const so = k * n;
    const po = so - n;
    for (let i = 0; i < n; i++) states[so + i] = x[xo + i] * wx + states[po + i] * wRec;
  }
  let loss = 0;
  const yo = T * n;
  for (let i = 0; i < n; i++) {
    const e = states[yo + i] - targets[i];
    loss += e * e;
    delta[i] = 2 * e;
  }
  // Backward: delta is dL/ds[k]; each step adds its share to both gradients, then moves back one step.
  let gx = 0;
  let gRec = 0;
  for (let k = T; k >= 1; k--) {
    const xo = (k - 1) * n;
    for (let i = 0; i < n; i++) {
      const d = delta[i];
      gx += d * x[xo + i];
      gRec += d * states[xo + i];
      delta[i] = d * wRec;
    }
  }
  return { loss, gx, gRec };
}

/**
 * Trains the counter for `epochs` full-batch RMSProp epochs from (wx, wRec).
 * Returns the final weights and the loss of the last epoch (before its update).
 */
export function trainCounter({ x, targets, samples: n, steps: T }, { wx, wRec }, { epochs, lr = 1e-3, rho = 0.9, eps = 1e-6 }) {
  const states = new Float32Array(n * (T + 1));
  const delta = new Float32Array(n);
  let msx = 0;
  let msRec = 0;
  let loss = NaN;
  for (let e = 0; e < epochs; e++) {
    const r = counterLossGrad(x, targets, n, T, wx, wRec, states, delta);
    loss = r.loss;
    msx = rho * msx + (1 - rho) * r.gx * r.gx;
    msRec = rho * msRec + (1 - rho) * r.gRec * r.gRec;
    wx -= (lr * r.gx) / Math.sqrt(msx + eps);
    wRec -= (lr * r.gRec) / Math.sqrt(msRec + eps);
  }
  return { wx, wRec, loss };
}
