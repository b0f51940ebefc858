// The page: sends the settings to the worker, draws what comes back with elman's Vega-Lite specs.
import type { Surface } from '../src/analysis/surface.js';
import type { LinearWeights } from '../src/models/linear.js';
import type { OptimizerName } from '../src/optimizers/index.js';
import { lossCurveSpec } from '../src/plots/loss-curve.js';
import { lossSurfaceSpec } from '../src/plots/loss-surface.js';
import { renderSvg } from '../src/plots/render.js';
import type { Reply, Request } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const [optimizer, lr, epochs, speed] = [$<HTMLSelectElement>('optimizer'), $<HTMLInputElement>('lr'), $<HTMLInputElement>('epochs'), $<HTMLInputElement>('speed')];
const status = $('status');
// A learning rate that works for each optimizer on this problem (sgd diverges much above 1e-5).
const suggested: Record<OptimizerName, number> = { sgd: 1e-5, momentum: 1e-5, rmsprop: 1e-3, adam: 1e-2, rprop: 1e-3 };

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: Request) => worker.postMessage(m);

let surface: Surface | undefined;
let start: LinearWeights = { wx: 0, wRec: 0 };
let loss: number[] = [];
let path: LinearWeights[] = [];
let name = '';
let drawing = false;
let stale = false;
let last = 0;

/**
 * Redraw both figures at most every 300 ms (and once more when data arrived meanwhile): rendering
 * a 50×50 surface takes ~100 ms of main thread, so redrawing on every message would stall the page.
 */
async function draw(): Promise<void> {
  stale = true;
  if (drawing) return;
  drawing = true;
  while (stale) {
    const wait = last + 300 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    stale = false;
    last = performance.now();
    const paths = path.length > 0 ? [{ name, weights: [start, ...path] }] : [];
    const [curve, map] = await Promise.all([
      loss.length > 0 ? renderSvg(lossCurveSpec([{ name, loss }], { width: 420, height: 300 })) : Promise.resolve(''),
      surface ? renderSvg(lossSurfaceSpec(surface, paths, { width: 360, height: 360, title: 'sse loss over (w_x, w_rec)' })) : Promise.resolve(''),
    ]);
    $('curve').innerHTML = curve;
    $('surface').innerHTML = map;
  }
  drawing = false;
}

worker.onmessage = (event: MessageEvent<Reply>) => {
  const m = event.data;
  if (m.type === 'ready') {
    ({ surface, start } = m);
    status.textContent = 'ready';
    void draw();
  } else if (m.type === 'progress') {
    loss = loss.concat(m.loss);
    path = path.concat(m.weights);
    const w = path.at(-1)!;
    $('epoch').textContent = String(loss.length - 1);
    $('loss').textContent = loss.at(-1)!.toPrecision(4);
    $('weights').textContent = `w_x = ${w.wx.toFixed(4)}, w_rec = ${w.wRec.toFixed(4)}`;
    void draw();
  } else if (m.type === 'done') {
    const { wx, wRec } = m.weights;
    $('weights').textContent = `w_x = ${wx.toFixed(4)}, w_rec = ${wRec.toFixed(4)}`;
    $('weights').dataset.wx = String(wx);
    $('weights').dataset.wrec = String(wRec);
    $('loss').textContent = m.loss.toPrecision(4);
    $('loss').dataset.final = String(m.loss);
    status.textContent = `done: final loss ${m.loss.toPrecision(4)}`;
    void draw();
  } else if (m.type === 'prediction') {
    $('prediction').textContent = m.value.toFixed(4);
  } else {
    status.textContent = `error: ${m.message}`;
  }
};

optimizer.addEventListener('change', () => {
  lr.value = String(suggested[optimizer.value as OptimizerName]);
  $('lr-label').textContent = optimizer.value === 'rprop' ? 'initial step' : 'learning rate';
});

$('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  [loss, path, name] = [[], [], `${optimizer.value} lr=${lr.value}`];
  delete $('loss').dataset.final;
  status.textContent = 'training…';
  send({ type: 'train', optimizer: optimizer.value as OptimizerName, lr: Number(lr.value), epochs: Number(epochs.value), perFrame: Number(speed.value) });
});

$('predict-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $<HTMLInputElement>('sequence').value.trim();
  if (!/^[01]+$/.test(text)) {
    $('prediction').textContent = 'type only 0s and 1s';
    return;
  }
  send({ type: 'predict', sequence: [...text].map(Number) });
});
