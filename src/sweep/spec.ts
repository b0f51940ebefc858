// One description of many runs: a base run (model, data, training) and the values that vary — a grid,
// a list, seeded random draws, and/or one run per series — expanded into plain-JSON run configs, each
// with a stable id (a hash of its config), so a repeated sweep finds the runs it already finished.

import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { RandomState } from '../random.js';

/** The model of a run: `new RNN(options)` (`kind: 'rnn'`, the default) or `new ElmanRNN(options)` (`kind: 'elman'`), the other keys its options. */
export interface ModelSpec {
  /** Which model class the options are for: 'rnn' (default) or 'elman'. */
  kind?: 'rnn' | 'elman';
  /** The model's own options (`RNNOptions` or `ElmanRNNOptions`). */
  [option: string]: unknown;
}

/** Sequences in elman's time-major layout (as `Sequences`), the arrays as plain numbers. */
export interface SequencesJSON {
  /** Sequences in the set. */
  samples: number;
  /** Steps per sequence. */
  steps: number;
  /** Inputs per step. */
  inputSize: number;
  /** Outputs per target. */
  outputSize: number;
  /** Inputs, `[steps][samples][inputSize]` flattened. */
  x: number[];
  /** Targets, `[samples][outputSize]` (or per step with `targetsPerStep`) flattened. */
  targets: number[];
  /** A target at every step. */
  targetsPerStep?: boolean;
}

/** Where a run's data comes from: inline values, or a reference a worker opens (a file path, an http(s) URL, a Redis key). */
export interface DataSource {
  /** Inline: one series (one value per step) or several of the same length (the input features of a step). */
  series?: number[] | number[][];
  /** Inline: sequences already in elman's time-major layout, arrays as plain numbers. */
  sequences?: SequencesJSON;
  /** A JSON file holding `{ series }` or `{ sequences }` (a path on the worker's machine). */
  file?: string;
  /** An http(s) URL of such JSON. */
  url?: string;
  /** A key of the Redis the workers use, holding such JSON (the Redis path only). */
  key?: string;
}

/** A run's data: one source, and for a series how it is cut into samples. */
export interface DataSpec extends DataSource {
  /** Steps of input per sample (series only). */
  lookback?: number;
  /** Steps predicted per sample (series only, default 1). */
  horizon?: number;
  /** Steps between samples' starts (series only, default 1). */
  stride?: number;
  /** Fraction of the series' end held out (`splitByTime`; default 0); its loss is the run's `valLoss`. */
  validation?: number;
  /** Standardise the series with a `Scaler` fitted on the training part (default true for a series). */
  scale?: boolean;
}

/** An optimizer by registry name with its options: `{ name: 'adam', lr: 0.005 }`. */
export interface OptimizerSpecJSON {
  /** A name of `OPTIMIZERS` ('sgd', 'momentum', 'rmsprop', 'rprop', 'adam'). */
  name: string;
  /** The optimizer's options (`lr`, `beta1`, ...). */
  [option: string]: number | boolean | string;
}

/** The training of a run: `train`'s options as JSON, the optimizer by name. */
export interface TrainSpec {
  /** An optimizer name (`'adam'`) or `{ name, ...options }` (`{ name: 'adam', lr: 0.005 }`). */
  optimizer: string | OptimizerSpecJSON;
  /** Epochs, an integer >= 1. */
  epochs: number;
  /** The loss (`train`'s `loss`; default the model's). */
  loss?: string;
  /** Samples per update (default: all). */
  batchSize?: number;
  /** Reshuffle every epoch: true, a seed, or false. */
  shuffle?: boolean | number;
  /** Clip each update's gradient to this L2 norm. */
  clipNorm?: number;
  /** Clip each gradient element to [−clipValue, clipValue] (not with clipNorm). */
  clipValue?: number;
  /** Early stopping after this many epochs without a lower loss. */
  patience?: number;
  /** Truncated BPTT window, in steps. */
  truncate?: number;
  /** Evaluate the held-out data after every epoch (history.valLoss; default false: once, at the end). */
  validateEpochs?: boolean;
}

/** A value drawn for a path by `random`: uniform, log-uniform, an integer in [a, b], or one of a list. */
export type Draw =
  | {
      /** Uniform in [a, b). */
      uniform: [number, number];
    }
  | {
      /** Log-uniform in [a, b), a > 0. */
      logUniform: [number, number];
    }
  | {
      /** An integer in [a, b]. */
      int: [number, number];
    }
  | {
      /** One of these values. */
      choice: unknown[];
    };

