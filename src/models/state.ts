// The states a recurrent model carries between calls (stateful streams, `step`) and the initial
// states it starts from (given, learned, or zeros), as Keras's stateful RNNs keep them: one row per
// stream, sample j of the next batch continuing stream j. The stacks only copy rows in and out
// (src/stack-spec.ts StateFlow); what the rows are, and the learned h0's gradient, is decided here.

import { plainObject } from '../checks.js';
import { CELL_SPECS } from '../cells/index.js';
import { ConfigError, ShapeError } from '../errors.js';
import type { BackendName } from '../backends/backend.js';
import { stackOffsets, type StackDims, type StateFlow, type StateRows } from '../stack-spec.js';
import { flatten } from './weights.js';

/**
 * One layer's state of every stream: h [streams][units], and c [streams][units] for cells with a
 * cell state (LSTM), as flat row-major float32 copies.
 * @category Models
 */
export interface LayerState {
  /** The hidden state, [streams][units]. */
  h: Float32Array;
  /** The cell state [streams][units], for cells that carry one. */
  c?: Float32Array;
}

/**
 * One layer's state as users give it (`initialState`, `setState`): `{ h, c? }` each [streams][units],
 * flat or as rows, or h alone (flat or rows) for a cell without a cell state.
 * @category Models
 */
export type LayerStateInput =
  | {
      /** The hidden state [streams][units], flat or as rows. */
      h: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
      /** The cell state [streams][units], for cells that carry one. */
      c?: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
    }
  | ArrayLike<number>
  | ArrayLike<ArrayLike<number>>;

/** Rows of a StateRows: float64 on the js backend (its states are float64), float32 in the core. */
function rowsOf(dims: StackDims, backend: BackendName, streams: number): StateRows {
  const make = (n: number) => (backend === 'js' ? new Float64Array(n) : new Float32Array(n));
  return {
    h: dims.layers.map((l) => make(streams * l.units)),
    c: dims.layers.map((l) => (CELL_SPECS[l.cell].cellState ? make(streams * l.units) : null)),
  };
}

/**
 * Every layer's state from `value` (an array of one LayerStateInput per layer), checked before any
 * work: typed errors name `argument` and the layer; all layers must have the same number of streams
 * (`streams` when given).
 */
export function readState(argument: string, value: unknown, dims: StackDims, backend: BackendName, streams?: number): { rows: StateRows; streams: number } {
  const L = dims.layers.length;
  if (!Array.isArray(value) || value.length !== L) throw new ConfigError(argument, value, `an array of ${L} layer state${L > 1 ? 's' : ''} ({ h, c? } each [streams][units], flat or as rows)`);
  let n = streams;
  const given = value.map((v: unknown, i) => {
    const name = `${argument}[${i}]`, l = dims.layers[i]!, cellState = CELL_SPECS[l.cell].cellState;
    const obj = plainObject(v);
    if (obj) {
      for (const k of Object.keys(v)) if (k !== 'h' && k !== 'c') throw new ConfigError(`${name}.${k}`, v[k], `absent: a layer state takes h${cellState ? ' and c' : ''}`);
      if (!cellState && v.c !== undefined) throw new ConfigError(`${name}.c`, v.c, `absent: a ${l.cell} layer has no cell state`);
      if (cellState && v.c === undefined) throw new ConfigError(`${name}.c`, undefined, `the cell state [streams][${l.units}]: an ${l.cell} layer carries one`);
    } else if (cellState) throw new ConfigError(name, v, `{ h, c }: an ${l.cell} layer carries a cell state`);
    const h = obj ? v.h : v, c = obj ? v.c : undefined;
    const count = (x: unknown, what: string): number => {
      if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<unknown>).length !== 'number') throw new ConfigError(what, x, `[streams][${l.units}] numbers, flat or as rows`);
      const a = x as ArrayLike<unknown>;
      const s = a.length > 0 && typeof a[0] === 'object' ? a.length : a.length / l.units;
      if (!Number.isInteger(s) || s < 1) throw new ShapeError(what, x, `hold [streams][${l.units}] values (units ${l.units})`, `length ${a.length}`);
      if (n !== undefined && s !== n) throw new ShapeError(what, x, `have ${n} streams${streams !== undefined ? '' : ` like ${argument}[0]`}`, `${s}`);
      return (n = s);
    };
    const hs = count(h, obj ? `${name}.h` : name);
    if (c !== undefined) count(c, `${name}.c`);
    return { h, c, name: obj ? `${name}.h` : name, units: l.units, streams: hs };
  });
  const rows = rowsOf(dims, backend, n!);
  given.forEach((g, i) => {
    (rows.h[i] as Float32Array | Float64Array).set(flatten(g.name, g.h, n!, g.units));
    if (g.c !== undefined) rows.c[i]!.set(flatten(`${argument}[${i}].c`, g.c, n!, g.units));
  });
  return { rows, streams: n! };
}

