// The learner's loop: pick a point on the loss surface, see BPTT build its gradient, step, run on.
// Every number comes from elman's public entries (what users import); the page only draws.
import { countOnes, createOptimizer, init, LinearRNN, lossSurface, OPTIMIZER_SPECS, RandomState, trainSync, type LinearWeights, type Optimizer, type OptimizerName, type OptimizerState } from '../src/index.js';
import { AdditionView } from './addition-view.js';
import { RUN_COLORS } from './colors.js';
import { CurveView } from './curve-view.js';
import { FieldError, lrLabel, readPoint, readSettings, runName, SUGGESTED_LR } from './fields.js';
import { LadderView } from './ladder-view.js';
import type { Reply, Request, RunSettings } from './protocol.js';
import { SurfaceView } from './surface-view.js';
import { fromUrl, runsFromUrl, saveToUrl } from './url.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fmt = (v: number, digits = 4) => (Number.isFinite(v) ? (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(digits - 1) : String(Number(v.toPrecision(digits)))) : String(v));
/** The shortest decimal that reads back as the same float32 ("0.6", not "0.6000000238418579"). */
const shortest = (v: number) => {
  for (let p = 1; p < 9; p++) if (Math.fround(Number(v.toPrecision(p))) === v) return String(Number(v.toPrecision(p)));
  return String(Number(v.toPrecision(9)));
};
const pair = (w: LinearWeights) => `(${fmt(w.wx, 5)}, ${fmt(w.wRec, 5)})`;
const fields = { optimizer: $<HTMLSelectElement>('optimizer'), lr: $<HTMLInputElement>('lr'), epochs: $<HTMLInputElement>('epochs'), speed: $<HTMLSelectElement>('speed') };
const pointFields = { wx: $<HTMLInputElement>('wx'), wRec: $<HTMLInputElement>('wrec') };
const status = $('status');
// The optimizer choices come from the registry: a new optimizer appears here without touching the page.
fields.optimizer.replaceChildren(
  ...Object.entries(OPTIMIZER_SPECS).map(([name, spec]) => {
    const option = new Option(name, name, false, name === 'rmsprop');
    option.title = spec.summary;
    return option;
  }),
);

// The tutorial's data and initial weights: one numpy-compatible stream, seed 1 (the worker draws the same).
const rng = new RandomState(1);
const data = countOnes({ samples: 20, length: 10, rng });
const TUTORIAL_START: LinearWeights = { wx: Math.fround(rng.uniform(-0.1, 0.1)), wRec: Math.fround(rng.uniform(-0.1, 0.1)) };
const sequences = Array.from({ length: data.samples }, (_, n) => Array.from({ length: data.steps }, (_, k) => data.x[k * data.samples + n]!));
const targets = Array.from(data.targets);

/** One run on the page: its settings, colour and marker, what the worker sent, and how it ended. */
interface Run extends RunSettings {
  id: number;
  name: string;
  color: string;
  order: number;
  /** loss[i]: epoch i+1's loss, computed before its update at path[i]. */
  loss: number[];
  path: LinearWeights[];
  state: 'queued' | 'training' | 'done' | 'diverged' | 'stopped' | 'error';
  detail: string;
  /** The final weights (or the last finite ones of a diverged run) and, when done, their loss. */
  end?: LinearWeights;
  finalLoss?: number;
  optimizerState?: OptimizerState;
}

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: Request) => worker.postMessage(m);
let runs: Run[] = [];
let nextId = 1;
let workerReady = false;
const addition = new AdditionView(send);

// ---- The point: where the loop stands, its gradient, and the optimizer stepping from it. ----
let point: LinearWeights = TUTORIAL_START;
/** The optimizer the Step button uses; made anew when the point is picked by hand or the settings change. */
let stepper: Optimizer | undefined;
/** Epochs stepped since the point was picked (the trail the steps leave). */
let trail: LinearWeights[] = [];
/** The run the point follows (the last one started from it) until a point is picked by hand. */
let following: number | undefined;
let surfaceView: SurfaceView | undefined;
let probe: LinearRNN | undefined;
const ladder = new LadderView(sequences, targets);
const curve = new CurveView($('curve'));

