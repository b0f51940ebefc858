// The six closed-form optimizer updates, float32 twins of src/optimizers/*.ts: the same
// operations in the same order, each rounded to f32 as the TypeScript side rounds with fround,
// so a run inside the core matches the epoch-by-epoch run bit for bit.
// Every rule updates p f32[P] in place from g f32[P]; `h` holds the f32 hyper-parameters and
// `st` the slots, f32[P] each, in the order given below.
// `t` is the new step number (1-based), as `SlotOptimizer.t` is when `update` runs.

type float = f32;

// Rule codes (src/abi/codes.ts) and their hyper-parameters h and slots st, in the order each
// optimizer's `core` declaration (src/optimizers/*.ts) lays them out:
//   RULE_SGD      h = [lr]
//   RULE_MOMENTUM h = [lr, μ, nesterov];              st = [velocity]
//   RULE_RMSPROP  h = [lr, ρ, 1−ρ, ε, μ, nesterov];   st = [meanSquare, velocity]
//   RULE_RPROP    h = [η+, η−, stepMin, stepMax];     st = [step, previousSign]
//   RULE_ADAM     h = [lr, β1, β2, ε, 1−β1, 1−β2];    st = [m, v]
//   RULE_ADAGRAD  h = [lr, ε];                         st = [accumulator]
import { RULE_ADAGRAD, RULE_ADAM, RULE_MOMENTUM, RULE_RMSPROP, RULE_RPROP, RULE_SGD } from '../src/abi/codes';

/** b^t by binary exponentiation in f64: the reproducible power both sides use for Adam's bias correction. */
export function powi(b: f64, t: i32): f64 {
  let r: f64 = 1;
  let base = b;
  while (t > 0) {
    if (t & 1) r *= base;
    base *= base;
    t >>= 1;
  }
  return r;
}

// @ts-ignore: decorator
@inline function h(hyper: usize, i: i32): float {
  return load<float>(hyper + (<usize>i << 2));
}

/**
 * One update of rule `rule` (RULE_SGD … RULE_ADAGRAD) on P parameters at byte offsets p, g; slots at
 * st. The parameters before it go to `keep` as they are read (0: nowhere), and the result says whether
 * every new parameter is finite: a batch's last good parameters and its check after the step come
 * with the pass itself. An unknown rule traps.
 */
export function optimizerStep(rule: i32, p: usize, g: usize, P: i32, hyper: usize, st: usize, t: i32, keep: usize): bool {
  switch (rule) {
    case RULE_SGD: return sgd(p, g, P, hyper, keep);
    case RULE_MOMENTUM: return momentum(p, g, P, hyper, st, keep);
    case RULE_RMSPROP: return rmsprop(p, g, P, hyper, st, keep);
    case RULE_RPROP: return rprop(p, g, P, hyper, st, keep);
    case RULE_ADAM: return adam(p, g, P, hyper, st, t, keep);
    case RULE_ADAGRAD: return adagrad(p, g, P, hyper, st, keep);
    default: unreachable();
  }
  return false;
}

// Each rule runs four parameters per f32x4 step, then one at a time: lane-wise add, mul, div and
// sqrt round as their scalar twins do, so the widths agree bit for bit (rprop stays scalar: its sign logic).

// @ts-ignore: decorator
@inline function v(hyper: usize, i: i32): v128 {
  return v128.load32_splat(hyper + (<usize>i << 2));
}

/** Four parameters read for an update, copied to keep + o first when keep ≠ 0. */
// @ts-ignore: decorator
@inline function read4(p: usize, keep: usize, o: usize): v128 {
  const x = v128.load(p + o);
  if (keep) v128.store(keep + o, x);
  return x;
}

// @ts-ignore: decorator
@inline function read1(p: usize, keep: usize, o: usize): float {
  const x = load<float>(p + o);
  if (keep) store<float>(keep + o, x);
  return x;
}

/** Four new parameters stored; `bad` gathers x − x, NaN exactly where one is not finite. */
// @ts-ignore: decorator
@inline function write4(p: usize, o: usize, x: v128, bad: v128): v128 {
  v128.store(p + o, x);
  return f32x4.add(bad, f32x4.sub(x, x));
}

