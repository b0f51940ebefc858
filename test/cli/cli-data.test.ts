import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from '../helpers/cli.js';

// `elman train --data FILE` as users run it: the built CLI on files the test writes and on a real
// series (Mauna Loa CO2, test/fixtures/series). The truths are computed here from the raw values:
// the naive forecast's error, the scaler's statistics over the training rows, and the model's error
// recomputed from what `elman predict` answers with the saved model on the held-out windows.
const dir = mkdtempSync(join(tmpdir(), 'elman-cli-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CO2 = resolve(import.meta.dirname, '../fixtures/series/co2-mauna-loa.csv');

/** A seeded uniform stream in [0, 1) (a 32-bit LCG), so the files are the same every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** 240 months: a seasonal temperature and a load that follows it, with noise, and a text column. */
function monthly(): { month: string; temp: number; load: number }[] {
  const r = lcg(7);
  return Array.from({ length: 240 }, (_, t) => {
    const temp = 10 + 8 * Math.sin((2 * Math.PI * t) / 12) + (r() - 0.5);
    return { month: `${2000 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`, temp: +temp.toFixed(3), load: +(50 + 0.5 * temp + (r() - 0.5)).toFixed(3) };
  });
}
const rows = monthly();
const csv = `month,temp,load\n${rows.map((r) => `${r.month},${r.temp},${r.load}`).join('\n')}\n`;
writeFileSync(join(dir, 'monthly.csv'), csv);

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: number[]) => Math.sqrt(mean(a.map((v) => (v - mean(a)) ** 2)));

/** The printed `MAE x RMSE y` figures of the model and the naive forecast. */
function printed(stdout: string): { model: [number, number]; naive: [number, number]; ratio: number } {
  const get = (label: string) => {
    const m = new RegExp(`${label}\\s+MAE\\s+(\\S+)\\s+RMSE\\s+(\\S+)`).exec(stdout);
    expect(m, `${label} line in\n${stdout}`).not.toBeNull();
    return [Number(m![1]), Number(m![2])] as [number, number];
  };
  return { model: get('model'), naive: get('naive \\(last value\\)'), ratio: Number(/model \/ naive MAE (\S+)/.exec(stdout)![1]) };
}

/** Mean absolute and root-mean-square error of predictions against actual values, in float64. */
function errors(pairs: [number, number][]): [number, number] {
  return [mean(pairs.map(([p, y]) => Math.abs(p - y))), Math.sqrt(mean(pairs.map(([p, y]) => (p - y) ** 2)))];
}

/**
 * Check a forecasting run against truths computed here: the held-out part starts at round(split · N);
 * window n reads steps [cut − lookback + n, cut + n) and predicts the `horizon` next values of each
 * target. The naive forecast repeats the last value read; the model's answers come from `elman predict`.
 */
async function checkForecast(series: number[][], targets: number[], o: { lookback: number; horizon: number; split: number; stdout: string; model: string }) {
  const N = series[0]!.length;
  const cut = Math.round(o.split * N);
  const windows: number[][][] = [];
  const actual: number[][] = [];
  for (let end = cut; end + o.horizon <= N; end++) {
    windows.push(Array.from({ length: o.lookback }, (_, k) => series.map((s) => s[end - o.lookback + k]!)));
    actual.push(Array.from({ length: o.horizon * targets.length }, (_, i) => series[targets[i % targets.length]!]![end + Math.floor(i / targets.length)]!));
  }
  const naive = errors(windows.flatMap((w, n) => actual[n]!.map((y, i) => [w.at(-1)![targets[i % targets.length]!]!, y] as [number, number])));
  const input = join(dir, `windows-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(input, JSON.stringify(series.length === 1 ? windows.map((w) => w.map((s) => s[0]!)) : windows));
  const served = await cli(['predict', '--model', o.model, '--input', input]);
  expect(served.stderr).toBe('');
  const answers = JSON.parse(served.stdout) as number[][];
  const model = errors(answers.flatMap((a, n) => a.map((p, i) => [p, actual[n]![i]!] as [number, number])));
  const p = printed(o.stdout);
  // Printed to 5 significant digits; the model's outputs are float32.
  for (const [got, want] of [[p.naive[0], naive[0]], [p.naive[1], naive[1]], [p.model[0], model[0]], [p.model[1], model[1]]] as const) expect(Math.abs(got - want)).toBeLessThan(1e-4 * want + 1e-6);
  expect(o.stdout).toContain(`held-out: ${windows.length} windows`);
  return { naive, model };
}

describe('elman train --data on a CSV the test wrote', () => {
  test('a GRU on two columns predicts temp: held-out error in degrees, below the naive forecast; the saved model serves it', async () => {
    const model = join(dir, 'temp.json');
    const r = await cli(['train', '--data', join(dir, 'monthly.csv'), '--columns', 'temp,load', '--target', 'temp', '--model', 'gru', '--hidden', '8', '--epochs', '60', '--log-every', '20', '--save', model]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe(`RNN 2-gru:8-1 (tanh, linear output) on ${join(dir, 'monthly.csv')}: 180 windows of 12 steps (temp, load -> temp, horizon 1), mse, rmsprop, batch 100`);
    expect(out.slice(1, 4).map((l) => l.slice(0, 14))).toEqual(['epoch[   20] :', 'epoch[   40] :', 'epoch[   60] :']);
    const series = [rows.map((x) => x.temp), rows.map((x) => x.load)];
    const { naive, model: m } = await checkForecast(series, [0], { lookback: 12, horizon: 1, split: 0.8, stdout: r.stdout, model });
    expect(m[0]).toBeLessThan(naive[0]);
    // The scaler was fitted on the 192 training rows only, and travels in the model file.
    const meta = JSON.parse(readFileSync(model, 'utf8')).userDefinedMetadata;
    expect(meta.targets).toEqual([0]);
    series.forEach((s, j) => {
      expect(meta.scaler.mean[j]).toBeCloseTo(mean(s.slice(0, 192)), 10);
      expect(meta.scaler.std[j]).toBeCloseTo(std(s.slice(0, 192)), 10);
      expect(Math.abs(meta.scaler.mean[j] - mean(s))).toBeGreaterThan(1e-3);
    });
    expect(readdirSync(dir).filter((f) => f.startsWith('temp.'))).toEqual(['temp.json', 'temp.weights.bin']);
  });

  test('--horizon 3 with two targets, --lookback 6, --split 0.75, --stride 2: every output scored against its own value', async () => {
    const model = join(dir, 'h3.json');
    const r = await cli(['train', '--data', join(dir, 'monthly.csv'), '--target', 'load,temp', '--horizon', '3', '--lookback', '6', '--split', '0.75', '--stride', '2', '--model', 'lstm', '--epochs', '5', '--save', model]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // 180 training rows: windows start every 2 steps while 6 + 3 steps fit, (180 − 9) / 2 + 1 = 86.
    expect(r.stdout.split('\n')[0]).toContain(': 86 windows of 6 steps (temp, load -> load, temp, horizon 3)');
    await checkForecast([rows.map((x) => x.temp), rows.map((x) => x.load)], [1, 0], { lookback: 6, horizon: 3, split: 0.75, stdout: r.stdout, model });
  });

  test('the same rows as .json, .jsonl and on stdin train the same model to the same figures', async () => {
    writeFileSync(join(dir, 'monthly.json'), JSON.stringify(rows));
    writeFileSync(join(dir, 'monthly.jsonl'), rows.map((x) => JSON.stringify(x)).join('\n'));
    const args = ['--columns', 'load', '--lookback', '6', '--epochs', '3', '--json'];
    const runs = await Promise.all([
      cli(['train', '--data', join(dir, 'monthly.csv'), ...args]),
      cli(['train', '--data', join(dir, 'monthly.json'), ...args]),
      cli(['train', '--data', join(dir, 'monthly.jsonl'), ...args]),
      cli(['train', '--data', '-', ...args], { stdin: csv }),
      cli(['train', '--data', '-', ...args], { stdin: JSON.stringify(rows) }),
    ]);
    for (const r of runs) expect([r.code, r.stderr]).toEqual([0, '']);
    const last = runs.map((r) => JSON.parse(r.stdout.trim().split('\n').at(-1)!));
    expect(last[0].heldOut.rows).toEqual([194, 241]); // the header is row 1: data rows 2..241, held out from 193 + 1
    for (const l of last.slice(1)) expect(l.heldOut.model).toEqual(last[0].heldOut.model);
    expect(last[1].heldOut.rows).toEqual([193, 240]); // JSON rows count from 1
  });

  test('a pipe works as a file (bash process substitution), and a folder or a missing file is one line', async () => {
    const { execFileSync } = await import('node:child_process');
    const { CLI } = await import('../helpers/cli.js');
    const line = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} train --data <(cat monthly.csv) --columns load --lookback 6 --epochs 3 --json`;
    const piped = JSON.parse(execFileSync('bash', ['-c', line], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1)!);
    const file = await cli(['train', '--data', 'monthly.csv', '--columns', 'load', '--lookback', '6', '--epochs', '3', '--json'], { cwd: dir });
    expect(piped.heldOut).toEqual(JSON.parse(file.stdout.trim().split('\n').at(-1)!).heldOut);
    expect((await cli(['train', '--data', dir])).stderr).toBe(`elman: --data must be a file (not a folder), got ${JSON.stringify(dir.length > 60 ? dir.slice(0, 57) + '...' : dir)}\n`);
    expect((await cli(['train', '--data', 'no-such.csv'], { cwd: dir })).stderr).toBe('elman: --data must be a readable file (ENOENT), got "no-such.csv"\n');
  });

  test('--model linear: the counter on one column; saved as the one-unit linear RNN that computes the same, served by elman predict', async () => {
    const model = join(dir, 'counter.json');
    const r = await cli(['train', '--data', join(dir, 'monthly.csv'), '--columns', 'temp', '--model', 'linear', '--epochs', '50', '--save', model]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Linear counter \(wx, wRec\) on .*: 180 windows of 12 steps \(temp\), mse, rmsprop\n/);
    const [, wx, wRec] = /Final weights : wx = +(-?\d\.\d{4}), wRec = +(-?\d\.\d{4})\n/.exec(r.stdout)!;
    await checkForecast([rows.map((x) => x.temp)], [0], { lookback: 12, horizon: 1, split: 0.8, stdout: r.stdout, model });
    // The saved weights are the counter's: the kernel wx, the recurrent kernel wRec (little-endian float32).
    const bin = readFileSync(join(dir, 'counter.weights.bin'));
    const w = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    expect([w[0]!.toFixed(4), w[1]!.toFixed(4), w[2], w[3], w[4]]).toEqual([wx, wRec, 0, 1, 0]);
  });
});