function makeStepper(): Optimizer {
  const name = fields.optimizer.value as OptimizerName;
  const key = Object.keys(OPTIMIZER_SPECS[name].tutorial)[0]!;
  const lr = Number(fields.lr.value);
  return createOptimizer(name, { [key]: Number.isFinite(lr) && lr > 0 ? lr : SUGGESTED_LR[name] });
}

const SLOT_NAMES: Record<string, string> = { meanSquare: 'mean square', velocity: 'velocity', step: 'step size', previousSign: 'previous sign', m: 'first moment m', v: 'second moment v' };
function showOptimizer(): void {
  const s = (stepper ??= makeStepper()).getState();
  const slots = Object.entries(s.slots).map(([k, v]) => `${SLOT_NAMES[k] ?? k} = (${fmt(v[0]!)}, ${fmt(v[1]!)})`);
  $('opt-state').textContent = `${s.name} after ${s.step} update${s.step === 1 ? '' : 's'}: ${slots.length > 0 ? slots.join('; ') : s.step === 0 ? 'no state yet (it starts at the first step)' : 'no state (plain gradient steps)'}`;
}

/** Move the point: unroll it, add up its gradient, draw the arrow; `byHand` starts a new trail and a fresh optimizer. */
function setPoint(w: LinearWeights, byHand: boolean): void {
  point = { wx: Math.fround(w.wx), wRec: Math.fround(w.wRec) };
  if (byHand) {
    stepper = undefined;
    trail = [];
    following = undefined;
    surfaceView?.removeRun(0);
  }
  pointFields.wx.value = shortest(point.wx);
  pointFields.wRec.value = shortest(point.wRec);
  for (const input of Object.values(pointFields)) input.removeAttribute('aria-invalid');
  drawPoint();
  showOptimizer();
  save();
}

function drawPoint(): void {
  const own = ownSequence();
  const sum = ladder.draw(point, Number($<HTMLSelectElement>('sample').value), own);
  let core: { loss: number; grads: LinearWeights } | undefined;
  if (probe) {
    probe.weights = point;
    try {
      core = probe.lossAndGrad(data);
    } catch {
      core = undefined; // overflowed float32: no arrow, the readout says so
    }
  }
  surfaceView?.setPoint(point, core?.grads);
  const readout = $('point-readout');
  readout.textContent = core
    ? `at ${pair(point)}: loss ${fmt(core.loss)}, gradient (dL/dw_x, dL/dw_rec) = (${fmt(core.grads.wx)}, ${fmt(core.grads.wRec)})`
    : `at ${pair(point)}: the loss overflows float32 here`;
  readout.dataset.gx = String(sum.wx);
  readout.dataset.grec = String(sum.wRec);
  $('core-check').textContent = core
    ? `Σ of the 20 sequences (float64, from the table) = (${fmt(sum.wx, 7)}, ${fmt(sum.wRec, 7)}); elman’s core (float32) = (${fmt(core.grads.wx, 7)}, ${fmt(core.grads.wRec, 7)})`
    : '';
}

function ownSequence(): number[] | undefined {
  const text = $<HTMLInputElement>('unroll-seq').value.trim();
  const error = $('unroll-error');
  error.textContent = '';
  if (text === '') return undefined;
  if (!/^[01]{1,24}$/.test(text)) {
    error.textContent = `your sequence must be 1 to 24 digits, each 0 or 1, got "${text}": showing sequence ${Number($<HTMLSelectElement>('sample').value) + 1}`;
    return undefined;
  }
  return [...text].map(Number);
}

