// The page: keeps several runs, sends each to the worker, overlays them with elman's Vega-Lite specs.
import { type LinearWeights, OPTIMIZER_SPECS, type OptimizerName, type Surface } from '../src/index.js';
import { lossCurveSpec, lossSurfaceSpec, renderSvg, RUN_COLORS } from '../src/plots/index.js';
import { FieldError, lrLabel, readSettings, runName, SUGGESTED_LR } from './fields.js';
import type { Reply, Request, RunSettings } from './protocol.js';
import { AdditionView } from './addition-view.js';
import { UnrolledView } from './unrolled-view.js';
import { fromUrl, runsFromUrl, saveToUrl } from './url.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fields = { optimizer: $<HTMLSelectElement>('optimizer'), lr: $<HTMLInputElement>('lr'), epochs: $<HTMLInputElement>('epochs'), speed: $<HTMLInputElement>('speed') };
const status = $('status');
// The optimizer choices come from the registry: a new optimizer appears here without touching the page.
fields.optimizer.replaceChildren(
  ...Object.entries(OPTIMIZER_SPECS).map(([name, spec]) => {
    const option = new Option(name, name, false, name === 'rmsprop');
    option.title = spec.summary;
    return option;
  }),
);

/** One run on the page: its settings, colour, what the worker sent, and how it ended. */
interface Run extends RunSettings {
  id: number;
  name: string;
  color: string;
  loss: number[];
  /** The weights each loss was computed at, then the latest weights. */
  path: LinearWeights[];
  state: 'queued' | 'training' | 'done' | 'diverged' | 'error';
  detail: string;
  /** For predictions: the final weights, or the last finite ones of a diverged run. */
  weights?: LinearWeights;
  /** The loss at the final weights (after the last update), once done. */
  finalLoss?: number;
}

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: Request) => worker.postMessage(m);
let surface: Surface | undefined;
let start: LinearWeights = { wx: 0, wRec: 0 };
let runs: Run[] = [];
let nextId = 1;
UnrolledView.restore(fromUrl('seq'), fromUrl('wx'), fromUrl('wrec'));
const view = new UnrolledView(() => save());
const addition = new AdditionView(send);

const save = () => saveToUrl(runs.map(({ optimizer, lr, epochs, perFrame }) => ({ optimizer, lr, epochs, perFrame })), view.settings());
const training = () => runs.find((r) => r.state === 'training');

/** Start the next queued run unless one is training (URL runs are replayed one after another). */
function startNext(): void {
  if (!surface || training()) return;
  const r = runs.find((q) => q.state === 'queued');
  if (!r) return;
  r.state = 'training';
  r.detail = 'training…';
  r.path = [start];
  status.textContent = `training ${r.name}…`;
  send({ type: 'train', run: r.id, optimizer: r.optimizer, lr: r.lr, epochs: r.epochs, perFrame: r.perFrame });
  show();
}

function addRun(s: RunSettings): void {
  const used = new Set(runs.map((r) => r.color));
  const color = RUN_COLORS.find((c) => !used.has(c)) ?? RUN_COLORS[nextId % RUN_COLORS.length]!;
  const id = nextId++;
  runs.push({ ...s, id, name: runName(id, s), color, loss: [], path: [], state: 'queued', detail: 'queued' });
}

function removeRun(id: number): void {
  const r = runs.find((q) => q.id === id);
  if (r?.state === 'training') send({ type: 'cancel', run: id });
  runs = runs.filter((q) => q.id !== id);
  save();
  show();
  startNext();
}

/** The latest run's numbers, the run list, the prediction choices; then the figures. */
function show(): void {
  const r = runs.at(-1);
  const w = r?.path.at(-1);
  $('epoch').textContent = r && r.loss.length > 0 ? String(r.loss.length - 1) : '–';
  // Once done, the loss at the final weights; while training, the loss before the latest epoch's update.
  $('loss').textContent = r?.finalLoss !== undefined ? r.finalLoss.toPrecision(4) : r && r.loss.length > 0 ? r.loss.at(-1)!.toPrecision(4) : '–';
  $('weights').textContent = w && r!.loss.length > 0 ? `w_x = ${w.wx.toFixed(4)}, w_rec = ${w.wRec.toFixed(4)}` : '–';
  $('runs').replaceChildren(...runs.map((q) => {
    const li = document.createElement('li');
    li.dataset.run = String(q.id);
    li.dataset.state = q.state;
    const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
    swatch.style.background = q.color;
    const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'remove', textContent: '×', title: `remove ${q.name}` });
    remove.addEventListener('click', () => removeRun(q.id));
    li.append(swatch, ` ${q.name}: `, Object.assign(document.createElement('span'), { className: 'detail', textContent: q.detail }), ' ', remove);
    return li;
  }));
  const pick = $<HTMLSelectElement>('predict-run');
  const chosen = pick.value;
  pick.replaceChildren(...(runs.length > 0 ? runs.map((q) => new Option(q.name, String(q.id))) : [new Option('(no runs yet)', '')]));
  pick.value = runs.some((q) => String(q.id) === chosen) ? chosen : String(runs.at(-1)?.id ?? '');
  view.setRuns(runs.map((q) => ({ id: q.id, name: q.name, weights: q.weights ?? (q.loss.length > 0 ? q.path.at(-1) : undefined) })));
  void draw();
}

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
    const shown = runs.filter((r) => r.loss.length > 0);
    const diverged = (r: Run) => r.state === 'diverged';
    const [curve, map] = await Promise.all([
      shown.length > 0 ? renderSvg(lossCurveSpec(shown.map((r) => ({ name: r.name, loss: r.loss, color: r.color, diverged: diverged(r) })), { width: 360, height: 300 })) : Promise.resolve(''),
      surface ? renderSvg(lossSurfaceSpec(surface, shown.map((r) => ({ name: r.name, weights: r.path, color: r.color, diverged: diverged(r) })), { width: 320, height: 320, title: 'sse loss over (w_x, w_rec)' })) : Promise.resolve(''),
    ]);
    $('curve').innerHTML = curve || '<p class="placeholder">The loss curves appear here when a run starts; each run keeps its colour in both figures.</p>';
    $('surface').innerHTML = map;
    $('curve').dataset.runs = shown.map((r) => `${r.id}:${r.loss.length}`).join(',');
  }
  drawing = false;
}

