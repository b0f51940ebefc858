// The embedded runner through the built package (dist/sweep, worker threads loading dist/sweep/thread.js)
// and the built CLI: each run's bits against the same run trained alone here with the public API
// (independent of the sweep's own run code), stable ids and resume, draws, the table, progress events,
// failures recorded, and every bad input refused with a typed error naming it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, test } from 'vitest';
import { adam, ConfigError, ElmanRNN, init, RNN, Scaler, splitByTime, train, windows } from '../../dist/index.js';
import { expand, runId, sweep, SweepResults, worker, type EpochEvent, type RunResult } from '../../dist/sweep/index.js';
import { forecasterSpec } from '../helpers/sweep-spec.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'elman-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The run trained alone, as a user would write it: split, scale, window, build, train (no sweep code). */
async function alone(config: RunResult['config']): Promise<{ params: Float32Array; loss: number[] }> {
  await init();
  const d = config.data as { series: number[]; lookback: number; horizon: number; validation: number };
  const { train: past } = splitByTime(d.series, 1 - d.validation, d.lookback);
  const scaler = Scaler.fit(past);
  const data = windows(scaler.transform(past), { lookback: d.lookback, horizon: d.horizon });
  const { kind, ...options } = config.model as { kind: string } & Record<string, unknown>;
  const model = kind === 'elman' ? new ElmanRNN(options as never) : new RNN(options as never);
  const t = config.train as unknown as { optimizer: { lr: number }; epochs: number; batchSize: number; shuffle: number; clipNorm: number };
  const history = await train(model as ElmanRNN, data, { optimizer: adam({ lr: t.optimizer.lr }), epochs: t.epochs, loss: 'mse', batchSize: t.batchSize, shuffle: t.shuffle, clipNorm: t.clipNorm });
  const params = model.params.slice();
  model.dispose();
  return { params, loss: history.loss };
}

