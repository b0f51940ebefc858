// The states a recurrent model carries between calls (stateful streams, `step`) and the initial
// states it starts from (given, learned, or zeros), as Keras's stateful RNNs keep them: one row per
// stream, sample j of the next batch continuing stream j. The stacks only copy rows in and out
// (src/stack-spec.ts StateFlow); what the rows are, and the learned h0's gradient, is decided here.

import { plainObject } from '../checks.js';
import { CELL_SPECS } from '../cells/index.js';
import { ConfigError, ShapeError } from '../errors.js';
import type { BackendName } from '../backends/backend.js';
import { stackOffsets, type StackDims, type StateRows } from '../stack-spec.js';
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
export type LayerStateInput = { h: ArrayLike<number> | ArrayLike<ArrayLike<number>>; c?: ArrayLike<number> | ArrayLike<ArrayLike<number>> } | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

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

  constructor(private readonly dims: StackDims, private readonly backend: BackendName) {}

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