/** One new parameter stored; `tail` gathers x − x as write4's `bad` does. */
// @ts-ignore: decorator
@inline function write1(p: usize, o: usize, x: float, tail: float): float {
  store<float>(p + o, x);
  return tail + (x - x);
}

/** True when no lane of the gathered x − x, nor the tail's, is NaN. */
// @ts-ignore: decorator
@inline function finite(bad: v128, tail: float): bool {
  return i32x4.all_true(f32x4.eq(bad, bad)) && tail == tail;
}

/** p ← p − lr·g */
function sgd(p: usize, g: usize, P: i32, hyper: usize, keep: usize): bool {
  const lr = h(hyper, 0), lr4 = v(hyper, 0);
  let bad = f32x4.splat(0), tail: float = 0;
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    bad = write4(p, o, f32x4.sub(read4(p, keep, o), f32x4.mul(lr4, v128.load(g + o))), bad);
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    tail = write1(p, o, read1(p, keep, o) - lr * load<float>(g + o), tail);
  }
  return finite(bad, tail);
}

/** v ← μ·v − lr·g;  p ← p + v (classic) or p ← p + μ·v − lr·g (Nesterov) */
function momentum(p: usize, g: usize, P: i32, hyper: usize, st: usize, keep: usize): bool {
  const lr = h(hyper, 0), mu = h(hyper, 1), nesterov = h(hyper, 2) != 0;
  const lr4 = v(hyper, 0), mu4 = v(hyper, 1);
  let bad = f32x4.splat(0), tail: float = 0;
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    const step = f32x4.mul(lr4, v128.load(g + o));
    const w = f32x4.sub(f32x4.mul(mu4, v128.load(st + o)), step);
    v128.store(st + o, w);
    bad = write4(p, o, f32x4.add(read4(p, keep, o), nesterov ? f32x4.sub(f32x4.mul(mu4, w), step) : w), bad);
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    const step = lr * load<float>(g + o);
    const w = mu * load<float>(st + o) - step;
    store<float>(st + o, w);
    tail = write1(p, o, read1(p, keep, o) + (nesterov ? mu * w - step : w), tail);
  }
  return finite(bad, tail);
}

/** ms ← ρ·ms + (1−ρ)·g²;  d ← lr·g / √(ms + ε);  v ← μ·v + d;  p ← p − v or p − (μ·v + d) */
function rmsprop(p: usize, g: usize, P: i32, hyper: usize, st: usize, keep: usize): bool {
  const slot = <usize>P << 2;
  const lr = h(hyper, 0), rho = h(hyper, 1), oneMinusRho = h(hyper, 2), eps = h(hyper, 3), mu = h(hyper, 4);
  const nesterov = h(hyper, 5) != 0;
  const lr4 = v(hyper, 0), rho4 = v(hyper, 1), omr4 = v(hyper, 2), eps4 = v(hyper, 3), mu4 = v(hyper, 4);
  let bad = f32x4.splat(0), tail: float = 0;
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const m = f32x4.add(f32x4.mul(rho4, v128.load(st + o)), f32x4.mul(omr4, f32x4.mul(gi, gi)));
    v128.store(st + o, m);
    const d = f32x4.div(f32x4.mul(lr4, gi), f32x4.sqrt(f32x4.add(m, eps4)));
    const w = f32x4.add(f32x4.mul(mu4, v128.load(st + slot + o)), d);
    v128.store(st + slot + o, w);
    bad = write4(p, o, f32x4.sub(read4(p, keep, o), nesterov ? f32x4.add(f32x4.mul(mu4, w), d) : w), bad);
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    const gi = load<float>(g + o);
    const m = rho * load<float>(st + o) + oneMinusRho * (gi * gi);
    store<float>(st + o, m);
    const d = (lr * gi) / Mathf.sqrt(m + eps);
    const w = mu * load<float>(st + slot + o) + d;
    store<float>(st + slot + o, w);
    tail = write1(p, o, read1(p, keep, o) - (nesterov ? mu * w + d : w), tail);
  }
  return finite(bad, tail);
}