describe('elman train --data on a real series: monthly CO2 at Mauna Loa, 1990-2020 (Scripps CO2 Program)', () => {
  test('a linear Elman network beats the naive forecast on the last 73 months; elman predict serves the saved model in ppm', async () => {
    const model = join(dir, 'co2.json');
    const r = await cli(['train', '--data', CO2, '--columns', 'CO2', '--activation', 'linear', '--epochs', '200', '--log-every', '100', '--save', model]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const values = readFileSync(CO2, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(values).toHaveLength(364);
    const { naive, model: m } = await checkForecast([values], [0], { lookback: 12, horizon: 1, split: 0.8, stdout: r.stdout, model });
    expect(r.stdout).toContain('held-out: 73 windows predicting rows 293-365 of');
    expect(m[0]).toBeLessThan(naive[0]);
    expect(printed(r.stdout).ratio).toBeLessThan(1);
  });
});

describe('sequence classification from { x, y } rows', () => {
  test('a GRU tells three kinds of sequences apart better than the commonest label; elman predict answers the same', async () => {
    const r0 = lcg(3);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - r0())) * Math.cos(2 * Math.PI * r0());
    const data = Array.from({ length: 300 }, () => {
      const y = Math.floor(r0() * 3);
      return { x: Array.from({ length: 8 }, (_, k) => [gauss() + (y === 1 && k > 4 ? 1.5 : 0), gauss() + (y === 2 ? 1.5 : 0)]), y };
    });
    writeFileSync(join(dir, 'kinds.jsonl'), data.map((d) => JSON.stringify(d)).join('\n'));
    const model = join(dir, 'kinds-model.json');
    const r = await cli(['train', '--data', join(dir, 'kinds.jsonl'), '--model', 'gru', '--epochs', '30', '--log-every', '30', '--save', model]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`RNN 2-gru:8-3 (tanh, softmax output) on ${join(dir, 'kinds.jsonl')}: 240 sequences of 8 steps, 3 classes, cce, rmsprop, batch 100`);
    const held = data.slice(240);
    const counts = [0, 1, 2].map((c) => data.slice(0, 240).filter((d) => d.y === c).length);
    const common = counts.indexOf(Math.max(...counts));
    const naive = held.filter((d) => d.y === common).length / held.length;
    writeFileSync(join(dir, 'kinds-held.json'), JSON.stringify(held.map((d) => d.x)));
    const served = await cli(['predict', '--model', model, '--input', join(dir, 'kinds-held.json')]);
    const p = JSON.parse(served.stdout) as number[][];
    const accuracy = held.filter((d, i) => p[i]!.indexOf(Math.max(...p[i]!)) === d.y).length / held.length;
    expect(r.stdout).toContain(`  model                       accuracy ${(100 * accuracy).toFixed(2)}%`);
    expect(r.stdout).toContain(`  naive (always label ${common})     accuracy ${(100 * naive).toFixed(2)}%`);
    expect(accuracy).toBeGreaterThan(naive + 0.2);
  });
});

