// The benchmark page: starts the worker, fills the table row by row, draws the rates as bars.
import { formatNumber, renderSvg, RUN_COLORS } from '../src/plots/index.js';
import type { BenchReply, BenchRequest, BenchRow } from './bench-protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const quick = new URLSearchParams(location.search).has('quick');
const status = $('bench-status');
let rows: BenchRow[] = [];
let worker: Worker | undefined;

const fmtTime = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : ms >= 1e-3 ? `${(ms * 1e3).toFixed(1)} µs` : `${(ms * 1e6).toFixed(0)} ns`);
const fmtRate = (r: number) => (r >= 1e9 ? `${(r / 1e9).toFixed(2)} G` : r >= 1e6 ? `${(r / 1e6).toFixed(1)} M` : `${(r / 1e3).toFixed(0)} k`);

function table(): void {
  $('bench-rows').replaceChildren(...rows.map((r) => {
    const plain = rows.find((q) => q.size === r.size && q.impl === 'plain');
    const tr = document.createElement('tr');
    tr.dataset.size = r.size;
    tr.dataset.impl = r.impl;
    const cells = [
      `${r.size} (${r.samples.toLocaleString('en-US')} × ${r.steps})`, r.name, fmtTime(r.msPerEpoch), `${fmtRate(r.rate)}`,
      plain ? `${formatNumber(r.rate / plain.rate, 2)}×` : '…', `${r.epochs} × ${r.calls}`, `${r.wx.toFixed(4)}, ${r.wRec.toFixed(4)}`,
    ];
    tr.append(...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
    return tr;
  }));
}

const sizeName = (r: BenchRow) => `${r.size} ${r.samples.toLocaleString('en-US')} × ${r.steps}`;

/** Sample-steps per second as horizontal bars, one group per size, on a log axis. */
async function chart(): Promise<void> {
  // Bars on a log axis need a finite base: a decade boundary at least 3× below the slowest row, so every bar shows.
  const rates = rows.map((r) => r.rate);
  const domain = [10 ** Math.floor(Math.log10(Math.min(...rates) / 3)), 10 ** Math.ceil(Math.log10(Math.max(...rates)))];
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Training speed in this browser (sample-steps per second, log scale)',
    data: { values: rows.map((r) => ({ size: sizeName(r), name: r.name, rate: r.rate })) },
    facet: { row: { field: 'size', type: 'nominal', title: null, sort: [...new Set(rows.map(sizeName))], header: { labelAngle: 0, labelAlign: 'left' } } },
    spec: {
      width: 420,
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'name', type: 'nominal', title: null, sort: null },
        x: { field: 'rate', type: 'quantitative', title: 'sample-steps / s', scale: { type: 'log', domain, nice: false }, axis: { format: '~s' } },
        x2: { datum: domain[0] },
        color: { field: 'name', type: 'nominal', legend: null, sort: null, scale: { range: RUN_COLORS.slice(0, 4) } },
      },
    },
  };
  const figure = $('bench-chart');
  figure.innerHTML = await renderSvg(spec);
  figure.dataset.bars = String(rows.length);
}

function start(): void {
  worker?.terminate();
  rows = [];
  table();
  $('bench-chart').innerHTML = '';
  $('run').setAttribute('disabled', '');
  status.textContent = quick ? 'running (quick: tiny sizes, one short sample each)…' : 'running: a minute or two; the large size needs ~60 MB…';
  worker = new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module' });
  worker.onerror = (e) => {
    status.textContent = `error: the benchmark worker failed to start (${e.message || 'see the console'})`;
    $('run').removeAttribute('disabled');
  };
  worker.onmessage = (event: MessageEvent<BenchReply>) => {
    const m = event.data;
    if (m.type === 'row') {
      rows.push(m.row);
      table();
      status.textContent = `running: ${rows.length} of 12 rows…`;
      return;
    }
    $('run').removeAttribute('disabled');
    if (m.type === 'error') status.textContent = `error: ${m.message}`;
    else {
      status.textContent = `done: ${rows.length} rows`;
      void chart();
    }
  };
  worker.postMessage({ type: 'run', quick } satisfies BenchRequest);
}

$('run').addEventListener('click', start);
if (new URLSearchParams(location.search).has('autorun')) start();
