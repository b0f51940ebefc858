import { rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { init } from '../backends/wasm/embedded.js';
import { BACKENDS } from '../backends/backend.js';
import { Scaler } from '../data/scaler.js';
import type { Sequences } from '../data/sequences.js';
import { splitByTime, windowCount, windows } from '../data/windows.js';
import { tfjsFiles } from '../interop/tfjs-io.js';
import { LinearRNN } from '../models/linear.js';
import { OPTIMIZERS } from '../optimizers/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { RandomState } from '../random.js';
import { train } from '../training/train.js';
import type { History } from '../training/history.js';
import { epochLine, f84, int, MAX_EPOCHS, num, oneOf, UsageError, withFlags } from './args.js';
import { numbers, numericAtFirst, parseData, readData, type Labelled, type Table } from './data-file.js';
import { checkOutput } from './figures.js';
import { dataFlags, elmanFlags, type Values } from './flags.js';
import { progress } from './progress.js';
import { buildNet, checkSave, fitNet, netFlags, plotHistory } from './train-elman.js';
import type { Exportable } from '../interop/tfjs.js';

type OptimizerFrom = (v: Values, name: string, fallbackLr?: number) => Optimizer;

export const dataHelp = `elman train --data FILE [flags]   train on your own data, report held-out error against a naive baseline

  --data FILE             a CSV with a header row, .json (an array of rows), .jsonl (a row per line), or - for stdin
                          rows of numbers (one column) or objects of named values: a series, one row per time step;
                          { "x": [...], "y": label } rows: sequence classification (labels 0, 1, 2, ...)
  --columns a,b           the columns the model reads, by name or number (from 1)  [every column numeric in row 1]
  --target a              the column(s) it predicts, among --columns                   [the first of --columns]
  --lookback 12           steps of input per window     --horizon 1   steps predicted (t+1 ... t+horizon)
  --stride 1              steps between training windows (held-out windows start at every step)
  --split 0.8             share of the rows, from the start, to train on; the rest is held out (by time)
  --model elman|gru|lstm|linear, --layers, --hidden, --optimizer, --lr, --epochs, ... as above
                          (linear: the counter's two weights on one column, horizon 1)
  --save FILE             the model, with the scaler, for elman predict --model FILE: for a series a TF.js
                          model.json (the scaler in its userDefinedMetadata) and FILE's .weights.bin beside it
                          (the counter, --model linear, as the one-unit linear RNN that computes the same);
                          for { x, y } rows the model's JSON

  A series is standardised with the mean and deviation of the training rows only. Reported on the
  held-out rows, in the data's units: MAE and RMSE of the model and of the naive forecast (the last value
  seen); for labelled sequences, the accuracy and that of always answering the training part's commonest label.
  A malformed file is one line naming the file, row and column (exit 2), before any work; nothing is written.`;

/** Which flags describe the shipped tasks, refused with --data (the file is the data). */
const TASK_ONLY = ['task', 'samples', 'length', 'test-samples'] as const;

/** Run `elman train --data FILE`; resolves to the exit code. */
export async function runTrainData(v: Values, out: (line: string) => void, optimizerFrom: OptimizerFrom, stdin: () => Promise<string>): Promise<number> {
  for (const flag of TASK_ONLY) if (v[flag] !== undefined) throw new UsageError(`--${flag}`, v[flag], 'left out with --data (the file is the data)');
  const which = oneOf('model', v.model, ['linear', 'elman', 'gru', 'lstm']);
  const split = num('split', v.split ?? '0.8')!;
  if (!(split > 0 && split < 1)) throw new UsageError('--split', v.split, 'a fraction in (0, 1): the share of rows, from the start, to train on');
  const linear = which === 'linear' ? linearFlags(v, optimizerFrom) : undefined;
  const net = linear ? undefined : netFlags(v, optimizerFrom);
  const backend = linear?.backend ?? net!.backend;
  if (v.save !== undefined) await checkSave(v.save);
  if (v.plot !== undefined) await checkOutput(v.plot, '--plot');
  const parsed = parseData(v.data!, await readData(v.data!, stdin));
  if (parsed.kind === 'labelled') {
    for (const flag of ['columns', 'target', 'lookback', 'horizon', 'stride'] as const) if (v[flag] !== undefined) throw new UsageError(`--${flag}`, v[flag], `left out with { x, y } rows (${parsed.file} holds whole sequences)`);
    if (linear) throw new UsageError('--model', v.model, 'elman, gru or lstm for { x, y } rows (the counter has one output)');
  }
  const forecast = parsed.kind === 'table' ? windowsOf(v, parsed, split) : undefined;
  const classes = parsed.kind === 'labelled' ? labelledOf(parsed, split) : undefined;
  if (backend === 'wasm') await init();

  if (forecast && linear) return runLinear(v, forecast, linear, out);
  const c = net!;
  const loss = forecast ? (oneOf('loss', v.loss ?? 'mse', ['mse', 'sse'] as const)!) : (oneOf('loss', v.loss ?? 'cce', ['cce'] as const)!);
  const data = forecast?.train ?? classes!.train;
  const { model, title } = await buildNet(v, c, {
    inputSize: data.inputSize, outputSize: data.outputSize, returnSequences: false, outputActivation: forecast ? 'linear' : 'softmax',
  });
  const what = forecast
    ? `${forecast.train.samples} windows of ${forecast.lookback} steps (${forecast.columns.join(', ')} -> ${forecast.targetNames.join(', ')}, horizon ${forecast.horizon})`
    : `${classes!.train.samples} sequences of ${data.steps} steps, ${data.outputSize} classes`;
  const header = `${title} (${c.activation}, ${forecast ? 'linear' : 'softmax'} output) on ${parsed.file}: ${what}, ${loss}, ${c.optimizerName}, batch ${c.batchSize}`;
  try {
    const history = await fitNet(v, c, model, data, loss, header, out);
    if (forecast) report(v, forecast, model.predict(forecast.test), history, out);
    else reportClasses(v, classes!, model.predict(classes!.test), history, out);
    if (v.save !== undefined) {
      if (forecast) await saveFiles(v.save, tfjsWithScaler(model, forecast, v.save));
      else await saveFiles(v.save, [[v.save, JSON.stringify(model.toJSON())]]);
      if (!v.json) out(`model saved: ${v.save}${forecast ? ` (and ${weightsName(v.save)})` : ''}`);
    }
    await plotHistory(v, history, c.optimizerName, loss, out);
  } finally {
    model.dispose();
  }
  return 0;
}

/** A series cut into windows: training ones (scaled), held-out ones, and the raw values to score them against. */
interface Forecast {
  file: string;
  columns: string[];
  targetNames: string[];
  targets: number[];
  lookback: number;
  horizon: number;
  scaler: Scaler;
  train: Sequences;
  test: Sequences;
  /** The held-out rows, raw, as `[series][t]`: window n reads t in [n, n + lookback), predicts n + lookback + h. */
  raw: number[][];
  /** The file's row number of each held-out step. */
  rowsHeld: number[];
}

/** Columns, targets and windows from the flags; the scaler fitted on the training rows only. */
function windowsOf(v: Values, table: Table, split: number): Forecast {
  const pick = (flag: string, text: string) => text.split(',').map((part) => {
    const name = part.trim();
    const j = table.names.indexOf(name) >= 0 ? table.names.indexOf(name) : /^\d+$/.test(name) ? Number(name) - 1 : -1;
    if (j < 0 || j >= table.names.length) throw new UsageError(`--${flag}`, text, `column names or numbers (from 1) of ${table.file}, which has ${table.names.map((n) => `"${n}"`).join(', ')}`);
    return j;
  });
  const columns = v.columns === undefined ? table.names.map((_, j) => j).filter((j) => numericAtFirst(table, j)) : pick('columns', v.columns);
  if (columns.length === 0) throw new UsageError('--columns', v.columns, `given: no column of ${table.file} holds a number in its first data row`);
  if (new Set(columns).size !== columns.length) throw new UsageError('--columns', v.columns, 'columns named once each');
  const targetCols = v.target === undefined ? [columns[0]!] : pick('target', v.target);
  const targets = targetCols.map((j) => columns.indexOf(j));
  if (targets.some((t) => t < 0)) throw new UsageError('--target', v.target, `among --columns (${columns.map((j) => table.names[j]).join(', ')})`);
  const lookback = int('lookback', v.lookback ?? '12', 1, 100_000)!;
  const horizon = int('horizon', v.horizon ?? '1', 1, 100_000)!;
  const stride = int('stride', v.stride ?? '1', 1)!;
  const series = columns.map((j) => numbers(table, j));
  const length = series[0]!.length;
  const cut = Math.round(split * length);
  // Each part must hold one window: lookback steps of input and horizon steps to predict.
  if (windowCount(cut, lookback, horizon) < 1 || windowCount(length - cut + lookback, lookback, horizon) < 1) {
    throw new UsageError('--split', v.split ?? '0.8', `a split leaving lookback + horizon = ${lookback + horizon} rows to train on and horizon = ${horizon} held out; ${table.file} has ${length} data rows`);
  }
  // The split and window sizes were checked above, so splitByTime and windows cannot refuse them.
  const { train: trainRows, test: raw, at } = splitByTime(series, cut, lookback);
  const scaler = Scaler.fit(trainRows);
  const train = windows(scaler.transform(trainRows), { lookback, horizon, stride, targets });
  const test = windows(scaler.transform(raw), { lookback, horizon, targets });
  const names = (cols: number[]) => cols.map((j) => table.names[j]!);
  return { file: table.file, columns: names(columns), targetNames: names(targetCols), targets, lookback, horizon, scaler, train, test, raw, rowsHeld: table.rows.slice(at - lookback) };
}

/** Mean absolute and root-mean-square error, summed in float64. */
function errors(pairs: Array<[predicted: number, actual: number]>): { mae: number; rmse: number } {
  let a = 0;
  let s = 0;
  for (const [p, y] of pairs) {
    a += Math.abs(p - y);
    s += (p - y) ** 2;
  }
  return { mae: a / pairs.length, rmse: Math.sqrt(s / pairs.length) };
}

/** Score the held-out windows in the data's units: the model (outputs mapped back by the scaler) and the naive forecast. */
function report(v: Values, f: Forecast, y: Float32Array, history: History<unknown>, out: (line: string) => void): void {
  const T = f.targets.length;
  const O = f.horizon * T;
  const model: Array<[number, number]> = [];
  const naive: Array<[number, number]> = [];
  for (let n = 0; n < f.test.samples; n++) {
    for (let o = 0; o < O; o++) {
      const s = f.targets[o % T]!;
      const h = Math.floor(o / T);
      const actual = f.raw[s]![n + f.lookback + h]!;
      model.push([y[n * O + o]! * f.scaler.std[s]! + f.scaler.mean[s]!, actual]);
      naive.push([f.raw[s]![n + f.lookback - 1]!, actual]);
    }
  }
  const m = errors(model);
  const b = errors(naive);
  const rows = `rows ${f.rowsHeld[f.lookback]}-${f.rowsHeld.at(-1)}`;
  if (v.json) {
    out(JSON.stringify({ final: true, epochs: history.loss.length, loss: history.loss.at(-1), heldOut: { windows: f.test.samples, rows: [f.rowsHeld[f.lookback], f.rowsHeld.at(-1)], model: m, naive: b } }));
    return;
  }
  out(`held-out: ${f.test.samples} windows predicting ${rows} of ${f.file} (${f.targetNames.join(', ')}), in its units`);
  out(`  model                  MAE ${fmt(m.mae)}  RMSE ${fmt(m.rmse)}`);
  out(`  naive (last value)     MAE ${fmt(b.mae)}  RMSE ${fmt(b.rmse)}`);
  out(`  model / naive MAE ${(m.mae / b.mae).toFixed(3)} (below 1: better than repeating the last value)`);
}

const fmt = (x: number) => x.toPrecision(5).padStart(10);

/** Labelled sequences split in file order: training and held-out Sequences (one-hot targets). */
interface Classes {
  file: string;
  train: Sequences;
  test: Sequences;
  labels: number[];
  /** The training part's commonest label: the naive answer. */
  common: number;
}

function labelledOf(d: Labelled, split: number): Classes {
  const n = d.x.length;
  const cut = Math.round(split * n);
  if (cut < 1 || cut >= n) throw new UsageError('--split', split, `a split leaving rows on both sides; ${d.file} has ${n} rows`);
  const K = Math.max(...d.y) + 1;
  if (K < 2) throw new UsageError('--data', d.file, 'rows with at least two labels (0 and 1) to tell apart');
  const pack = (from: number, to: number): Sequences => {
    const B = to - from;
    const steps = d.x[0]!.length;
    const I = d.x[0]![0]!.length;
    const x = new Float32Array(steps * B * I);
    const targets = new Float32Array(B * K);
    for (let b = 0; b < B; b++) {
      d.x[from + b]!.forEach((step, k) => step.forEach((value, i) => (x[(k * B + b) * I + i] = value)));
      targets[b * K + d.y[from + b]!] = 1;
    }
    return { samples: B, steps, inputSize: I, outputSize: K, x, targets };
  };
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < cut; i++) counts[d.y[i]!]!++;
  return { file: d.file, train: pack(0, cut), test: pack(cut, n), labels: d.y.slice(cut), common: counts.indexOf(Math.max(...counts)) };
}