describe('a malformed file is one line naming the file, row and column; exit 2; nothing written', () => {
  test.each([
    ['bad-cell.csv', 'a,b\n1,2\n3,x\n', 'bad-cell.csv row 3, column 2 "b": "x" is not a finite number'],
    ['short-row.csv', 'a,b\n1,2\n3\n', 'short-row.csv row 3, column 2 "b": 1 fields, the header has 2'],
    ['long-row.csv', 'a,b\n1,2\n3,4,5\n', 'long-row.csv row 3, column 3: 3 fields, the header has 2'],
    ['empty-cell.csv', 'a,b\n1,2\n\n3,\n', 'empty-cell.csv row 4, column 2 "b": empty: every value of a column used is a number'],
    ['open-quote.csv', 'a,"b\n1,2\n', 'open-quote.csv row 1, column 2: a quote is opened and never closed'],
    ['twice.csv', 'a,a\n1,2\n', 'twice.csv row 1, column 2: the header names "a" twice'],
    ['header-only.csv', 'a,b\n', 'header-only.csv row 2: no data rows after the header'],
    ['empty.csv', '', 'empty.csv row 1: the file is empty (a CSV needs a header row and data rows)'],
    ['missing.json', '[{"a":1},{"a":2},{"b":3}]', 'missing.json row 3, column "a": missing (row 1 has it)'],
    ['syntax.json', '[1,2,\n3,}]', 'syntax.json row 2, column 3: not valid JSON (Unexpected token \'}\')'],
    ['text.jsonl', '{"a":1}\n{"a":"z"}\n', 'text.jsonl row 2, column 1 "a": "z" is not a finite number'],
    ['syntax.jsonl', '{"a":1}\n\n{"a":2,\n', 'syntax.jsonl row 3, column 8: not valid JSON (Expected double-quoted property name)'],
    ['steps.json', '[{"x":[1,2],"y":0},{"x":[1],"y":1}]', 'steps.json row 2, column "x": 1 steps, row 1 has 2 (sequences here are all one length)'],
    ['label.json', '[{"x":[1,2],"y":0},{"x":[1,2],"y":0.5}]', 'label.json row 2, column "y": 0.5 is not a class label (an integer in [0, 65535])'],
    ['width.json', '[{"x":[[1,2],[3,4]],"y":0},{"x":[[1,2],[3]],"y":1}]', 'width.json row 2, column "x" step 2: [3]: each step is a number, or an array of 2 numbers as in row 1'],
  ])('%s', async (name, text, line) => {
    const cwd = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(cwd, name), text);
    const r = await cli(['train', '--data', name, '--save', 'model.json', '--plot', 'figures'], { cwd });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`elman: ${line}\n`);
    expect(r.code).toBe(2);
    expect(readdirSync(cwd)).toEqual([name]);
  });

  test('stdin is named as such', async () => {
    const r = await cli(['train', '--data', '-'], { stdin: 'a,b\n1,2\n3,x\n' });
    expect([r.code, r.stderr]).toEqual([2, 'elman: stdin row 3, column 2 "b": "x" is not a finite number\n']);
  });
});

