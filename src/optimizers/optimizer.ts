import { ConfigError, ShapeError } from '../errors.js';

/** Saved optimizer state: per-parameter slots (same layout as the params) and the step count. */
export interface OptimizerState {
  /** Layout version of the saved state. */
  readonly version: 1;
  /** The optimizer's name; `setState` refuses another optimizer's state. */
  readonly name: string;
  /** Updates taken so far. */
  readonly step: number;
  /** Per-parameter state by slot name (e.g. `m`, `v`), each as long as the params; empty before the first step. */
  readonly slots: Readonly<Record<string, Float32Array>>;
}

/**
 * How the WebAssembly core can run an optimizer's rule itself (assembly/optimizers.ts), many epochs
 * per call: the rule's code (RULE_* of src/abi/codes.ts), its slots in the core's order and its
 * float32 hyper-parameters. An optimizer without one is stepped from TypeScript on every backend.
 */
export interface CoreRule {
  /** The rule's code in the core. */
  readonly rule: number;
  /** Slot names in the order the core takes them. */
  readonly slots: readonly string[];
  /** The hyper-parameters as the core reads them, rounded to float32. */
  readonly hyper: Float32Array;
  /**
   * The live slots (f32[length] each, made as a first step makes them) and the step count, for
   * the core to read and write in place; `advance(k)` records k updates made there.
   */
  attach(length: number): {
    /** The live slots by name, f32[length] each. */
    slots: Readonly<Record<string, Float32Array>>;
    /** Updates taken before the core's. */
    step: number;
    /** Record `k` updates the core made in the slots. */
    advance(k: number): void;
    /** Whether these slots and step count are still the optimizer's: false once setState, reset or a step of its own changed them. */
    held(): boolean;
    /**
     * While the core holds newer values of the slots than these arrays, `sync` copies them out:
     * `step` and `getState` call it first. Undefined when the core is done with them.
     */
    hold(sync: (() => void) | undefined): void;
  };
}

/**
 * The one interface every optimizer implements: it updates flat float32 params in place.
 * @category Training
 */
export interface Optimizer {
  /** A name for logs and saved states; the built-in ones are the keys of OPTIMIZERS. */
  readonly name: string;
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
  /**
   * Present when the core can run exactly this optimizer's `step` (a capability, not a name): the
   * built-in optimizers declare it, and lose it when their `step` or update rule is overridden.
   */
  readonly coreRule?: CoreRule | undefined;
}

/** One hyper-parameter of an optimizer: what it means, its default, and its range (judged in float32). */
export interface HyperSpec {
  /** One line for help texts and documentation. */
  readonly doc: string;
  /** The value used when the option is not given; a boolean default makes a boolean option. */
  readonly default: number | boolean;
  /** Lower bound (default −∞), inclusive unless `minOpen`. */
  readonly min?: number;
  /** Upper bound (default +∞), inclusive unless `maxOpen`. */
  readonly max?: number;
  /** Exclude `min` itself (default false). */
  readonly minOpen?: boolean;
  /** Exclude `max` itself (default false). */
  readonly maxOpen?: boolean;
  /** Accept ±Infinity within the bounds (default false: finite only, in float32). */
  readonly allowInfinity?: boolean;
}

/** A built-in optimizer, as its registry entry (src/optimizers/index.ts) describes it: the CLI, help and tests derive from this. */
export interface OptimizerSpec<O extends object = Record<string, number | boolean>> {
  /** The registry name, also the name of the optimizers it makes. */
  readonly name: string;
  /** One line: what the rule does. */
  readonly summary: string;
  /** Every option, in the order help lists them. */
  readonly options: { readonly [K in keyof O & string]-?: HyperSpec };
  /** Options that converge on the tutorial's data (seed 1, 20 × 10, sse, 2001 epochs): the CLI's defaults. */
  readonly tutorial: Partial<O>;
  /** Make one, validating `options` against `this.options`. */
  create(options?: O): Optimizer;
}

/** The core twin of a built-in rule: its code, slots, hyper-parameters, and the TypeScript update it reproduces. */
export interface Twin {
  readonly rule: number;
  readonly slots: readonly string[];
  readonly hyper: readonly number[];
  // eslint-disable-next-line @typescript-eslint/ban-types
  readonly update: Function;
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

  private readonly core: CoreRule | undefined;

  protected constructor(
    /** A name for logs and saved states. */
    readonly name: string,
    /** Hyper-parameters, as validated. */
    readonly config: Readonly<Record<string, number | boolean>>,
    private readonly slotInit: Readonly<Record<string, number>>,
    private readonly twin?: Twin,
  ) {
    this.core = twin && { rule: twin.rule, slots: twin.slots, hyper: Float32Array.from(twin.hyper), attach: (length) => this.live(length) };
  }

  get coreRule(): CoreRule | undefined {
    // The core repeats the built-in update exactly; an overridden step or update is honoured by staying in TypeScript.
    return this.twin && this.step === SlotOptimizer.prototype.step && this.update === this.twin.update ? this.core : undefined;
  }

  get iterations(): number {
    return this.t;
  }