/** Seeded random draws: `count` runs, each value drawn for its path from `space`. */
export interface RandomSpec {
  /** Runs to draw, an integer >= 1. */
  count: number;
  /** Seed of the draws (numpy's MT19937), an integer in [0, 2^32 - 1]. */
  seed: number;
  /** What to draw for each path. */
  space: Record<string, Draw>;
}

/** A sweep: the base run, and what varies. Paths are dotted into the run config: `train.optimizer.lr`, `model.layers.0.units`. */
export interface SweepSpec {
  /** Names the sweep's queue (Redis) and files (default 'sweep'). */
  name?: string;
  /** The model every run starts from. */
  model: ModelSpec;
  /** The data (with `perSeries`: how each series is cut). */
  data: DataSpec;
  /** The training every run starts from. */
  train: TrainSpec;
  /** Every combination of these values. */
  grid?: Record<string, unknown[]>;
  /** These settings, one run each. */
  list?: Array<Record<string, unknown>>;
  /** `count` seeded draws over `space`. */
  random?: RandomSpec;
  /** One run per series (each an inline series or a reference), times the grid, list or draws. */
  perSeries?: Array<number[] | number[][] | DataSource>;
}

/** One run, fully resolved: plain JSON a worker on any machine can run. */
export interface RunConfig {
  /** The run's model options. */
  model: ModelSpec;
  /** The run's data (values or a reference). */
  data: DataSpec;
  /** The run's training options. */
  train: TrainSpec;
}

/** A run of a sweep: its id, its place in the sweep, the values that vary, and its config. */
export interface RunSpec {
  /** 16 hex digits of the SHA-256 of the canonical JSON of `config` (model, data or its reference, training). */
  readonly id: string;
  /** Its place in the sweep's order, from 0. */
  readonly index: number;
  /** The varied values by path (with `series`: the index in `perSeries`). */
  readonly params: Record<string, unknown>;
  /** The whole run. */
  readonly config: RunConfig;
}

const SPEC_KEYS = ['name', 'model', 'data', 'train', 'grid', 'list', 'random', 'perSeries'];
const SOURCES = ['series', 'sequences', 'file', 'url', 'key'] as const;
/** Most runs one sweep expands to: a longer one belongs in several sweeps (or a sharded queue: docs/scale.md). */
export const MAX_RUNS = 10_000_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON with keys sorted at every level: the same config always hashes the same. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A run's stable id: 16 hex digits (64 bits) of the SHA-256 of its canonical config. */
export function runId(config: RunConfig): string {
  return createHash('sha256').update(canonical(config)).digest('hex').slice(0, 16);
}

/** Set `path` (dotted, numeric segments index arrays) in a deep copy's object; the parents must exist. */
function setPath(target: Record<string, unknown>, path: string, value: unknown, argument: string): void {
  const keys = path.split('.');
  if (!['model', 'data', 'train'].includes(keys[0]!) || keys.length < 2) throw new ConfigError(argument, path, "a path into the run: 'model.…', 'data.…' or 'train.…'");
  let at: unknown = target;
  for (const k of keys.slice(0, -1)) {
    const next: unknown = (at as Record<string, unknown>)[k];
    // A string optimizer becomes { name } so that `train.optimizer.lr` can be varied.
    if (k === 'optimizer' && typeof next === 'string') (at as Record<string, unknown>)[k] = { name: next };
    at = (at as Record<string, unknown>)[k];
    if (typeof at !== 'object' || at === null) throw new ConfigError(argument, path, `a path whose parent '${k}' exists in the base run`);
  }
  (at as Record<string, unknown>)[keys.at(-1)!] = value;
}

/** Throw ConfigError unless `name` is a sweep name: 1 to 64 letters, digits, _ . - (it names a Redis queue and files). */
export function checkName(argument: string, name: unknown): string {
  if (!(typeof name === 'string' && /^[\w.-]{1,64}$/.test(name))) throw new ConfigError(argument, name, '1 to 64 letters, digits, _ . -');
  return name;
}