/** Copies of rows as users see them: float32 per layer. */
export function stateCopy(rows: StateRows): LayerState[] {
  return rows.h.map((h, i) => {
    const c = rows.c[i];
    return c ? { h: Float32Array.from(h), c: Float32Array.from(c) } : { h: Float32Array.from(h) };
  });
}

/**
 * The one state of a model: the rows its streams carry (stateful predict and training, `step`),
 * and the fresh rows a stream starts from (the learned h0 broadcast, or zeros).
 */
export class ModelState {
  /** The carried rows and their stream count; undefined after a full reset (any count may start). */
  rows: StateRows | undefined;
  streams = 0;
  /** A stateful model's rows as its last training batch started (lossAt's start; the other set of the ping-pong pair). */
  private started: StateRows | undefined;

  /** `pull`: take the state back from wherever it is newer (the model's stepper). */
  constructor(private readonly dims: StackDims, private readonly backend: BackendName, private readonly stateful = false, private readonly pull: () => void = () => {}) {}

  /** How a predict call's states flow: a given initial state, the carried one (stateful), the learned one, or zeros (undefined). */
  callFlow(samples: number, initialState: unknown, params: Float32Array): StateFlow | undefined {
    const given = initialState === undefined ? undefined : readState('initialState', initialState, this.dims, this.backend, samples).rows;
    if (this.stateful) {
      this.pull();
      // Keras: a given initial state replaces the carried one, and the call's final state is kept.
      if (given) [this.rows, this.streams] = [given, samples];
      const rows = this.carry(samples, params, 'data.samples');
      return { from: rows, to: rows, d0: null };
    }
    if (given) return { from: given, to: null, d0: null };
    return this.dims.learnS0 ? { from: this.fresh(samples, params), to: null, d0: null } : undefined;
  }

  /** A training batch's flow of b samples: the carried streams (stateful), or the learned state and, after, its gradient. */
  batchFlow(b: number, params: Float32Array): { flow: StateFlow; after?: (grads: Float32Array) => void } {
    if (this.stateful) {
      this.pull();
      const rows = this.carry(b, params, 'batchSize');
      // The batch reads `rows` and writes the pair's other set, which it carries on; `rows` stays as
      // the start lossAt reads. Two sets and two flows, made once per shape: a batch allocates nothing.
      const turn = this.turn(rows);
      this.started = rows;
      this.rows = turn.flow.to!;
      return turn;
    }
    const d0 = this.scratch(b);
    return { flow: { from: this.fresh(b, params), to: null, d0 }, after: (grads) => this.gradient(d0, b, grads) };
  }

  /** The ping-pong pair of a stateful model's rows, and the flow from each set to the other. */
  private pair: { a: StateRows; b: StateRows; fromA: { flow: StateFlow }; fromB: { flow: StateFlow } } | undefined;

  /** The flow from `rows` to the other set of its pair (a new pair when `rows` is in none: set, reset or fresh rows). */
  private turn(rows: StateRows): { flow: StateFlow } {
    let pair = this.pair;
    if (pair?.a !== rows && pair?.b !== rows) {
      const other: StateRows = { h: rows.h.map((h) => h.slice()), c: rows.c.map((c) => c?.slice() ?? null) };
      pair = this.pair = { a: rows, b: other, fromA: { flow: { from: rows, to: other, d0: null } }, fromB: { flow: { from: other, to: rows, d0: null } } };
    }
    return pair.a === rows ? pair.fromA : pair.fromB;
  }

  /** lossAt's flow in float64: the learned state of `params`, or the carried state of a stateful model. */
  referenceFlow(n: number, params: ArrayLike<number>): StateFlow | undefined {
    if (this.dims.learnS0) return { from: new ModelState(this.dims, 'js').fresh(n, params), to: null, d0: null };
    // The state the last batch started from: gradCheck's analytic pass has moved the carried one on.
    const rows = this.stateful && this.streams === n ? this.started : undefined;
    return rows && { from: rows, to: null, d0: null };
  }

  /** A stateful model's batches continue the same B streams: B divides the samples. */
  checkStreams(B: number, n: number): void {
    if (this.stateful && n % B !== 0) throw new ConfigError('batchSize', B, `a divisor of the ${n} samples: every batch of a stateful model continues the same ${B} streams (Keras needs a fixed batch size)`);
  }

  /** States flow on one thread: a threaded placement's blocks start from zeros in the core. */
  refuseThreads(placed: object | undefined): void {
    if (!this.stateful && !this.dims.learnS0) return;
    if ((placed as { threads?: number } | undefined)?.threads !== undefined) {
      throw new ConfigError('data', 'threaded placement', "data placed with model.place(): a stateful model's and a learned initial state's batches run on one thread");
    }
  }