$<HTMLSelectElement>('sample').replaceChildren(...sequences.map((s, n) => new Option(`#${n + 1}: ${s.join('')} (t = ${targets[n]})`, String(n))));
$('sample').addEventListener('change', () => {
  $<HTMLInputElement>('unroll-seq').value = '';
  drawPoint();
  save();
});
$('unroll-seq').addEventListener('input', () => {
  drawPoint();
  save();
});

$('point-form').addEventListener('submit', (event) => {
  event.preventDefault();
  stepOnce();
});
for (const input of Object.values(pointFields)) {
  input.addEventListener('change', () => {
    try {
      setPoint(readPoint(pointFields), true);
    } catch (error) {
      if (error instanceof FieldError) refuse(error, pointFields);
      else throw error;
    }
  });
}
$('reset').addEventListener('click', () => setPoint(TUTORIAL_START, true));

/** One update of the chosen optimizer at the point: the loss it computed, and where it moved. */
function stepOnce(): void {
  if (!probe) return;
  stepper ??= makeStepper();
  probe.weights = point;
  if (trail.length === 0) trail.push(point);
  const from = point;
  try {
    const h = trainSync(probe, data, { optimizer: stepper, epochs: 1, trackWeights: false });
    const to = probe.weights;
    trail.push(to);
    following = undefined;
    setPoint(to, false);
    surfaceView?.drawRun({ id: 0, name: 'your steps', color: '#000000', order: 0, path: trail });
    status.textContent = `step ${stepper.iterations}: loss ${fmt(h.loss[0]!)} at ${pair(from)} (computed before the update); moved to ${pair(to)}`;
  } catch (error) {
    status.textContent = `the step from ${pair(from)} diverged: ${(error as Error).message}`;
  }
}

// ---- Runs. ----
/** Keep the address bar up to date, at most every 300 ms: browsers limit (and some refuse) frequent history writes. */
let saving: ReturnType<typeof setTimeout> | undefined;
const save = () => {
  saving ??= setTimeout(() => {
    saving = undefined;
    writeUrl();
  }, 300);
};
const writeUrl = () =>
  saveToUrl(
    runs.map(({ optimizer, lr, epochs, rate, start }) => ({ optimizer, lr, epochs, rate, start })),
    { wx: String(point.wx), wrec: String(point.wRec), n: String(Number($<HTMLSelectElement>('sample').value) + 1), seq: $<HTMLInputElement>('unroll-seq').value.trim() },
  );

function addRun(s: RunSettings, state?: OptimizerState): Run {
  const used = new Set(runs.map((r) => r.order));
  let order = 0;
  while (used.has(order)) order++;
  const id = nextId++;
  const r: Run = { ...s, id, name: runName(id, s), color: RUN_COLORS[order % RUN_COLORS.length]!, order, loss: [], path: [], state: 'queued', detail: 'waiting for the core', optimizerState: state };
  runs.push(r);
  return r;
}

function startRun(r: Run): void {
  r.state = 'training';
  r.detail = 'starting…';
  send({ type: 'train', run: r.id, optimizer: r.optimizer, lr: r.lr, epochs: r.epochs, rate: r.rate, start: r.start, ...(r.optimizerState && { state: r.optimizerState }) });
  status.textContent = `${r.name} runs ${r.epochs} epochs from ${pair(r.start)} at ${r.rate} epochs/s`;
}

function removeRun(id: number, focus = true): void {
  const at = runs.findIndex((q) => q.id === id);
  const r = runs[at];
  if (!r) return;
  if (r.state === 'training') send({ type: 'cancel', run: id });
  runs.splice(at, 1);
  surfaceView?.removeRun(id);
  if (following === id) following = undefined;
  save();
  listRuns();
  schedule();
  // Focus goes to the next run's remove button, else the previous one's, else the Run button: never to the page's body.
  if (focus) (document.querySelector<HTMLButtonElement>(`#runs li:nth-child(${Math.min(at + 1, runs.length)}) .remove`) ?? $('train')).focus();
}