function reportClasses(v: Values, c: Classes, y: Float32Array, history: History<unknown>, out: (line: string) => void): void {
  const K = c.train.outputSize;
  let right = 0;
  c.labels.forEach((label, b) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (y[b * K + k]! > y[b * K + best]!) best = k;
    if (best === label) right++;
  });
  const accuracy = right / c.labels.length;
  const naive = c.labels.filter((l) => l === c.common).length / c.labels.length;
  if (v.json) out(JSON.stringify({ final: true, epochs: history.loss.length, loss: history.loss.at(-1), heldOut: { sequences: c.labels.length, accuracy, naive } }));
  else {
    out(`held-out: ${c.labels.length} sequences of ${c.file}`);
    out(`  model                       accuracy ${(100 * accuracy).toFixed(2)}%`);
    out(`  naive (always label ${c.common})     accuracy ${(100 * naive).toFixed(2)}%`);
  }
}

/** The weights file saved beside FILE: `co2.json` -> `co2.weights.bin`. */
function weightsName(file: string): string {
  return `${basename(file).replace(/\.json$/i, '')}.weights.bin`;
}

/** TF.js model.json (naming its weights file) with the scaler and targets as userDefinedMetadata, which Predictor applies. */
function tfjsWithScaler(model: Exportable, f: Forecast, file: string): Array<[string, string | Uint8Array]> {
  const files = tfjsFiles(model, { metadata: { scaler: f.scaler.toJSON(), targets: f.targets, columns: f.columns, lookback: f.lookback, horizon: f.horizon } });
  const json = JSON.parse(files['model.json']) as { weightsManifest: Array<{ paths: string[] }> };
  json.weightsManifest[0]!.paths = [weightsName(file)];
  const dir = file.slice(0, file.length - basename(file).length);
  return [[file, JSON.stringify(json)], [`${dir}${weightsName(file)}`, files['weights.bin']]];
}

