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

/** One update of rule `rule` (RULE_SGD … RULE_ADAGRAD) on P parameters at byte offsets p, g; slots at st. An unknown rule traps. */
export function optimizerStep(rule: i32, p: usize, g: usize, P: i32, hyper: usize, st: usize, t: i32): void {
  switch (rule) {
    case RULE_SGD: sgd(p, g, P, hyper); break;
    case RULE_MOMENTUM: momentum(p, g, P, hyper, st); break;
    case RULE_RMSPROP: rmsprop(p, g, P, hyper, st); break;
    case RULE_RPROP: rprop(p, g, P, hyper, st); break;
    case RULE_ADAM: adam(p, g, P, hyper, st, t); break;
    case RULE_ADAGRAD: adagrad(p, g, P, hyper, st); break;
    default: unreachable();
  }
}

// Each rule runs four parameters per f32x4 step, then one at a time: lane-wise add, mul, div and
// sqrt round as their scalar twins do, so the widths agree bit for bit (rprop stays scalar: its sign logic).

// @ts-ignore: decorator
@inline function v(hyper: usize, i: i32): v128 {
  return v128.load32_splat(hyper + (<usize>i << 2));
}

/** p ← p − lr·g */
function sgd(p: usize, g: usize, P: i32, hyper: usize): void {
  const lr = h(hyper, 0), lr4 = v(hyper, 0);
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(lr4, v128.load(g + o))));
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    store<float>(p + o, load<float>(p + o) - lr * load<float>(g + o));
  }
}

/** v ← μ·v − lr·g;  p ← p + v (classic) or p ← p + μ·v − lr·g (Nesterov) */
function momentum(p: usize, g: usize, P: i32, hyper: usize, st: usize): void {
  const lr = h(hyper, 0), mu = h(hyper, 1), nesterov = h(hyper, 2) != 0;
  const lr4 = v(hyper, 0), mu4 = v(hyper, 1);
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    const step = f32x4.mul(lr4, v128.load(g + o));
    const w = f32x4.sub(f32x4.mul(mu4, v128.load(st + o)), step);
    v128.store(st + o, w);
    v128.store(p + o, f32x4.add(v128.load(p + o), nesterov ? f32x4.sub(f32x4.mul(mu4, w), step) : w));
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    const step = lr * load<float>(g + o);
    const w = mu * load<float>(st + o) - step;
    store<float>(st + o, w);
    store<float>(p + o, load<float>(p + o) + (nesterov ? mu * w - step : w));
  }
}

/** ms ← ρ·ms + (1−ρ)·g²;  d ← lr·g / √(ms + ε);  v ← μ·v + d;  p ← p − v or p − (μ·v + d) */
function rmsprop(p: usize, g: usize, P: i32, hyper: usize, st: usize): void {
  const slot = <usize>P << 2;
  const lr = h(hyper, 0), rho = h(hyper, 1), oneMinusRho = h(hyper, 2), eps = h(hyper, 3), mu = h(hyper, 4);
  const nesterov = h(hyper, 5) != 0;
  const lr4 = v(hyper, 0), rho4 = v(hyper, 1), omr4 = v(hyper, 2), eps4 = v(hyper, 3), mu4 = v(hyper, 4);
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const m = f32x4.add(f32x4.mul(rho4, v128.load(st + o)), f32x4.mul(omr4, f32x4.mul(gi, gi)));
    v128.store(st + o, m);
    const d = f32x4.div(f32x4.mul(lr4, gi), f32x4.sqrt(f32x4.add(m, eps4)));
    const w = f32x4.add(f32x4.mul(mu4, v128.load(st + slot + o)), d);
    v128.store(st + slot + o, w);
    v128.store(p + o, f32x4.sub(v128.load(p + o), nesterov ? f32x4.add(f32x4.mul(mu4, w), d) : w));
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    const gi = load<float>(g + o);
    const m = rho * load<float>(st + o) + oneMinusRho * (gi * gi);
    store<float>(st + o, m);
    const d = (lr * gi) / Mathf.sqrt(m + eps);
    const w = mu * load<float>(st + slot + o) + d;
    store<float>(st + slot + o, w);
    store<float>(p + o, load<float>(p + o) - (nesterov ? mu * w + d : w));
  }
}

