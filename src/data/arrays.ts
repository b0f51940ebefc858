// Users' arrays in, users' shapes out: the one conversion between the batch-major arrays people
// hold (nested [samples][steps][inputs], or a typed array with its shape) and the time-major
// Sequences every model computes on. `train`, `place`, `predict` and `evaluate` all read data here.

import { checkInteger, plainObject } from '../checks.js';
import { ConfigError, DataError, ShapeError } from '../errors.js';
import { byteSize } from '../sizes.js';
import type { Sequences } from './sequences.js';

/**
 * A typed array with its batch-major shape, as users and TF.js hold tensors: `[samples, steps, width]`
 * (`data[(s * steps + k) * width + i]`) or `[samples, width]`. What `predict` returns for typed input.
 * @category Data and time series
 */
export interface Shaped {
  /** The values, batch-major (row-major in `shape`). */
  readonly data: Float32Array;
  /** `[samples, steps, width]` or `[samples, width]`. */
  readonly shape: readonly number[];
}

/**
 * A typed array of inputs or targets with its shape (any numeric typed array or number[]; copied as float32).
 * @category Data and time series
 */
export interface ShapedInput {
  /** The values, batch-major (row-major in `shape`). */
  readonly data: ArrayLike<number>;
  /** `[samples, steps, width]` or `[samples, width]`. */
  readonly shape: readonly number[];
}

/**
 * Nested inputs `[samples][steps][inputs]`; a step may be a bare number when there is one input.
 * @category Data and time series
 */
export type NestedInputs = ArrayLike<ArrayLike<ArrayLike<number> | number>>;

/**
 * Nested targets: `[samples][outputs]` (one per sequence) or `[samples][steps][outputs]` (one per step); a bare number is one output.
 * @category Data and time series
 */
export type NestedTargets = ArrayLike<ArrayLike<ArrayLike<number> | number> | number>;

/**
 * A data set as users hold it, batch-major: nested arrays, or typed arrays with their shapes.
 * `y` is needed to train or evaluate, not to predict.
 * @example
 * ```ts
 * const nested = { x: [[[0], [1], [1]], [[1], [0], [0]]], y: [[2], [1]] };       // 2 samples × 3 steps × 1 input
 * const typed = { x: { data: new Float32Array(6), shape: [2, 3, 1] }, y: { data: new Float32Array(2), shape: [2, 1] } };
 * ```
 * @category Data and time series
 */
export interface ArrayData {
  /** Inputs: `[samples][steps][inputs]` nested, or `{ data, shape: [samples, steps, inputs] }`. */
  readonly x: NestedInputs | ShapedInput;
  /** Targets: `[samples][outputs]` or `[samples][steps][outputs]` nested, or `{ data, shape }` of either shape. */
  readonly y?: NestedTargets | ShapedInput;
  /** A length per sample, padded data (as Sequences' `lengths`). */
  readonly lengths?: ArrayLike<number>;
  /** A 0/1 step mask `[samples][steps]`, nested or flat (as Sequences' `mask`). */
  readonly mask?: ArrayLike<ArrayLike<number>> | ArrayLike<number>;
  /** A weight per sample (as Sequences' `sampleWeights`). */
  readonly sampleWeights?: ArrayLike<number>;
}

/**
 * Any data a model takes: users' arrays (ArrayData) or the time-major Sequences.
 * @category Data and time series
 */
export type DataInput = Sequences | ArrayData;

/** How data came in, so outputs go back the same way: nested arrays, a shaped typed array, or time-major. */
export type ArrayForm = 'nested' | 'shaped';

/** What the model expects when the targets are absent (predict): the widths and where the outputs are. */
export interface Expect {
  readonly inputSize?: number;
  readonly outputSize: number;
  readonly perStep: boolean;
}

/** Whether `v` is users' arrays (`{ x, y? }` without Sequences' `samples`), and in which form; undefined for anything else. */
export function arrayForm(v: unknown): ArrayForm | undefined {
  if (!plainObject(v) || !('x' in v) || 'samples' in v) return undefined;
  return isShaped(v.x) ? 'shaped' : 'nested';
}