const converged = (r: Run) => r.finalLoss !== undefined && r.finalLoss < 0.1 && Math.hypot(r.end!.wx - 1, r.end!.wRec - 1) < 0.1;

/** The run list (rebuilt when runs come or go; details update in place). */
function listRuns(): void {
  $('runs').replaceChildren(
    ...runs.map((q) => {
      const li = document.createElement('li');
      li.dataset.run = String(q.id);
      li.dataset.state = q.state;
      const swatch = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      swatch.setAttribute('width', '16');
      swatch.setAttribute('height', '16');
      swatch.setAttribute('aria-hidden', 'true');
      swatch.innerHTML = `<rect width="16" height="16" rx="2" fill="${q.color}"/>`;
      swatch.classList.add('swatch');
      const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'remove', textContent: '×' });
      remove.setAttribute('aria-label', `remove ${q.name}`);
      remove.addEventListener('click', () => removeRun(q.id));
      const name = Object.assign(document.createElement('b'), { textContent: q.name });
      li.append(swatch, name, Object.assign(document.createElement('span'), { className: 'detail', textContent: q.detail }), remove);
      return li;
    }),
  );
  listPredictions();
}

function listPredictions(): void {
  const pick = $<HTMLSelectElement>('predict-run');
  const chosen = pick.value;
  const usable = runs.filter((q) => q.end || q.path.length > 0);
  pick.replaceChildren(...(usable.length > 0 ? usable.map((q) => new Option(`${q.name}${q.state === 'training' ? ' (training)' : ''}`, String(q.id))) : [new Option('(no run has weights yet)', '')]));
  pick.value = usable.some((q) => String(q.id) === chosen) ? chosen : String(usable.filter((q) => q.end).at(-1)?.id ?? usable.at(-1)?.id ?? '');
}

let frame = false;
let drawnAt = 0;
/** Redraw what changed at an animation frame, at most every 100 ms: paths grow in place, the curve is small. */
function schedule(): void {
  if (frame) return;
  frame = true;
  setTimeout(() => requestAnimationFrame(redraw), Math.max(0, drawnAt + 100 - performance.now()));
}

function redraw(): void {
  {
    frame = false;
    drawnAt = performance.now();
    for (const r of runs) {
      surfaceView?.drawRun({ id: r.id, name: r.name, color: r.color, order: r.order, path: r.end ? [...r.path, r.end] : r.path, ...(r.state !== 'training' && r.end && { end: r.end }) });
      const li = document.querySelector<HTMLElement>(`#runs li[data-run="${r.id}"]`);
      if (li) {
        li.dataset.state = r.state;
        li.querySelector('.detail')!.textContent = r.detail;
      }
    }
    curve.draw(runs.map((r) => ({ id: r.id, name: r.name, color: r.color, order: r.order, loss: r.loss, ...(r.finalLoss !== undefined && { final: r.finalLoss }) })));
    // A run's first weights make it a choice for Predict.
    if ($<HTMLSelectElement>('predict-run').options.length !== Math.max(1, runs.filter((q) => q.end || q.path.length > 0).length)) listPredictions();
  }
}

worker.onerror = (event) => {
  status.textContent = `error: the training worker failed to start (${event.message || 'see the browser console'})`;
};