/** step ← step·η+ if sign(g) = previous sign, else step·η−, clamped;  p ← p − sign(g)·step */
function rprop(p: usize, g: usize, P: i32, hyper: usize, st: usize): void {
  const slot = <usize>P << 2;
  const etaPlus = h(hyper, 0), etaMinus = h(hyper, 1), stepMin = h(hyper, 2), stepMax = h(hyper, 3);
  for (let i = 0; i < P; i++) {
    const o = <usize>i << 2;
    const gi = load<float>(g + o);
    const s: float = gi > 0 ? 1 : gi < 0 ? -1 : gi; // Math.sign: keeps ±0
    const grown = load<float>(st + o) * (s == load<float>(st + slot + o) ? etaPlus : etaMinus);
    const d = min<float>(max<float>(grown, stepMin), stepMax);
    store<float>(st + o, d);
    store<float>(st + slot + o, s);
    store<float>(p + o, load<float>(p + o) - s * d);
  }
}

/** m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  lr_t = lr·√(1−β2^t)/(1−β1^t) in f64;  p ← p − lr_t·m/(√v + ε) */
function adam(p: usize, g: usize, P: i32, hyper: usize, st: usize, t: i32): void {
  const slot = <usize>P << 2;
  const lr = h(hyper, 0), beta1 = h(hyper, 1), beta2 = h(hyper, 2), eps = h(hyper, 3), c1 = h(hyper, 4), c2 = h(hyper, 5);
  const lrT = <float>((<f64>lr * Math.sqrt(1 - powi(<f64>beta2, t))) / (1 - powi(<f64>beta1, t)));
  const b14 = v(hyper, 1), b24 = v(hyper, 2), eps4 = v(hyper, 3), c14 = v(hyper, 4), c24 = v(hyper, 5), lrT4 = f32x4.splat(lrT);
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const m = f32x4.add(f32x4.mul(b14, v128.load(st + o)), f32x4.mul(c14, gi));
    const w = f32x4.add(f32x4.mul(b24, v128.load(st + slot + o)), f32x4.mul(f32x4.mul(c24, gi), gi));
    v128.store(st + o, m);
    v128.store(st + slot + o, w);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(lrT4, m), f32x4.add(f32x4.sqrt(w), eps4))));
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    const gi = load<float>(g + o);
    const m = beta1 * load<float>(st + o) + c1 * gi;
    const w = beta2 * load<float>(st + slot + o) + c2 * gi * gi;
    store<float>(st + o, m);
    store<float>(st + slot + o, w);
    store<float>(p + o, load<float>(p + o) - (lrT * m) / (Mathf.sqrt(w) + eps));
  }
}

/** acc ← acc + g²;  p ← p − lr·g / √(acc + ε) */
function adagrad(p: usize, g: usize, P: i32, hyper: usize, st: usize): void {
  const lr = h(hyper, 0), eps = h(hyper, 1), lr4 = v(hyper, 0), eps4 = v(hyper, 1);
  let i = 0;
  for (; i + 4 <= P; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const a = f32x4.add(v128.load(st + o), f32x4.mul(gi, gi));
    v128.store(st + o, a);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(lr4, gi), f32x4.sqrt(f32x4.add(a, eps4)))));
  }
  for (; i < P; i++) {
    const o = <usize>i << 2;
    const gi = load<float>(g + o);
    const a = load<float>(st + o) + gi * gi;
    store<float>(st + o, a);
    store<float>(p + o, load<float>(p + o) - (lr * gi) / Mathf.sqrt(a + eps));
  }
}