const paramsOf = (r: RunResult) => {
  const json = r.model as never;
  const m = r.config.model.kind === 'elman' ? ElmanRNN.fromJSON(json) : RNN.fromJSON(json);
  const p = m.params.slice();
  m.dispose();
  return p;
};
const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('sweep: the embedded runner', () => {
  test('each run on a worker thread gives the same bits as training it alone here (Elman per series; GRU and LSTM over a grid)', async () => {
    const perSeries = forecasterSpec('alone', 3);
    const grid = {
      ...forecasterSpec('grid', 1),
      model: { kind: 'rnn', inputSize: 1, layers: [{ cell: 'gru', units: 8 }], outputSize: 4, seed: 3 },
      grid: { 'model.layers.0.cell': ['gru', 'lstm'], 'train.optimizer.lr': [0.005, 0.02] },
    };
    for (const spec of [perSeries, grid]) {
      const epochs: EpochEvent[] = [];
      const finished: number[] = [];
      const s = sweep(spec, { concurrency: 2 });
      s.on('epoch', (e) => epochs.push(e));
      s.on('run', (_r, p) => finished.push(p.finished));
      const results = await s;
      const n = expand(spec).length;
      expect(results.runs).toHaveLength(n);
      expect(finished).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      for (const r of results.runs) {
        expect(r.status).toBe('done');
        const own = await alone(r.config);
        expect(bitsOf(paramsOf(r))).toEqual(bitsOf(own.params));
        expect(r.history!.loss).toEqual(own.loss);
        // Progress: every epoch of every run was heard, in order.
        expect(epochs.filter((e) => e.id === r.id).map((e) => e.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      }
    }
  }, 180_000);

  test('stable ids: a repeated sweep with the same --out skips every finished run; a changed config is a new run', async () => {
    const spec = forecasterSpec('resume', 3, { epochs: 3 });
    const out = join(dir, 'resume');
    const first = await sweep(spec, { out, concurrency: 1 });
    expect(readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.json'))).toHaveLength(3);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
    const again = sweep(spec, { out, concurrency: 1 });
    const heard: string[] = [];
    let skipped = -1;
    again.on('start', (p) => (skipped = p.skipped));
    again.on('run', (r) => heard.push(r.id));
    const second = await again;
    expect(skipped).toBe(3);
    expect(heard).toEqual([]);
    expect(second.toJSON()).toEqual(first.toJSON());
    // The id hashes the config: key order does not matter, a value does.
    const [a] = expand(spec);
    const reordered = { train: a!.config.train, data: a!.config.data, model: a!.config.model };
    expect(runId(reordered)).toBe(a!.id);
    expect(expand({ ...spec, train: { ...spec.train, epochs: 4 } })[0]!.id).not.toBe(a!.id);
  }, 120_000);

  test('data by reference: a JSON file gives the same bits as the series inline; a missing file fails its run', async () => {
    const inline = forecasterSpec('file', 1, { epochs: 3 });
    const file = join(dir, 'series.json');
    writeFileSync(file, JSON.stringify({ series: inline.perSeries[0] }));
    const { perSeries: _, ...byFile } = { ...inline, data: { ...inline.data, file } };
    const [a] = (await sweep(byFile)).runs;
    const [b] = (await sweep(inline)).runs;
    expect(a!.status).toBe('done');
    expect(a!.model).toEqual(b!.model);
    expect(a!.history!.loss).toEqual(b!.history!.loss);
    expect(a!.id).not.toBe(b!.id); // the id hashes the reference, not the file's bytes
    const [missing] = (await sweep({ ...byFile, data: { ...byFile.data, file: join(dir, 'absent.json') } })).runs;
    expect(missing!.status).toBe('failed');
    expect(missing!.error!.message).toMatch(/ENOENT/);
  }, 60_000);

  test('seeded random draws, lists and the results table', async () => {
    const base = forecasterSpec('draws', 1, { epochs: 2 });
    const random = { count: 5, seed: 7, space: { 'train.optimizer.lr': { logUniform: [1e-3, 1e-1] }, 'model.hiddenSize': { int: [4, 9] }, 'train.batchSize': { choice: [32, 64] } } };
    const runs = expand({ ...base, random });
    expect(expand({ ...base, random }).map((r) => r.id)).toEqual(runs.map((r) => r.id));
    expect(runs.map((r) => r.id)).not.toEqual(expand({ ...base, random: { ...random, seed: 8 } }).map((r) => r.id));
    for (const r of runs) {
      const lr = r.params['train.optimizer.lr'] as number;
      expect(lr >= 1e-3 && lr < 1e-1).toBe(true);
      expect(Number.isInteger(r.params['model.hiddenSize']) && (r.params['model.hiddenSize'] as number) >= 4 && (r.params['model.hiddenSize'] as number) <= 9).toBe(true);
      expect([32, 64]).toContain(r.params['train.batchSize']);
      expect((r.config.model as { hiddenSize: number }).hiddenSize).toBe(r.params['model.hiddenSize']);
    }
    const results = await sweep({ ...base, random });
    const best = results.best({ by: 'valLoss' })!;
    expect(best.metrics!.valLoss).toBe(Math.min(...results.runs.map((r) => r.metrics!.valLoss!)));
    expect(results.best({ by: 'loss' })!.metrics!.loss).toBe(Math.min(...results.runs.map((r) => r.metrics!.loss)));
    const csv = results.toCSV().trim().split('\n');
    expect(csv[0]).toBe('id,status,train.optimizer.lr,model.hiddenSize,train.batchSize,series,loss,valLoss,epochs,ms,attempts,error');
    expect(csv).toHaveLength(6);
    expect(csv[1]!.startsWith(`${runs[0]!.id},done,${runs[0]!.params['train.optimizer.lr']},`)).toBe(true);
    expect(new SweepResults(results.toJSON()).best({ by: 'valLoss' })!.id).toBe(best.id);
    const list = expand({ ...base, list: [{ 'train.optimizer.lr': 0.01 }, { 'train.optimizer.lr': 0.02, 'model.seed': 2 }] });
    expect(list.map((r) => r.params)).toEqual([{ 'train.optimizer.lr': 0.01, series: 0 }, { 'train.optimizer.lr': 0.02, 'model.seed': 2, series: 0 }]);
  }, 120_000);

  test('a run that throws is recorded failed with its typed error; the others finish', async () => {
    const base = forecasterSpec('bad', 2, { epochs: 2 });
    const results = await sweep({ ...base, list: [{ 'data.lookback': 32 }, { 'data.lookback': 0 }] });
    expect(results.done).toHaveLength(2);
    expect(results.failed).toHaveLength(2);
    for (const f of results.failed) expect(f.error).toMatchObject({ name: 'ConfigError', argument: 'lookback' });
  }, 60_000);

  test('bad specs and options: a ConfigError naming the argument, before any run', () => {
    const base = forecasterSpec('x', 1, { epochs: 1 });
    const refused = (spec: unknown, argument: string, options?: object) => {
      try {
        sweep(spec, options as never);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).argument).toBe(argument);
        return;
      }
      throw new Error(`accepted: ${argument}`);
    };
    refused(null, 'spec');
    refused({ ...base, epochs: 3 }, 'spec.epochs');
    refused({ ...base, name: 'a b' }, 'spec.name');
    refused({ ...base, model: { kind: 'cnn' } }, 'spec.model.kind');
    refused({ ...base, grid: { 'optimizer.lr': [1] } }, 'spec.grid');
    refused({ ...base, grid: { 'train.optimizer.lr': [] } }, 'spec.grid.train.optimizer.lr');
    refused({ ...base, grid: { 'train.epochs': [1] }, list: [{}] }, 'spec.list');
    refused({ ...base, grid: { 'train.epochs': [1, 1] } }, 'spec');
    refused({ ...base, random: { count: 2, seed: 1, space: { 'train.optimizer.lr': { logUniform: [0, 1] } } } }, 'random.space.train.optimizer.lr.logUniform');
    refused({ ...base, random: { count: 0, seed: 1, space: {} } }, 'spec.random.count');
    refused({ ...base, perSeries: [] }, 'spec.perSeries');
    refused({ ...base, perSeries: [{ url: 'ftp://x' }] }, 'spec.perSeries[0].url');
    refused({ ...base, perSeries: undefined, data: { series: [1, 2], file: 'a.json' } }, 'spec.data');
    refused(base, 'concurrency', { concurrency: 0 });
    refused(base, 'attempts', { attempts: 1.5 });
    refused(base, 'options.threads', { threads: 2 });
    refused(base, 'out', { out: '' });
    expect(() => sweep(base, { redis: 'http://localhost' })).toThrow(/redis must be a Redis URL/);
  });

  test('worker(): bad options refused with a ConfigError naming them, before any connection', async () => {
    const url = 'redis://127.0.0.1:1';
    for (const [options, argument] of [
      [{ redis: 'localhost:6379' }, 'redis'],
      [{ redis: url, concurrency: 0 }, 'concurrency'],
      [{ redis: url, name: 'a/b' }, 'name'],
      [{ redis: url, lockMs: 5 }, 'lockMs'],
    ] as const) {
      const error = await worker(options as never).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).argument).toBe(argument);
    }
  });

  test('the CLI: elman sweep SPEC --out, then --resume; a terminal-less run prints one line per run and the best', () => {
    const spec = forecasterSpec('cli', 2, { epochs: 2 });
    const file = join(dir, 'cli.json');
    writeFileSync(file, JSON.stringify(spec));
    const out = join(dir, 'cli-out');
    const first = spawnSync(process.execPath, [CLI, 'sweep', file, '--out', out, '--concurrency', '2'], { encoding: 'utf8' });
    expect(first.status).toBe(0);
    const ids = expand(spec).map((r) => r.id);
    expect(first.stdout).toMatch(/^sweep: 2 runs\n/);
    for (const id of ids) expect(first.stdout).toMatch(new RegExp(`^\\[[12]/2\\] ${id} series=\\d loss \\d`, 'm'));
    expect(first.stdout).toMatch(/^done: 2 runs, 0 failed; best by valLoss: [0-9a-f]{16} \{"series":\d\} valLoss \d/m);
    const refused = spawnSync(process.execPath, [CLI, 'sweep', file, '--out', out], { encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--out must be a directory without this sweep's results \(it holds 2 finished runs: pass --resume/);
    const resumed = spawnSync(process.execPath, [CLI, 'sweep', file, '--out', out, '--resume'], { encoding: 'utf8' });
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/^sweep: 2 runs, 2 found finished\ndone: 2 runs/);
    // On a terminal (script(1) gives it one): the live table, redrawn in place, then the summary.
    const tty = spawnSync('script', ['-qec', `${process.execPath} ${CLI} sweep ${file} --out ${join(dir, 'cli-tty')}`, '/dev/null'], { encoding: 'utf8' });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toContain('\x1b[0J');
    expect(tty.stdout).toMatch(/runs 2\/2 finished, 0 failed\r?\nrun id {12}epoch {8}loss/);
    expect(tty.stdout).toMatch(/done: 2 runs, 0 failed; best by valLoss/);
    const bad = spawnSync(process.execPath, [CLI, 'sweep', file, '--concurrency', '0'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--concurrency/);
    const noRedis = spawnSync(process.execPath, [CLI, 'worker'], { encoding: 'utf8' });
    expect(noRedis.status).toBe(2);
    expect(noRedis.stderr).toMatch(/--redis must be a Redis URL/);
  }, 120_000);

  test('the main entry does not reach the sweep: a browser bundle of dist/index.js holds no dist/sweep file, node:worker_threads or bullmq', async () => {
    const result = await build({ entryPoints: [fileURLToPath(new URL('../../dist/index.js', import.meta.url))], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((f) => f.includes('dist/index.js'))).toBe(true);
    expect(inputs.filter((f) => /dist\/sweep\/|worker_threads|bullmq/.test(f))).toEqual([]);
  });
});