worker.onmessage = (event: MessageEvent<Reply>) => {
  const m = event.data;
  if (m.type === 'ready') {
    workerReady = true;
    for (const r of runs) if (r.state === 'queued') startRun(r);
    if (runs.length === 0 && surfaceView) status.textContent = 'ready';
    return;
  }
  if (m.type === 'addition' || (m.type === 'error' && m.job !== undefined)) return addition.receive(m);
  const r = m.run === undefined ? undefined : runs.find((q) => q.id === m.run);
  if (m.type === 'error' && !r) {
    status.textContent = `error: ${m.message}`;
    return;
  }
  // Anything about a run that was stopped or removed is dropped here.
  if (!r || r.state !== 'training') return;
  if (m.type === 'progress') {
    r.loss.push(...m.loss);
    r.path.push(...m.weights);
    r.detail = `epoch ${r.loss.length}: loss ${fmt(r.loss.at(-1)!)}`;
    schedule();
    return;
  }
  if (m.type === 'done') {
    r.state = 'done';
    r.end = m.weights;
    r.finalLoss = m.loss;
    r.optimizerState = m.state;
    const verdict = converged(r) ? 'converged' : `did not converge${m.loss > 1e6 ? ` (a huge loss, ${fmt(m.loss)})` : Math.hypot(m.weights.wx - 1, m.weights.wRec - 1) >= 0.1 ? ' (far from the minimum (1, 1))' : ''}`;
    r.detail = `epoch ${r.loss.length}: loss ${fmt(r.loss.at(-1)!)}; final weights ${pair(m.weights)}, their loss ${fmt(m.loss)}: ${verdict}`;
    status.textContent = `${r.name} ${verdict}: final weights ${pair(m.weights)}, loss ${fmt(m.loss)}`;
    // The loop continues from the run's end, with the optimizer's state: Step goes on where Run stopped.
    if (following === r.id) {
      stepper = makeStepper();
      try {
        stepper.setState(m.state);
      } catch {
        stepper = makeStepper(); // a state that overflowed (a huge learning rate) is not carried on: Step starts afresh
      }
      trail = [];
      setPoint(m.weights, false);
    }
  } else if (m.type === 'diverged') {
    r.state = 'diverged';
    r.end = m.lastGood;
    r.detail = `did not converge: diverged at epoch ${m.epoch} (a non-finite loss); drawn up to its last finite weights ${pair(m.lastGood)}`;
    status.textContent = `${r.name} diverged at epoch ${m.epoch}; predictions use its last finite weights`;
  } else {
    r.state = 'error';
    r.detail = `error: ${m.message}`;
    status.textContent = `error: ${m.message}`;
  }
  listRuns();
  // A run's end is drawn at once, with its list entry: no frame shows the new state beside an older curve.
  redraw();
};

fields.optimizer.addEventListener('change', () => {
  fields.lr.value = String(SUGGESTED_LR[fields.optimizer.value as OptimizerName]);
  $('lr-label').textContent = lrLabel(fields.optimizer.value);
  stepper = undefined;
  showOptimizer();
});
fields.lr.addEventListener('change', () => {
  stepper = undefined;
  showOptimizer();
});

/** Mark the one bad field (or none) and say why in the status line. */
function refuse(error: FieldError | undefined, group: Record<string, HTMLInputElement | HTMLSelectElement> = fields): void {
  for (const input of Object.values(group)) input.removeAttribute('aria-invalid');
  if (error) {
    error.input.setAttribute('aria-invalid', 'true');
    error.input.focus();
    status.textContent = `error: ${error.message}`;
  }
}

$('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  let s: RunSettings;
  try {
    s = readSettings(fields, point);
  } catch (error) {
    if (error instanceof FieldError) return refuse(error);
    throw error;
  }
  refuse(undefined);
  // Runs go on side by side: a new one never stops or deletes another.
  const r = addRun(s, (stepper ??= makeStepper()).getState());
  following = r.id;
  listRuns();
  save();
  if (workerReady) startRun(r);
  schedule();
});

$('clear').addEventListener('click', () => {
  for (const r of [...runs]) removeRun(r.id, false);
  $('train').focus();
});