describe('flags of --data are checked before any work', () => {
  test.each([
    [['--columns', 'temp,wind'], '--columns must be column names or numbers (from 1) of monthly.csv, which has "month", "temp", "load", got "temp,wind"'],
    [['--columns', 'month'], 'monthly.csv row 2, column 1 "month": "2000-01" is not a finite number'],
    [['--columns', 'temp', '--target', 'load'], '--target must be among --columns (temp), got "load"'],
    [['--split', '1.5'], '--split must be a fraction in (0, 1): the share of rows, from the start, to train on, got "1.5"'],
    [['--lookback', '200'], '--split must be a split leaving lookback + horizon = 201 rows to train on and horizon = 1 held out; monthly.csv has 240 data rows, got "0.8"'],
    [['--task', 'parity'], '--task must be left out with --data (the file is the data), got "parity"'],
    [['--model', 'linear'], '--columns must be one column and horizon 1 for --model linear, got "temp,load"'],
    [['--model', 'linear', '--columns', 'temp', '--hidden', '4'], '--hidden must be used with --model elman, gru or lstm, got "4"'],
    [['--loss', 'bce'], '--loss must be one of mse, sse, got "bce"'],
  ])('%j', async (args, line) => {
    const r = await cli(['train', '--data', 'monthly.csv', ...args], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `elman: ${line}\n`]);
  });

  test('the window flags without --data are refused, and elman plot refuses them', async () => {
    expect((await cli(['train', '--lookback', '5'])).stderr).toBe('elman: --lookback must be used with --data FILE, got "5"\n');
    expect((await cli(['plot', '--data', 'x.csv'])).stderr).toBe('elman: --data must be used with elman train --data (elman plot draws the counter), got "x.csv"\n');
  });
});