function isShaped(v: unknown): v is ShapedInput {
  return plainObject(v) && 'shape' in v && 'data' in v;
}

/** Sequences as they are, or users' arrays (`{ x, y }`) made time-major; `name` prefixes the arrays' names in errors. */
export function sequencesOf<T>(data: T | ArrayData, name = ''): T | Sequences {
  return arrayForm(data) ? toSequences(data as ArrayData, undefined, { x: `${name}x`, y: `${name}y` }) : (data as T);
}

/**
 * Inputs to predict as users' arrays, with the form to answer in: `{ x, y? }`, bare nested
 * `[samples][steps][inputs]` or a bare `{ data, shape }` (named `data` in errors); undefined for time-major inputs.
 */
export function predictInputs(input: unknown): { data: ArrayData; form: ArrayForm; names: { x: string; y: string } } | undefined {
  if (Array.isArray(input)) return { data: { x: input }, form: 'nested', names: { x: 'data', y: 'y' } };
  if (isShaped(input)) return { data: { x: input }, form: 'shaped', names: { x: 'data', y: 'y' } };
  const form = arrayForm(input);
  return form && { data: { x: (input as ArrayData).x, ...weighting(input as ArrayData) }, form, names: { x: 'x', y: 'y' } };
}

/** The lengths, mask (a nested one flattened) and sample weights users' arrays carry, as Sequences takes them (checked there). */
function weighting(data: ArrayData): Pick<Sequences, 'lengths' | 'mask' | 'sampleWeights'> {
  const m = data.mask;
  const nested = m !== null && typeof m === 'object' && m.length > 0 && typeof m[0] === 'object';
  return {
    ...(data.lengths !== undefined && { lengths: data.lengths }),
    ...(m !== undefined && { mask: nested ? Array.from(m as ArrayLike<ArrayLike<number>>).flatMap((row) => Array.from(row ?? [])) : (m as ArrayLike<number>) }),
    ...(data.sampleWeights !== undefined && { sampleWeights: data.sampleWeights }),
  };
}

/**
 * Time-major Sequences from users' arrays, every shape and value checked first (errors name the
 * sample and step, `x[3][7]`) and the size in 64 bits before anything is allocated. Without `y`,
 * zero targets shaped by `expect` stand in (for predict).
 */
export function toSequences(data: ArrayData, expect?: Expect, names: { readonly x: string; readonly y: string } = { x: 'x', y: 'y' }): Sequences & { form: ArrayForm } {
  const { x: xName, y: yName } = names;
  const form = arrayForm(data);
  if (!form) throw new ConfigError('data', data, 'an object { x, y } of nested arrays or { data, shape } typed arrays');
  const x = form === 'shaped' ? shapedInputs(data.x as ShapedInput, xName) : nestedInputs(data.x as NestedInputs, xName);
  if (expect?.inputSize !== undefined && x.inputSize !== expect.inputSize) throw new ShapeError(`${xName}`, data.x, `have ${expect.inputSize} inputs per step (the model's inputSize)`, `${x.inputSize}`);
  if (data.y === undefined) {
    if (!expect) throw new ConfigError(yName, undefined, 'given: targets to train or evaluate on');
    const t = byteSize(xName, data.x, [expect.perStep ? x.steps : 1, x.samples, expect.outputSize, 4], { kind: 'shape' }) / 4;
    return { ...x, outputSize: expect.outputSize, targets: new Float32Array(t), targetsPerStep: expect.perStep, form, ...weighting(data) };
  }
  const y = isShaped(data.y) ? shapedTargets(data.y, yName, x.samples, x.steps) : nestedTargets(data.y as NestedTargets, yName, x.samples, x.steps);
  return { ...x, ...y, form, ...weighting(data) };
}