/** step ← step·η+ if sign(g) = previous sign, else step·η−, clamped;  p ← p − sign(g)·step */
function rprop(p: usize, g: usize, P: i32, hyper: usize, st: usize, keep: usize): bool {
  const slot = <usize>P << 2;
  const etaPlus = h(hyper, 0), etaMinus = h(hyper, 1), stepMin = h(hyper, 2), stepMax = h(hyper, 3);
  let tail: float = 0;
  for (let i = 0; i < P; i++) {
    const o = <usize>i << 2;
    const gi = load<float>(g + o);
    const s: float = gi > 0 ? 1 : gi < 0 ? -1 : gi; // Math.sign: keeps ±0
    const grown = load<float>(st + o) * (s == load<float>(st + slot + o) ? etaPlus : etaMinus);
    const d = min<float>(max<float>(grown, stepMin), stepMax);
    store<float>(st + o, d);
    store<float>(st + slot + o, s);
    tail = write1(p, o, read1(p, keep, o) - s * d, tail);
  }
  return tail == tail;
}

/** m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  lr_t = lr·√(1−β2^t)/(1−β1^t) in f64;  p ← p − lr_t·m/(√v + ε) */
function adam(p: usize, g: usize, P: i32, hyper: usize, st: usize, t: i32, keep: usize): bool {
  const slot = <usize>P << 2;
  const lr = h(hyper, 0), beta1 = h(hyper, 1), beta2 = h(hyper, 2), eps = h(hyper, 3), c1 = h(hyper, 4), c2 = h(hyper, 5);
  const lrT = <float>((<f64>lr * Math.sqrt(1 - powi(<f64>beta2, t))) / (1 - powi(<f64>beta1, t)));
  const b14 = v(hyper, 1), b24 = v(hyper, 2), eps4 = v(hyper, 3), c14 = v(hyper, 4), c24 = v(hyper, 5), lrT4 = f32x4.splat(lrT);
  let bad = f32x4.splat(0), tail: float = 0;
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const m = f32x4.add(f32x4.mul(b14, v128.load(st + o)), f32x4.mul(c14, gi));
    const w = f32x4.add(f32x4.mul(b24, v128.load(st + slot + o)), f32x4.mul(f32x4.mul(c24, gi), gi));
    v128.store(st + o, m);
    v128.store(st + slot + o, w);
    bad = write4(p, o, f32x4.sub(read4(p, keep, o), f32x4.div(f32x4.mul(lrT4, m), f32x4.add(f32x4.sqrt(w), eps4))), bad);
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    const gi = load<float>(g + o);
    const m = beta1 * load<float>(st + o) + c1 * gi;
    const w = beta2 * load<float>(st + slot + o) + c2 * gi * gi;
    store<float>(st + o, m);
    store<float>(st + slot + o, w);
    tail = write1(p, o, read1(p, keep, o) - (lrT * m) / (Mathf.sqrt(w) + eps), tail);
  }
  return finite(bad, tail);
}

/** acc ← acc + g²;  p ← p − lr·g / √(acc + ε) */
function adagrad(p: usize, g: usize, P: i32, hyper: usize, st: usize, keep: usize): bool {
  const lr = h(hyper, 0), eps = h(hyper, 1), lr4 = v(hyper, 0), eps4 = v(hyper, 1);
  let bad = f32x4.splat(0), tail: float = 0;
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const a = f32x4.add(v128.load(st + o), f32x4.mul(gi, gi));
    v128.store(st + o, a);
    bad = write4(p, o, f32x4.sub(read4(p, keep, o), f32x4.div(f32x4.mul(lr4, gi), f32x4.sqrt(f32x4.add(a, eps4)))), bad);
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    const gi = load<float>(g + o);
    const a = load<float>(st + o) + gi * gi;
    store<float>(st + o, a);
    tail = write1(p, o, read1(p, keep, o) - (lr * gi) / Mathf.sqrt(a + eps), tail);
  }
  return finite(bad, tail);
}