/** Write every file or none: each to a temporary name, then renamed into place. */
async function saveFiles(save: string, files: Array<[string, string | Uint8Array]>): Promise<void> {
  const temps = files.map(([file]) => `${file}.${process.pid}.tmp`);
  try {
    for (const [i, [, body]] of files.entries()) await writeFile(temps[i]!, body);
    for (const [i, [file]] of files.entries()) await rename(temps[i]!, file);
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw new UsageError('--save', save, `a file elman can write (${(e as Error).message})`);
  }
}

/** The counter's flags for --data --model linear. */
interface LinearConfig {
  optimizer: Optimizer;
  optimizerName: string;
  epochs: number;
  logEvery: number;
  backend: (typeof BACKENDS)[number] | undefined;
  seed: number;
  simd: boolean;
}

function linearFlags(v: Values, optimizerFrom: OptimizerFrom): LinearConfig {
  for (const flag of Object.keys(elmanFlags)) {
    if (flag !== 'model' && flag !== 'save' && v[flag as keyof Values] !== undefined) throw new UsageError(`--${flag}`, v[flag as keyof Values], 'used with --model elman, gru or lstm');
  }
  if (v.init !== undefined) throw new UsageError('--init', v.init, 'used with the counter on its own task (here the weights are drawn from --seed)');
  const optimizerName = oneOf('optimizer', v.optimizer ?? 'rmsprop', Object.keys(OPTIMIZERS))!;
  return {
    optimizer: optimizerFrom(v, optimizerName, optimizerName === 'rmsprop' ? 0.01 : undefined),
    optimizerName,
    epochs: int('epochs', v.epochs ?? '200', 1, MAX_EPOCHS)!,
    logEvery: int('log-every', v['log-every'] ?? '20', 1)!,
    backend: oneOf('backend', v.backend, BACKENDS),
    seed: int('seed', v.seed ?? '1', 0, 2 ** 32 - 1)!,
    simd: !v.scalar,
  };
}

