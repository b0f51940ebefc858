import { ConfigError, ShapeError } from '../errors.js';

/** The optimizers elman ships. */
export type OptimizerName = 'sgd' | 'momentum' | 'rmsprop' | 'rprop' | 'adam';

/** Saved optimizer state: per-parameter slots (same layout as the params) and the step count. */
export interface OptimizerState {
  readonly version: 1;
  readonly name: OptimizerName;
  readonly step: number;
  readonly slots: Readonly<Record<string, Float32Array>>;
}

/** The one interface every optimizer implements: it updates flat float32 params in place. */
export interface Optimizer {
  readonly name: OptimizerName;
  /** Hyper-parameters, as validated (numbers as given, before float32 rounding). */
  readonly config: Readonly<Record<string, number | boolean>>;
  /** Updates taken so far. */
  readonly iterations: number;
  /** One update: `params` moves against `grads` (same length); state advances by one step. */
  step(params: Float32Array, grads: Float32Array): void;
  /** A copy of the state, safe to keep, serialise or hand to `setState` later. */
  getState(): OptimizerState;
  /** Restore a state from `getState` (validated: name, version, slot names and lengths). */
  setState(state: OptimizerState): void;
  /** Forget all state, as if newly made. */
  reset(): void;
}

export const fround = Math.fround;

/**
 * Shared bookkeeping: named slots allocated on the first step to the params' length, a step
 * counter, and state copy/validation. Subclasses write only their update rule, in float32:
 * every operation is rounded with `fround`, so the same rule in the WebAssembly core matches bit for bit.
 */
export abstract class SlotOptimizer implements Optimizer {
  protected slots: Record<string, Float32Array> = {};
  protected t = 0;
  private size = -1; // params length, fixed by the first step (-1: not yet known)

  protected constructor(
    readonly name: OptimizerName,
    readonly config: Readonly<Record<string, number | boolean>>,
    private readonly slotInit: Readonly<Record<string, number>>,
  ) {}

  get iterations(): number {
    return this.t;
  }

  step(params: Float32Array, grads: Float32Array): void {
    if (!(params instanceof Float32Array)) throw new ConfigError('params', params, 'a Float32Array');
    if (!(grads instanceof Float32Array) || grads.length !== params.length) {
      throw new ShapeError('grads', grads, `be a Float32Array of length ${params.length} like params`);
    }
    this.ensureSlots(params.length);
    this.t++;
    this.update(params, grads);
  }

  /** Apply one update to every parameter; `this.t` is already the new step number (1-based). */
  protected abstract update(params: Float32Array, grads: Float32Array): void;

  getState(): OptimizerState {
    const slots: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(this.slots)) slots[k] = v.slice();
    return { version: 1, name: this.name, step: this.t, slots };
  }

  setState(state: OptimizerState): void {
    if (typeof state !== 'object' || state === null) throw new ConfigError('state', state, 'an optimizer state object');
    if (state.version !== 1) throw new ConfigError('state.version', state.version, '1');
    if (state.name !== this.name) throw new ConfigError('state.name', state.name, `"${this.name}"`);
    if (!Number.isInteger(state.step) || state.step < 0) throw new ConfigError('state.step', state.step, 'an integer >= 0');
    const names = Object.keys(this.slotInit);
    // Every state has a slots object, empty for an optimizer without slots (sgd), as getState makes it.
    if (typeof state.slots !== 'object' || state.slots === null || Array.isArray(state.slots)) {
      throw new ConfigError('state.slots', state.slots, `an object with exactly the slots ${names.join(', ') || '(none)'}`);
    }
    const given = Object.keys(state.slots);
    // A fresh optimizer's state (step 0, slots not yet sized by a first step) is empty, as getState makes it.
    const fresh = given.length === 0 && state.step === 0;
    if (!fresh && (given.length !== names.length || !names.every((n) => given.includes(n)))) {
      throw new ConfigError('state.slots', given.join(','), `exactly the slots ${names.join(', ') || '(none)'}`);
    }
    const first = names.length > 0 ? state.slots[names[0]!] : undefined;
    const length = first instanceof Float32Array ? first.length : 0;
    const slots: Record<string, Float32Array> = {};
    for (const n of fresh ? [] : names) {
      const s = state.slots[n];
      if (!(s instanceof Float32Array) || s.length !== length) throw new ShapeError(`state.slots.${n}`, s, `be a Float32Array of length ${length}`);
      for (let i = 0; i < s.length; i++) if (!Number.isFinite(s[i])) throw new ConfigError(`state.slots.${n}[${i}]`, s[i], 'a finite number');
      slots[n] = s.slice();
    }
    this.slots = length === 0 ? {} : slots;
    this.size = length === 0 ? -1 : length;
    this.t = state.step;
  }

  reset(): void {
    this.slots = {};
    this.size = -1;
    this.t = 0;
  }

  /**
   * @internal For src/training/in-core.ts, which runs this same update rule in WebAssembly memory:
   * the live slots (made as a first step makes them) and the step count; `advance(k)` records k
   * updates made there, and with k = 0 leaves a fresh optimizer as fresh as it was.
   */
  live(length: number): { slots: Readonly<Record<string, Float32Array>>; step: number; advance(k: number): void } {
    const fresh = this.size < 0;
    this.ensureSlots(length);
    return {
      slots: this.slots,
      step: this.t,
      advance: (k) => {
        this.t += k;
        if (k === 0 && fresh) {
          this.slots = {};
          this.size = -1;
        }
      },
    };
  }

  /** The named slot, already sized by the first step. */
  protected slot(name: string): Float32Array {
    return this.slots[name]!;
  }

  private ensureSlots(length: number): void {
    if (this.size === length) return;
    if (this.size >= 0) throw new ShapeError('params', length, `keep the length ${this.size} this optimizer was used with`, `length ${length}`);
    this.size = length;
    for (const [n, init] of Object.entries(this.slotInit)) this.slots[n] = new Float32Array(length).fill(init);
  }
}

/** Validate a hyper-parameter: a finite number in (min, max) / [min, max] as `open` says, or its default. */
export function hyper(
  name: string,
  value: unknown,
  fallback: number,
  { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false, allowInfinity = false } = {},
): number {
  const v = value === undefined ? fallback : value;
  const ok =
    typeof v === 'number' &&
    !Number.isNaN(v) &&
    (allowInfinity || Number.isFinite(v)) &&
    (minOpen ? v > min : v >= min) &&
    (maxOpen ? v < max : v <= max);
  if (!ok) {
    const lo = min === -Infinity ? '' : `${minOpen ? '>' : '>='} ${min}`;
    const hi = max === Infinity ? '' : `${maxOpen ? '<' : '<='} ${max}`;
    throw new ConfigError(name, v, `a ${allowInfinity ? '' : 'finite '}number${lo || hi ? ' ' : ''}${[lo, hi].filter(Boolean).join(' and ')}`);
  }
  return v;
}

/** Validate an options object (undefined counts as empty); an unknown key is an error, not a silent default. */
export function options<T extends object>(value: T | undefined, name: string, keys: readonly (keyof T & string)[]): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw new ConfigError(name, value, 'an options object');
  for (const k of Object.keys(value)) {
    if (!(keys as readonly string[]).includes(k)) throw new ConfigError(`${name}.${k}`, (value as Record<string, unknown>)[k], `absent: ${name} takes ${keys.join(', ')}`);
  }
  return value;
}