$('predict-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $<HTMLInputElement>('sequence').value.trim();
  $('prediction-note').textContent = '';
  const say = (value: string, note: string) => {
    $('prediction').textContent = value;
    $('prediction-note').textContent = note;
  };
  if (!/^[01]{1,1000}$/.test(text)) return say('–', `the sequence must be 0s and 1s, got ${text === '' ? 'an empty field' : `"${text}"`}`);
  const r = runs.find((q) => String(q.id) === $<HTMLSelectElement>('predict-run').value);
  const weights = r?.end ?? r?.path.at(-1);
  if (!r || !weights || !probe) return say('–', r ? `${r.name} has no weights yet` : 'run first: predictions come from a run’s weights');
  const model = new LinearRNN(weights);
  try {
    say(fmt(model.predict([...text].map(Number)), 5), r.state === 'diverged' ? ` (${r.name} diverged: these are its last finite weights)` : r.state === 'training' ? ` (${r.name} is still training)` : '');
  } finally {
    model.dispose();
  }
});

// ---- A shared link: the point, the sequence and the runs; a bad value is named and the default kept. ----
function fromLink(): void {
  const problems: string[] = [];
  const num = (key: string, label: string): number | undefined => {
    const v = fromUrl(key);
    if (v === undefined) return undefined;
    const n = v.trim() === '' ? NaN : Number(v);
    if (Number.isFinite(Math.fround(n))) return Math.fround(n);
    problems.push(`${label} in the link must be a finite number, got "${v}"`);
    return undefined;
  };
  const [wx, wRec] = [num('wx', 'wx'), num('wrec', 'wrec')];
  point = { wx: wx ?? TUTORIAL_START.wx, wRec: wRec ?? TUTORIAL_START.wRec };
  const n = fromUrl('n');
  if (n !== undefined) {
    if (/^\d+$/.test(n) && Number(n) >= 1 && Number(n) <= sequences.length) $<HTMLSelectElement>('sample').value = String(Number(n) - 1);
    else problems.push(`n in the link must be a sequence number from 1 to ${sequences.length}, got "${n}"`);
  }
  const seq = fromUrl('seq');
  if (seq !== undefined) {
    if (/^[01]{1,24}$/.test(seq.trim())) $<HTMLInputElement>('unroll-seq').value = seq.trim();
    else problems.push(`seq in the link must be 1 to 24 digits, each 0 or 1, got "${seq}": the table shows sequence ${Number($<HTMLSelectElement>('sample').value) + 1} instead`);
  }
  $('link-error').textContent = problems.join('; ');
  for (const s of runsFromUrl(location.search, point)) addRun(s);
  const last = runs.at(-1);
  if (last) {
    [fields.optimizer.value, fields.lr.value, fields.epochs.value] = [last.optimizer, String(last.lr), String(last.epochs)];
    if (Array.from(fields.speed.options).some((o) => o.value === String(last.rate))) fields.speed.value = String(last.rate);
    $('lr-label').textContent = lrLabel(last.optimizer);
    following = last.id;
  }
}

fromLink();
listRuns();
pointFields.wx.value = shortest(point.wx);
pointFields.wRec.value = shortest(point.wRec);
drawPoint();
showOptimizer();

// The page's own core: the surface once, the point's gradient and Step (the worker trains the runs).
void init().then(() => {
  probe = new LinearRNN(point);
  const surface = lossSurface(data, { wx: { min: -0.5, max: 2.5, count: 61 }, wRec: { min: -0.5, max: 1.5, count: 41 } });
  surfaceView = new SurfaceView($('surface'), surface, (w) => setPoint(w, true), (w) => {
    if (!w || !probe) return void ($('hover').textContent = '\u00a0');
    probe.weights = w;
    let loss: string;
    try {
      loss = fmt(probe.lossAndGrad(data).loss);
    } catch {
      loss = 'overflows float32';
    }
    probe.weights = point;
    $('hover').textContent = `under the pointer: w_x = ${fmt(w.wx)}, w_rec = ${fmt(w.wRec)}, loss ${loss}`;
  });
  drawPoint();
  schedule();
  if (workerReady && runs.length === 0) status.textContent = 'ready';
  if (workerReady) for (const r of runs) if (r.state === 'queued') startRun(r);
}, (error: unknown) => {
  status.textContent = `error: could not load the WebAssembly core: ${(error as Error).message}`;
});