/** Model outputs, time-major f32[Tout][samples][width], back in the form the inputs came in (Tout = steps, or 1 with `perStep` false). */
export function fromTimeMajor(y: Float32Array, samples: number, steps: number, width: number, perStep: boolean, form: ArrayForm): number[][] | number[][][] | Shaped {
  const T = perStep ? steps : 1;
  if (form === 'shaped') {
    const data = new Float32Array(y.length);
    for (let k = 0; k < T; k++) for (let s = 0; s < samples; s++) for (let o = 0; o < width; o++) data[(s * T + k) * width + o] = y[(k * samples + s) * width + o]!;
    return { data, shape: perStep ? [samples, steps, width] : [samples, width] };
  }
  const row = (k: number, s: number) => Array.from(y.subarray((k * samples + s) * width, (k * samples + s + 1) * width));
  return Array.from({ length: samples }, (_, s) => (perStep ? Array.from({ length: steps }, (_, k) => row(k, s)) : row(0, s))) as number[][] | number[][][];
}

type XPart = Pick<Sequences, 'samples' | 'steps' | 'inputSize' | 'x'>;
type YPart = Pick<Sequences, 'outputSize' | 'targets' | 'targetsPerStep'>;

/** The length of `v` if it is an array-like of at least one element, else a ShapeError naming it. */
function lengthOf(name: string, v: unknown, what: string): number {
  const n = v !== null && typeof v === 'object' ? (v as ArrayLike<unknown>).length : undefined;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new ShapeError(name, v, `be a non-empty array of ${what}`);
  return n;
}

/** A value's float32, or a DataError naming where it is. */
function value(name: string, v: unknown, i: number): number {
  if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) throw new DataError(name, v, i, typeof v === 'number' && Number.isFinite(v) ? 'a finite number in float32 (|v| < 3.4e38)' : 'a finite number');
  return v;
}

/** Width of a step (or of a sequence's targets): its length, or 1 for a bare number. */
function widthOf(name: string, v: unknown): number {
  return typeof v === 'number' ? 1 : lengthOf(name, v, 'numbers');
}

/** Copy one step's values (a bare number, or `width` numbers) to out[at …], checked. */
function copyStep(name: string, v: unknown, width: number, out: Float32Array, at: number): void {
  if (typeof v === 'number') {
    if (width !== 1) throw new ShapeError(name, v, `have ${width} values like the first step`, 'a number');
    out[at] = value(name, v, 0);
    return;
  }
  if (v === null || typeof v !== 'object' || (v as ArrayLike<unknown>).length !== width) throw new ShapeError(name, v, `have ${width} values like the first step`, `length ${(v as ArrayLike<unknown> | null)?.length}`);
  const a = v as ArrayLike<unknown>;
  for (let i = 0; i < width; i++) out[at + i] = value(name, a[i], i);
}

function nestedInputs(rows: NestedInputs, name: string): XPart {
  const samples = lengthOf(name, rows, 'sequences [samples][steps][inputs]');
  const steps = lengthOf(`${name}[0]`, rows[0], 'steps');
  const I = widthOf(`${name}[0][0]`, rows[0]![0]);
  const x = new Float32Array(byteSize(name, rows, [steps, samples, I, 4], { kind: 'shape' }) / 4);
  for (let s = 0; s < samples; s++) {
    const seq = rows[s];
    if (seq === null || typeof seq !== 'object' || seq.length !== steps) throw new ShapeError(`${name}[${s}]`, seq, `have ${steps} steps like ${name}[0]`, `${seq?.length}`);
    for (let k = 0; k < steps; k++) copyStep(`${name}[${s}][${k}]`, seq[k], I, x, (k * samples + s) * I);
  }
  return { samples, steps, inputSize: I, x };
}