worker.onerror = (event) => {
  status.textContent = `error: the training worker failed to start (${event.message || 'see the browser console'})`;
};

worker.onmessage = (event: MessageEvent<Reply>) => {
  const m = event.data;
  if (m.type === 'ready') {
    ({ surface, start } = m);
    status.textContent = 'ready';
    startNext();
    void draw();
    return;
  }
  if (m.type === 'addition' || (m.type === 'error' && m.job !== undefined)) return addition.receive(m);
  // Anything about a run that was cancelled or removed is dropped here.
  const r = m.run === undefined ? undefined : runs.find((q) => q.id === m.run);
  if (m.type === 'error' && !r) {
    status.textContent = `error: ${m.message}`;
    return;
  }
  if (!r) return;
  if (m.type === 'prediction') {
    showPrediction(r, m.value);
    return;
  }
  if (r.state !== 'training') return;
  if (m.type === 'progress') {
    r.loss.push(...m.loss);
    r.path.push(...m.weights);
    r.detail = `epoch ${r.loss.length - 1}, loss ${r.loss.at(-1)?.toPrecision(4)}`;
  } else if (m.type === 'done') {
    r.state = 'done';
    r.weights = m.weights;
    r.finalLoss = m.loss;
    r.detail = `done: final loss ${m.loss.toPrecision(4)}`;
    $('weights').dataset.wx = String(m.weights.wx);
    $('weights').dataset.wrec = String(m.weights.wRec);
    $('loss').dataset.final = String(m.loss);
    status.textContent = `done: ${r.name}, final loss ${m.loss.toPrecision(4)}`;
  } else if (m.type === 'diverged') {
    r.state = 'diverged';
    r.weights = m.lastGood;
    r.detail = `diverged at epoch ${m.epoch}: drawn up to its last finite point (×)`;
    status.textContent = `${r.name} diverged at epoch ${m.epoch}; predictions use its last finite weights`;
  } else {
    r.state = 'error';
    r.detail = `error: ${m.message}`;
    status.textContent = `error: ${m.message}`;
  }
  if (r.state !== 'training') startNext();
  show();
};

fields.optimizer.addEventListener('change', () => {
  fields.lr.value = String(SUGGESTED_LR[fields.optimizer.value as OptimizerName]);
  $('lr-label').textContent = lrLabel(fields.optimizer.value);
});

/** Mark the one bad field (or none) and say why in the status line. */
function refuse(error: FieldError | undefined): void {
  for (const input of Object.values(fields)) input.removeAttribute('aria-invalid');
  if (error) {
    error.input.setAttribute('aria-invalid', 'true');
    status.textContent = `error: ${error.message}`;
  }
}

$('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  let s: RunSettings;
  try {
    s = readSettings(fields);
  } catch (error) {
    if (error instanceof FieldError) return refuse(error);
    throw error;
  }
  refuse(undefined);
  // A new Train replaces the run in progress (and any queued ones); finished runs stay for comparison.
  const going = training();
  if (going) send({ type: 'cancel', run: going.id });
  runs = runs.filter((r) => r.state !== 'training' && r.state !== 'queued');
  addRun(s);
  save();
  startNext();
  show();
});

$('clear').addEventListener('click', () => {
  for (const r of [...runs]) removeRun(r.id);
});

function showPrediction(r: Run, value: number): void {
  const note = r.state === 'diverged' ? ` (${r.name} diverged: these are its last finite weights)` : r.state === 'training' ? ` (${r.name} is still training)` : '';
  $('prediction').textContent = value.toFixed(4);
  $('prediction-note').textContent = note;
}

$('predict-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $<HTMLInputElement>('sequence').value.trim();
  $('prediction-note').textContent = '';
  if (!/^[01]+$/.test(text)) {
    $('prediction').textContent = '–';
    $('prediction-note').textContent = `the sequence must be 0s and 1s, got ${text === '' ? 'an empty field' : `"${text}"`}`;
    return;
  }
  const r = runs.find((q) => String(q.id) === $<HTMLSelectElement>('predict-run').value);
  const weights = r?.weights ?? (r && r.loss.length > 0 ? r.path.at(-1) : undefined);
  if (!r || !weights) {
    $('prediction').textContent = '–';
    $('prediction-note').textContent = r ? `${r.name} has no weights yet` : 'train a run first: predictions come from a run’s weights';
    return;
  }
  send({ type: 'predict', run: r.id, weights, sequence: [...text].map(Number) });
});

// A shared link: its runs are trained again one after another (the unrolled view was restored above).
for (const s of runsFromUrl(location.search)) addRun(s);
if (runs.length > 0) {
  const s = runs.at(-1)!;
  [fields.optimizer.value, fields.lr.value, fields.epochs.value, fields.speed.value] = [s.optimizer, String(s.lr), String(s.epochs), String(s.perFrame)];
  $('lr-label').textContent = lrLabel(s.optimizer);
}
show();