function checkSource(name: string, d: unknown, series: boolean): void {
  if (!isObject(d)) throw new ConfigError(name, d, `an object with one of ${SOURCES.join(', ')}`);
  const given = SOURCES.filter((k) => d[k] !== undefined);
  if (given.length !== 1) throw new ConfigError(name, given.join(', ') || d, `exactly one data source: ${SOURCES.join(', ')}`);
  const k = given[0]!;
  if (k === 'series' && !Array.isArray(d.series)) throw new ConfigError(`${name}.series`, d.series, 'an array of numbers or of series');
  if (k === 'sequences' && !isObject(d.sequences)) throw new ConfigError(`${name}.sequences`, d.sequences, 'an object { samples, steps, inputSize, outputSize, x, targets }');
  if ((k === 'file' || k === 'key') && (typeof d[k] !== 'string' || d[k] === '')) throw new ConfigError(`${name}.${k}`, d[k], 'a non-empty string');
  if (k === 'url' && !(typeof d.url === 'string' && /^https?:\/\//.test(d.url))) throw new ConfigError(`${name}.url`, d.url, 'an http(s) URL');
  if (series && k === 'sequences') throw new ConfigError(name, d, 'a series (perSeries cuts each into windows)');
}

function checkDraw(path: string, d: unknown): void {
  const name = `random.space.${path}`;
  if (!isObject(d) || Object.keys(d).length !== 1) throw new ConfigError(name, d, 'one of { uniform: [a, b] }, { logUniform: [a, b] }, { int: [a, b] }, { choice: [...] }');
  const [kind, v] = Object.entries(d)[0]!;
  if (kind === 'choice') {
    if (!Array.isArray(v) || v.length === 0) throw new ConfigError(`${name}.choice`, v, 'a non-empty array');
    return;
  }
  if (!['uniform', 'logUniform', 'int'].includes(kind)) throw new ConfigError(name, kind, 'uniform, logUniform, int or choice');
  if (!Array.isArray(v) || v.length !== 2 || !v.every(Number.isFinite) || !(v[0] <= v[1])) throw new ConfigError(`${name}.${kind}`, v, 'two finite numbers [a, b] with a <= b');
  if (kind === 'logUniform' && !(v[0] > 0)) throw new ConfigError(`${name}.logUniform`, v, 'bounds > 0');
  if (kind === 'int' && !v.every(Number.isInteger)) throw new ConfigError(`${name}.int`, v, 'two integers');
}

function draw(rng: RandomState, d: Draw): unknown {
  if ('choice' in d) return d.choice[Math.floor(rng.randomSample() * d.choice.length)];
  if ('int' in d) return d.int[0] + Math.floor(rng.randomSample() * (d.int[1] - d.int[0] + 1));
  if ('logUniform' in d) return Math.exp(rng.uniform(Math.log(d.logUniform[0]), Math.log(d.logUniform[1])));
  return rng.uniform(d.uniform[0], d.uniform[1]);
}

/** Validate a spec's shape (every problem a ConfigError naming its path), before any run is made. */
export function checkSpec(spec: unknown): SweepSpec {
  if (!isObject(spec)) throw new ConfigError('spec', spec, 'an object { model, data, train, grid | list | random | perSeries }');
  for (const k of Object.keys(spec)) if (!SPEC_KEYS.includes(k)) throw new ConfigError(`spec.${k}`, spec[k], `absent: a sweep takes ${SPEC_KEYS.join(', ')}`);
  if (spec.name !== undefined) checkName('spec.name', spec.name);
  if (!isObject(spec.model)) throw new ConfigError('spec.model', spec.model, "an object: the model's options, with kind 'rnn' (default) or 'elman'");
  if (spec.model.kind !== undefined && spec.model.kind !== 'rnn' && spec.model.kind !== 'elman') throw new ConfigError('spec.model.kind', spec.model.kind, "'rnn' or 'elman'");
  if (!isObject(spec.train)) throw new ConfigError('spec.train', spec.train, 'an object { optimizer, epochs, ... }');
  const varies = ['grid', 'list', 'random'].filter((k) => spec[k] !== undefined);
  if (varies.length > 1) throw new ConfigError(`spec.${varies[1]}`, spec[varies[1]!], `absent beside spec.${varies[0]}: one of grid, list, random (each may combine with perSeries)`);
  if (spec.perSeries !== undefined) {
    if (!Array.isArray(spec.perSeries) || spec.perSeries.length === 0) throw new ConfigError('spec.perSeries', spec.perSeries, 'a non-empty array of series');
    if (!isObject(spec.data)) throw new ConfigError('spec.data', spec.data, 'an object: how each series is cut (lookback, horizon, ...)');
    spec.perSeries.forEach((s, i) => checkSource(`spec.perSeries[${i}]`, Array.isArray(s) ? { series: s } : s, true));
  } else checkSource('spec.data', spec.data, false);
  if (spec.grid !== undefined) {
    if (!isObject(spec.grid) || Object.keys(spec.grid).length === 0) throw new ConfigError('spec.grid', spec.grid, 'an object { path: [values] }');
    for (const [p, v] of Object.entries(spec.grid)) if (!Array.isArray(v) || v.length === 0) throw new ConfigError(`spec.grid.${p}`, v, 'a non-empty array of values');
  }
  if (spec.list !== undefined && (!Array.isArray(spec.list) || spec.list.length === 0 || !spec.list.every(isObject))) throw new ConfigError('spec.list', spec.list, 'a non-empty array of { path: value } objects');
  if (spec.random !== undefined) {
    const r = spec.random;
    if (!isObject(r)) throw new ConfigError('spec.random', r, 'an object { count, seed, space }');
    if (!(Number.isInteger(r.count) && (r.count as number) >= 1)) throw new ConfigError('spec.random.count', r.count, 'an integer >= 1');
    if (!(Number.isInteger(r.seed) && (r.seed as number) >= 0 && (r.seed as number) <= 0xffffffff)) throw new ConfigError('spec.random.seed', r.seed, 'an integer in [0, 2^32 - 1]');
    if (!isObject(r.space) || Object.keys(r.space).length === 0) throw new ConfigError('spec.random.space', r.space, 'an object { path: draw }');
    for (const [p, d] of Object.entries(r.space)) checkDraw(p, d);
  }
  return spec as unknown as SweepSpec;
}

/** Every run of a sweep, in a fixed order (variants outer, series inner), each with its id. */
export function expand(input: unknown): RunSpec[] {
  const spec = checkSpec(input);
  const variants = variantsOf(spec);
  const series = spec.perSeries ?? [undefined];
  const total = variants.length * series.length;
  if (total > MAX_RUNS) throw new ConfigError('spec', total, `at most ${MAX_RUNS} runs (split it: docs/scale.md)`);
  const base = { model: spec.model, data: spec.data, train: spec.train };
  const runs: RunSpec[] = [];
  for (const [argument, values] of variants) {
    for (let s = 0; s < series.length; s++) {
      const config = structuredClone(base) as unknown as Record<string, unknown>;
      for (const [path, value] of Object.entries(values)) setPath(config, path, value, argument === 'grid' || argument === 'list' || argument === 'random' ? `spec.${argument}` : argument);
      const params: Record<string, unknown> = { ...values };
      const one = series[s];
      if (one !== undefined) {
        const data = config.data as Record<string, unknown>;
        for (const k of SOURCES) delete data[k];
        Object.assign(data, Array.isArray(one) ? { series: one } : one);
        params.series = s;
      }
      const c = config as unknown as RunConfig;
      runs.push({ id: runId(c), index: runs.length, params, config: c });
    }
  }
  const seen = new Map<string, number>();
  for (const r of runs) {
    const twin = seen.get(r.id);
    if (twin !== undefined) throw new ConfigError('spec', `runs ${twin} and ${r.index}`, 'runs with different configs (two runs of the sweep are the same run)');
    seen.set(r.id, r.index);
  }
  return runs;
}

/** The varied values of each run: [where they came from, { path: value }]. */
function variantsOf(spec: SweepSpec): Array<[string, Record<string, unknown>]> {
  if (spec.grid) {
    let combos: Array<Record<string, unknown>> = [{}];
    for (const [path, values] of Object.entries(spec.grid)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [path]: v })));
    return combos.map((c) => ['grid', c]);
  }
  if (spec.list) return spec.list.map((c) => ['list', c]);
  if (spec.random) {
    const rng = new RandomState(spec.random.seed);
    const space = Object.entries(spec.random.space);
    return Array.from({ length: spec.random.count }, () => ['random', Object.fromEntries(space.map(([p, d]) => [p, draw(rng, d)]))]);
  }
  return [['spec', {}]];
}