function nestedTargets(rows: NestedTargets, name: string, samples: number, steps: number): YPart {
  const n = lengthOf(name, rows, 'targets, one per sample');
  if (n !== samples) throw new ShapeError(name, rows, `have ${samples} samples like x`, `${n}`);
  const first = rows[0];
  // Per step when a sample's targets are a list of lists (or a list of `steps` bare numbers is ambiguous: read as outputs).
  const perStep = first !== null && typeof first === 'object' && typeof (first as ArrayLike<unknown>)[0] === 'object';
  if (!perStep) {
    const O = widthOf(`${name}[0]`, first);
    const targets = new Float32Array(byteSize(name, rows, [samples, O, 4], { kind: 'shape' }) / 4);
    for (let s = 0; s < samples; s++) copyStep(`${name}[${s}]`, rows[s], O, targets, s * O);
    return { outputSize: O, targets, targetsPerStep: false };
  }
  const O = widthOf(`${name}[0][0]`, (first as ArrayLike<unknown>)[0]);
  const targets = new Float32Array(byteSize(name, rows, [steps, samples, O, 4], { kind: 'shape' }) / 4);
  for (let s = 0; s < samples; s++) {
    const seq = rows[s] as ArrayLike<unknown>;
    if (seq === null || typeof seq !== 'object' || seq.length !== steps) throw new ShapeError(`${name}[${s}]`, seq, `have ${steps} steps like x`, `${seq?.length}`);
    for (let k = 0; k < steps; k++) copyStep(`${name}[${s}][${k}]`, seq[k], O, targets, (k * samples + s) * O);
  }
  return { outputSize: O, targets, targetsPerStep: true };
}

/** The shape's sizes, checked: integers >= 1, `ranks` entries. */
function checkShape(name: string, v: ShapedInput, ranks: readonly number[]): number[] {
  const shape = v.shape;
  if (!Array.isArray(shape) || !ranks.includes(shape.length)) throw new ShapeError(`${name}.shape`, shape, `be ${ranks.map((r) => (r === 3 ? '[samples, steps, width]' : '[samples, width]')).join(' or ')}`);
  shape.forEach((d, i) => checkInteger(`${name}.shape[${i}]`, d, 1));
  const data = v.data;
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number') throw new ConfigError(`${name}.data`, data, 'a typed array or an array of numbers');
  const length = byteSize(`${name}.shape`, shape, [...shape, 4], { kind: 'shape' }) / 4;
  if (data.length !== length) throw new ShapeError(`${name}.data`, data, `have ${shape.join(' × ')} = ${length} values (its shape)`, `length ${data.length}`);
  return shape as number[];
}

/** Batch-major [S][T][W] values to time-major [T][S][W], each checked and named by sample and step. */
function transpose(name: string, data: ArrayLike<number>, S: number, T: number, W: number, perStep = true): Float32Array {
  const out = new Float32Array(S * T * W);
  for (let s = 0; s < S; s++) {
    for (let k = 0; k < T; k++) {
      const from = (s * T + k) * W, to = (k * S + s) * W;
      for (let i = 0; i < W; i++) out[to + i] = value(perStep ? `${name}[${s}][${k}]` : `${name}[${s}]`, data[from + i], i);
    }
  }
  return out;
}

function shapedInputs(v: ShapedInput, name: string): XPart {
  const [S, T, I] = checkShape(name, v, [3]) as [number, number, number];
  return { samples: S, steps: T, inputSize: I, x: transpose(name, v.data, S, T, I) };
}

function shapedTargets(v: ShapedInput, name: string, samples: number, steps: number): YPart {
  const shape = checkShape(name, v, [2, 3]);
  if (shape[0] !== samples) throw new ShapeError(`${name}.shape[0]`, shape[0], `be ${samples} samples like x`);
  if (shape.length === 2) return { outputSize: shape[1]!, targets: transpose(name, v.data, samples, 1, shape[1]!, false), targetsPerStep: false };
  if (shape[1] !== steps) throw new ShapeError(`${name}.shape[1]`, shape[1], `be ${steps} steps like x`);
  return { outputSize: shape[2]!, targets: transpose(name, v.data, samples, steps, shape[2]!), targetsPerStep: true };
}