  /** Fresh rows for `streams` streams: the learned initial states of `params` (learnS0), else zeros. */
  fresh(streams: number, params: ArrayLike<number>): StateRows {
    const rows = rowsOf(this.dims, this.backend, streams);
    stackOffsets(this.dims).initial.forEach((o, i) => {
      const H = this.dims.layers[i]!.units;
      for (let s = 0; s < streams; s++) {
        for (let j = 0; j < H; j++) rows.h[i]![s * H + j] = params[o.h + j]!;
        if (o.c >= 0) for (let j = 0; j < H; j++) rows.c[i]![s * H + j] = params[o.c + j]!;
      }
    });
    return rows;
  }

  /** Rows to receive ∂L/∂h[0] of `streams` samples. */
  scratch(streams: number): StateRows {
    return rowsOf(this.dims, this.backend, streams);
  }

  /** Start a stream count afresh unless these rows already carry `streams` streams; refuse another count. */
  carry(streams: number, params: ArrayLike<number>, argument: string): StateRows {
    if (this.rows && this.streams !== streams) {
      throw new ShapeError(argument, streams, `be ${this.streams}: a stateful model continues its ${this.streams} streams (resetState() starts afresh with any count)`);
    }
    if (!this.rows) [this.rows, this.streams] = [this.fresh(streams, params), streams];
    return this.rows;
  }

  /** Add Σ over samples of ∂L/∂h[0] (∂L/∂c[0]) into the learned initial states' gradients, summed in float64 and rounded once. */
  gradient(d0: StateRows, B: number, grads: Float32Array | Float64Array): void {
    stackOffsets(this.dims).initial.forEach((o, i) => {
      const H = this.dims.layers[i]!.units;
      for (const [at, rows] of [[o.h, d0.h[i]], [o.c, d0.c[i]]] as const) {
        if (at < 0 || !rows) continue;
        for (let j = 0; j < H; j++) {
          let sum = 0;
          for (let s = 0; s < B; s++) sum += rows[s * H + j]!;
          grads[at + j] = sum;
        }
      }
    });
  }
}

/**
 * A stateless model's given initial states in training (`train(..., { initialState })`): one row per
 * sample, following its sample through shuffles, or one row that every sample starts from. Each
 * batch's rows are gathered into rows made once; nothing is learned from them.
 */
export class GivenStarts {
  private readonly rows: StateRows;
  private readonly flowOf: StateFlow;
  /** The current sample order (a copy of the last shuffle), or null for the original. */
  private order: Uint32Array | null = null;
  /** The first sample of the batch being run. */
  private n0 = 0;
  private readonly units: number[];

  constructor(private readonly given: StateRows, private readonly perSample: boolean, dims: StackDims, backend: BackendName, B: number) {
    this.rows = rowsOf(dims, backend, B);
    this.units = dims.layers.map((l) => l.units);
    this.flowOf = { from: this.rows, to: null, d0: null };
    // One row for all: broadcast once, every batch starts from the same rows.
    if (!perSample) for (let s = 0; s < B; s++) this.copy(0, s);
  }

  /** The flow of the batch of b samples `lossAndGrad` runs (its first sample n0 in the current order). */
  flow(b: number): StateFlow {
    const n0 = this.n0;
    if (this.perSample) for (let s = 0; s < b; s++) this.copy(this.order ? this.order[n0 + s]! : n0 + s, s);
    return this.flowOf;
  }

  /** Follow the binding's batches and shuffles: `flow` then reads the batch `lossAndGrad` runs and the order `shuffle` set. */
  follow<T extends { lossAndGrad(i?: number): number; shuffle?(order: Uint32Array | null): void }>(binding: T, B: number): T {
    const run = binding.lossAndGrad, reorder = binding.shuffle;
    binding.lossAndGrad = (i = 0) => {
      this.n0 = i * B;
      return run(i);
    };
    if (reorder) {
      binding.shuffle = (order) => {
        reorder(order);
        if (order === null) this.order = null;
        else (this.order = this.order?.length === order.length ? this.order : new Uint32Array(order.length)).set(order);
      };
    }
    return binding;
  }

  /** Row `from` of the given states into row `to` of the batch's (index loops: no view made per row). */
  private copy(from: number, to: number): void {
    for (let i = 0; i < this.units.length; i++) {
      const H = this.units[i]!, h = this.rows.h[i]!, gh = this.given.h[i]!, c = this.rows.c[i], gc = this.given.c[i];
      for (let j = 0; j < H; j++) h[to * H + j] = gh[from * H + j]!;
      if (c && gc) for (let j = 0; j < H; j++) c[to * H + j] = gc[from * H + j]!;
    }
  }
}