  step(params: Float32Array, grads: Float32Array): void {
    if (!(params instanceof Float32Array)) throw new ConfigError('params', params, 'a Float32Array');
    if (!(grads instanceof Float32Array) || grads.length !== params.length) {
      throw new ShapeError('grads', grads, `be a Float32Array of length ${params.length} like params`);
    }
    this.synced?.();
    this.ensureSlots(params.length);
    this.t++;
    this.update(params, grads);
  }

  /** Apply one update to every parameter; `this.t` is already the new step number (1-based). */
  protected abstract update(params: Float32Array, grads: Float32Array): void;

  getState(): OptimizerState {
    this.synced?.();
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
    // The slots are kept aside, refilled in place by the next first step of the same length: a run
    // that resets per call (hidden 128: 2 × 200 KB) pays no fresh pages (~1 ms a reset here) or GC.
    this.spare = this.slots;
    this.slots = {};
    this.size = -1;
    this.t = 0;
  }

  /** Slots a reset put aside, reused by ensureSlots when the length matches. */
  private spare: Record<string, Float32Array> = {};

  /** What `coreRule.attach` hands the core: with k = 0, `advance` leaves a fresh optimizer as fresh as it was. */
  private liveView: ReturnType<CoreRule['attach']> | undefined;
  private liveFresh = false;
  private liveStep = 0; // the step count the core's updates have brought t to
  private synced: (() => void) | undefined; // while the core holds the slots: copies them out (hold)

  private live(length: number): ReturnType<CoreRule['attach']> {
    // One view object, refreshed in place: the core attaches once per chunk of epochs, which may be one epoch.
    this.synced?.(); // a run inside another's handler starts from the slots the outer run's core holds
    this.liveFresh = this.size < 0;
    this.ensureSlots(length);
    this.liveView ??= {
      slots: this.slots,
      step: this.t,
      advance: (k) => {
        this.t += k;
        this.liveStep = this.t;
        if (k === 0 && this.liveFresh) {
          this.slots = {};
          this.size = -1;
        }
      },
      held: () => this.slots === this.liveView!.slots && this.t === this.liveStep, // setState and reset put a new record in place
      hold: (sync) => {
        this.synced = sync;
      },
    };
    this.liveView.slots = this.slots;
    this.liveView.step = this.liveStep = this.t;
    return this.liveView;
  }


  /** The named slot, already sized by the first step. */
  protected slot(name: string): Float32Array {
    return this.slots[name]!;
  }

  private ensureSlots(length: number): void {
    if (this.size === length) return;
    if (this.size >= 0) throw new ShapeError('params', length, `keep the length ${this.size} this optimizer was used with`, `length ${length}`);
    this.size = length;
    for (const [n, init] of Object.entries(this.slotInit)) {
      const kept = this.spare[n];
      this.slots[n] = (kept?.length === length ? kept : new Float32Array(length)).fill(init);
    }
    this.spare = {};
  }
}

/**
 * Validate an options object against a spec: unknown keys refused, each value of the right type and
 * in range as the float32 the rule computes with (1e-46 is 0 in float32, 1 − 1e-9 is 1), defaults filled in.
 */
export function parseOptions<O extends object>(spec: Pick<OptimizerSpec<O>, 'name' | 'options'>, value: O | undefined): Required<O> {
  const given = value === undefined ? {} : value;
  const where = `${spec.name} options`;
  if (typeof given !== 'object' || given === null) throw new ConfigError(where, given, 'an options object');
  const keys = Object.keys(spec.options);
  for (const k of Object.keys(given)) {
    if (!keys.includes(k)) throw new ConfigError(`${where}.${k}`, (given as Record<string, unknown>)[k], `absent: ${spec.name} takes ${keys.join(', ')}`);
  }
  const out: Record<string, number | boolean> = {};
  for (const k of keys) out[k] = checkHyper(k, (given as Record<string, unknown>)[k], (spec.options as Record<string, HyperSpec>)[k]!);
  return out as Required<O>;
}

function checkHyper(name: string, value: unknown, h: HyperSpec): number | boolean {
  const v = value === undefined ? h.default : value;
  if (typeof h.default === 'boolean') {
    if (typeof v !== 'boolean') throw new ConfigError(name, v, 'a boolean');
    return v;
  }
  const { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false, allowInfinity = false } = h;
  const f32 = typeof v === 'number' ? Math.fround(v) : NaN;
  const ok =
    typeof v === 'number' &&
    !Number.isNaN(v) &&
    (allowInfinity || Number.isFinite(f32)) &&
    (minOpen ? f32 > min : f32 >= min) &&
    (maxOpen ? f32 < max : f32 <= max);
  if (!ok) {
    const lo = min === -Infinity ? '' : `${minOpen ? '>' : '>='} ${min}`;
    const hi = max === Infinity ? '' : `${maxOpen ? '<' : '<='} ${max}`;
    const range = [lo, hi].filter(Boolean).join(' and ');
    const rounded = typeof v === 'number' && f32 !== v && !Number.isNaN(v) ? ` (in float32, the precision the rule runs at, it is ${f32})` : '';
    throw new ConfigError(name, v, `a ${allowInfinity ? '' : 'finite '}number${range ? ` ${range}` : ''}${rounded}`);
  }
  return v;
}