/**
 * The counter as the RNN that computes the same thing, for saving: one linear simple unit
 * (h = x·wx + h·wRec, no bias) and a Dense head of weight 1, so the output is the last state.
 */
function counterAsRnn(wx: number, wRec: number): Exportable {
  const json = { format: 'elman.RNN', version: 1, config: { inputSize: 1, outputSize: 1, outputActivation: 'linear', returnSequences: false, layers: [{ cell: 'simple', units: 1, activation: 'linear', recurrentActivation: 'sigmoid', resetAfter: false }] },
    weights: { layers: [{ kernel: [wx], recurrentKernel: [wRec], bias: [0] }], outputKernel: [1], outputBias: [0] } };
  return { toJSON: () => json };
}

/** The counter (s = wx·x + wRec·s, y = s at the last step) on one column, horizon 1. */
async function runLinear(v: Values, f: Forecast, c: LinearConfig, out: (line: string) => void): Promise<number> {
  if (f.columns.length !== 1 || f.horizon !== 1) throw new UsageError(f.columns.length !== 1 ? '--columns' : '--horizon', f.columns.length !== 1 ? (v.columns ?? f.columns.join(',')) : v.horizon, 'one column and horizon 1 for --model linear');
  const loss = oneOf('loss', v.loss ?? 'mse', ['mse', 'sse'] as const)!;
  const rng = new RandomState(c.seed);
  const model = await withFlags({ backend: ['--backend', v.backend] }, () => new LinearRNN({ wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1), backend: c.backend, simd: c.simd }));
  const bar = progress(c.epochs);
  try {
    if (!v.json) out(`Linear counter (wx, wRec) on ${f.file}: ${f.train.samples} windows of ${f.lookback} steps (${f.columns[0]}), ${loss}, ${c.optimizerName}`);
    const history = await train(model, f.train, {
      optimizer: c.optimizer,
      epochs: c.epochs,
      loss,
      logEvery: 1,
      onEpoch: ({ epoch, loss: cost }) => {
        bar?.tick(epoch + 1, cost);
        if ((epoch + 1) % c.logEvery !== 0) return;
        bar?.clear();
        out(v.json ? JSON.stringify({ epoch: epoch + 1, loss: cost }) : epochLine(epoch + 1, 'loss', cost));
      },
    });
    bar?.clear();
    const { samples, steps, x } = f.test;
    const y = new Float32Array(samples);
    const seq = new Float32Array(steps);
    for (let n = 0; n < samples; n++) {
      for (let k = 0; k < steps; k++) seq[k] = x[k * samples + n]!;
      y[n] = model.predict(seq);
    }
    if (!v.json) out(`Final weights : wx = ${f84(model.weights.wx)}, wRec = ${f84(model.weights.wRec)}`);
    report(v, f, y, history, out);
    if (v.save !== undefined) {
      await saveFiles(v.save, tfjsWithScaler(counterAsRnn(model.weights.wx, model.weights.wRec), f, v.save));
      if (!v.json) out(`model saved: ${v.save} (and ${weightsName(v.save)})`);
    }
    await plotHistory(v, history, c.optimizerName, loss, out);
  } finally {
    bar?.clear();
    model.dispose();
  }
  return 0;
}