test('elman train --help names every flag the parser takes (the flag tables of src/cli/flags.ts)', async () => {
  const { trainFlags } = await import('../../src/cli/flags.js');
  const r = await cli(['train', '--help']);
  expect(r.code).toBe(0);
  const missing = Object.keys(trainFlags).filter((flag) => !r.stdout.includes(`--${flag}`));
  expect(missing).toEqual([]);
  for (const flag of ['--data', '--columns', '--target', '--lookback', '--horizon', '--stride', '--split']) expect(r.stdout).toContain(flag);
});

test('docs/cli.md quotes what the commands print: the Mauna Loa run, elman predict on its last year, a malformed file', async () => {
  const docs = readFileSync(resolve(import.meta.dirname, '../../docs/cli.md'), 'utf8');
  const cwd = mkdtempSync(join(dir, 'docs-'));
  writeFileSync(join(cwd, 'co2.csv'), readFileSync(CO2));
  const run = await cli(['train', '--data', 'co2.csv', '--columns', 'CO2', '--activation', 'linear', '--epochs', '200', '--log-every', '100', '--save', 'co2-model.json'], { cwd });
  expect(run.code).toBe(0);
  expect(docs).toContain(`npx elman train --data co2.csv --columns CO2 --activation linear --epochs 200 --log-every 100 --save co2-model.json\n`);
  expect(docs).toContain(`\`\`\`text\n${run.stdout}\`\`\``);
  const input = /echo '(\[\[[^']+\]\])' \| npx elman predict --model co2-model.json\n(.*)\n/.exec(docs)!;
  // The last twelve months before the last row of the file.
  const last = readFileSync(CO2, 'utf8').trim().split('\n').slice(-13, -1).map((l) => Number(l.split(',')[1]));
  expect(JSON.parse(input[1]!)).toEqual([last]);
  expect((await cli(['predict', '--model', 'co2-model.json'], { cwd, stdin: input[1] })).stdout.trim()).toBe(input[2]);
  expect(docs).toContain('`elman train --data co2.csv --epochs 200`\nprints `model / naive MAE ');
  const tanh = await cli(['train', '--data', 'co2.csv', '--epochs', '200'], { cwd });
  expect(docs).toContain(`prints \`model / naive MAE ${/model \/ naive MAE (\S+)/.exec(tanh.stdout)![1]}\``);
  writeFileSync(join(cwd, 'broken.csv'), 'date,co2\n2020-01,413.4\n2020-02,n/a\n');
  const broken = await cli(['train', '--data', 'broken.csv', '--save', 'm.json'], { cwd });
  expect(docs).toContain(`$ npx elman train --data broken.csv --save m.json\n${broken.stderr}`);
});
