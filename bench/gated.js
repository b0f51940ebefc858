// GRU and LSTM rows for `npm run bench` (and alone: `node bench/gated.js`): one gated layer with
// TF.js's defaults (tanh, hard-sigmoid gates, GRU without resetAfter) + linear Dense, on the Elman
// rows' data (input 2, 20 steps, many-to-one, mse, mini-batches of 100 in order, RMSProp lr 1e-3),
// the same epochs per call in every row: elman's `RNN` on wasm (SIMD) and js through `trainSync`,
// the plain-JS GRU and LSTM of bench/plain/ at hidden 32, and TF.js (`model.fit`) on cpu and wasm.
// Then single-step latency: an LSTM of hidden 32 fed one step at a time, elman's `step` against
// TF.js's `predict` on a stateful one-step model.
//   node bench/gated.js [--hidden 8,32,128] [--no-tfjs]
import { init, RNN } from '../dist/index.js';
import { ELMAN, elmanData, trainRows } from './elman.js';
import { plainRow } from './plain/row.js';
import { interleaved } from './rounds.js';

export const CELLS = ['gru', 'lstm'];
/** Gates per cell: the rows of the fused kernel (Keras's 3H for GRU, 4H for LSTM). */
export const GATES = { gru: 3, lstm: 4 };
/** Epochs per call at each hidden size (every row the same): about 0.3–1.5 s for the slowest row. */
export const GATED_EPOCHS = { 8: 4, 32: 2, 128: 1 };
/** The largest hidden size with an elman js backend row (at 128 it alone would add ~15 s of CPU). */
export const JS_HIDDEN = 32;
/** Cells with a plain-JS yardstick (bench/plain/gru.js, lstm.js; run by bench/plain/worker.js). */
const PLAIN = new Set(['gru', 'lstm']);
/** Hidden sizes with a plain-JS row (the target's size; plain JS at every size would double the bench). */
export const PLAIN_HIDDEN = [32];

/**
 * Floating-point operations of one epoch's matrix products (multiply and add counted apart): per
 * sample-step, forward x·K and h·R, backward gK, gR and dh·Rᵀ, each G·H wide: 2·(2·I·G·H + 3·H·G·H).
 */
export function gatedFlops(cell, hidden, { samples = ELMAN.samples, steps = ELMAN.steps, input = ELMAN.input } = {}) {
  const G = GATES[cell] * hidden;
  return samples * steps * 2 * (2 * input * G + 3 * hidden * G);
}

/** The rows of one cell at one hidden size: { key, name, run, dispose }; `tf` is bench/tfjs.js's module or undefined. */
export async function gatedRows(cell, hidden, { tf, epochs = GATED_EPOCHS[hidden] ?? 1, data = elmanData(), plain = PLAIN_HIDDEN.includes(hidden), js = hidden <= JS_HIDDEN } = {}) {
  await init();
  const { batch: B, lr } = ELMAN;
  const rows = trainRows((backend) => new RNN({ inputSize: data.inputSize, layers: [{ cell, units: hidden }], outputSize: 1, seed: 1, backend }), data, { epochs, backends: js ? ['wasm', 'js'] : ['wasm'] });
  if (plain && PLAIN.has(cell)) {
    rows.push(plainRow(cell, { data, net: { inputSize: data.inputSize, hiddenSize: hidden, outputSize: 1 }, train: { epochs, batchSize: B, lr } }));
  }
  if (tf) rows.push(...(await tf.fitRows(data, (t, inputShape) => t.layers[cell]({ units: hidden, inputShape }), { batch: B, lr, epochs })));
  return rows.map((r) => ({ ...r, cell, hidden, epochs }));
}

/**
 * Rounds of the training rows: seven for rows under a second a call, two for TF.js's slow ones. On this
 * shared machine a neighbour's burst can double a sample (GRU-128 read 44–95 ms a call in three rounds),
 * and the fast rows' extra samples cost little; a whole-heap collection before each sample keeps TF.js's
 * garbage from being marked inside elman's.
 */
const ROUNDS = { rounds: 7, minRounds: 2, fullGc: true };

export const STEP = { cell: 'lstm', hidden: 32, steps: 500 };

/**
 * Single-step inference rows: each call feeds `steps` steps one at a time to one stream and reads each
 * output back as numbers, as a server answering one observation at a time does. elman: `model.step`
 * from a Float32Array; TF.js: `model.predict` of a stateful model on a [1, 1, input] tensor, then `dataSync`.
 */
export async function stepRows({ tf, steps = STEP.steps, hidden = STEP.hidden, cell = STEP.cell } = {}) {
  await init();
  const I = ELMAN.input;
  const inputs = Float32Array.from({ length: steps * I }, (_, i) => Math.sin(0.37 * i));
  const rows = [];
  for (const backend of ['wasm', 'js']) {
    const model = new RNN({ inputSize: I, layers: [{ cell, units: hidden }], outputSize: 1, seed: 1, backend });
    let sink = 0;
    rows.push({
      key: backend === 'wasm' ? 'simd' : 'js',
      name: `elman ${backend === 'wasm' ? 'wasm SIMD' : 'js backend'} model.step`,
      run: () => {
        model.resetState();
        for (let k = 0; k < steps; k++) sink += model.step(inputs.subarray(k * I, k * I + I))[0];
      },
      dispose: () => model.dispose(),
      sink: () => sink,
    });
  }
  if (tf) {
    const t = tf.tf;
    for (const backend of ['cpu', 'wasm']) {
      await tf.switchTo(backend);
      const model = t.sequential({ layers: [t.layers[cell]({ units: hidden, stateful: true, batchInputShape: [1, 1, I] }), t.layers.dense({ units: 1 })] });
      let sink = 0;
      rows.push({
        key: `tf${backend}`,
        name: `TF.js ${backend} model.predict`,
        run: async () => {
          await tf.switchTo(backend);
          model.resetStates();
          for (let k = 0; k < steps; k++) {
            const y = t.tidy(() => model.predict(t.tensor3d(inputs.subarray(k * I, k * I + I), [1, 1, I])));
            sink += y.dataSync()[0];
            y.dispose();
          }
        },
        dispose: () => model.dispose(),
        sink: () => sink,
      });
    }
  }
  return rows.map((r) => ({ ...r, steps }));
}

/**
 * The GRU/LSTM section of `npm run bench`: prints its tables through `say` and returns
 * `targets(target)`, which prints the target lines through run.js's `target(label, value, goal, why)`.
 * `fmt` is run.js's { time, ratio }; `clock` the measured Hz the peak is held to.
 */
export async function gatedSection({ say, tf, quick, clock, peak, fmt }) {
  const pctPeak = (flops, cpuPerEpoch) => (100 * flops) / ((cpuPerEpoch / 1e3) * clock * peak);
  const pct = (x) => `${x.toFixed(x < 1 ? 2 : 0)}%`;
  say(`## GRU and LSTM (one layer, TF.js defaults: tanh, hard-sigmoid gates; input ${ELMAN.input}, ${ELMAN.steps} steps, ${ELMAN.samples} samples in batches of ${ELMAN.batch}, mse, RMSProp lr 1e-3)`);
  say();
  say('elman trains `new RNN({ layers: [{ cell, units }] })` through `trainSync` with `batchSize: 100`; TF.js `tf.layers.gru`/`tf.layers.lstm` +');
  say(`dense through \`model.fit\` (same batches, no shuffle); plain JS is bench/plain/gru.js and bench/plain/lstm.js (hidden ${PLAIN_HIDDEN.join(', ')}). The elman js backend row stops at hidden ${JS_HIDDEN}.`);
  say('"% of peak": the matrix products\' flops (2·(2·I·G + 3·H·G) per sample-step, G = 3H or 4H) over the CPU time at the peak.');
  say();
  say('| cell | hidden | epochs/call | implementation | wall per epoch | CPU per epoch | × vs TF.js (faster backend) | × vs plain JS | % of peak |');
  say('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  const results = {};
  for (const cell of CELLS) {
    for (const hidden of quick ? [8] : [8, 32, 128]) {
      const made = await gatedRows(cell, hidden, { tf });
      const rows = await interleaved(made, quick ? { rounds: 2, minRounds: 1 } : ROUNDS);
      const tfRows = rows.filter((r) => r.key.startsWith('tf'));
      const tfBest = tfRows.length ? tfRows.reduce((a, b) => (b.cpu < a.cpu ? b : a)) : undefined;
      const plain = rows.find((r) => r.key === 'plain');
      const flops = gatedFlops(cell, hidden);
      for (const r of rows) {
        const E = r.epochs;
        say(`| ${cell.toUpperCase()} | ${hidden} | ${E} | ${r.name}${r === tfBest ? ' (faster)' : ''} | ${fmt.time(r.wall / E)} | ${fmt.time(r.cpu / E)} | ${tfBest ? fmt.ratio(tfBest.cpu / r.cpu) : '—'} | ${plain ? fmt.ratio(plain.cpu / r.cpu) : '—'} | ${pct(pctPeak(flops, r.cpu / E))} |`);
      }
      results[`${cell}${hidden}`] = { rows, tfBest, plain, flops, simd: rows.find((r) => r.key === 'simd') };
      for (const r of made) r.dispose();
    }
  }
  say();
  say(`Single-step inference, ${STEP.cell.toUpperCase()} of hidden ${STEP.hidden}, input ${ELMAN.input}, one stream: each call feeds ${STEP.steps} steps one at a time and reads every output back as a number`);
  say('(elman: `model.step(Float32Array)`; TF.js: `model.predict` of a stateful model on a [1, 1, 2] tensor, then `dataSync`).');
  say();
  say('| implementation | wall per step | CPU per step | × vs TF.js (faster backend) |');
  say('| --- | ---: | ---: | ---: |');
  const steps = await interleaved(await stepRows({ tf }), { rounds: quick ? 2 : 5, minRounds: 2 });
  const tfStep = steps.filter((r) => r.key.startsWith('tf')).reduce((a, b) => (!a || b.cpu < a.cpu ? b : a), undefined);
  for (const r of steps) say(`| ${r.name}${r === tfStep ? ' (faster)' : ''} | ${fmt.time(r.wall / r.steps)} | ${fmt.time(r.cpu / r.steps)} | ${tfStep ? fmt.ratio(tfStep.cpu / r.cpu) : '—'} |`);
  for (const r of steps) r.dispose();
  say();
  return {
    results,
    pctPeak,
    targets(target) {
      if (quick || !tf) return say('- GRU and LSTM targets: full run only (`npm run bench` without --quick)');
      for (const cell of CELLS) {
        for (const [h, goal] of [[8, 20], [32, 10], [128, 5]]) {
          const e = results[`${cell}${h}`];
          const at = `elman's matrix products at ${pct(pctPeak(e.flops, e.simd.cpu / e.simd.epochs))} of the no-FMA peak, TF.js's at ${pct(pctPeak(e.flops, e.tfBest.cpu / e.tfBest.epochs))}`;
          target(`${cell.toUpperCase()}, hidden ${h}, vs ${e.tfBest.name} (${at})`, e.tfBest.cpu / e.simd.cpu, goal, at);
        }
        const e = results[`${cell}32`];
        const at = e.plain && `elman's matrix products at ${pct(pctPeak(e.flops, e.simd.cpu / e.simd.epochs))} of the no-FMA peak, plain JS's at ${pct(pctPeak(e.flops, e.plain.cpu / e.plain.epochs))}`;
        if (e.plain) target(`${cell.toUpperCase()}, hidden 32, vs plain JS (${at})`, e.plain.cpu / e.simd.cpu, 5, at);
        else say(`- ${cell.toUpperCase()}, hidden 32, vs plain JS (target ≥ 5×): no plain-JS ${cell.toUpperCase()} yet`);
      }
      const simd = steps.find((r) => r.key === 'simd');
      say(`- LSTM hidden 32, one step: elman wasm ${fmt.time(simd.cpu / simd.steps)} CPU against ${tfStep.name} ${fmt.time(tfStep.cpu / tfStep.steps)} (${fmt.ratio(tfStep.cpu / simd.cpu)}; reported, no target)`);
    },
  };
}

const entry = process.argv[1];
if (entry && import.meta.url === new URL(`file://${entry}`).href) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { hidden: { type: 'string', default: '8,32,128' }, cells: { type: 'string', default: 'gru,lstm' }, 'no-tfjs': { type: 'boolean', default: false } } });
  const tf = values['no-tfjs'] ? undefined : await import('./tfjs.js');
  if (tf) await tf.useBackend('wasm');
  console.log(`GRU and LSTM: input ${ELMAN.input}, ${ELMAN.steps} steps, ${ELMAN.samples} samples in batches of ${ELMAN.batch}, mse, RMSProp; medians of interleaved rounds, ms per call`);
  for (const cell of values.cells.split(',')) {
    for (const h of values.hidden.split(',').map(Number)) {
      const rows = await interleaved(await gatedRows(cell, h, { tf }), ROUNDS);
      for (const r of rows) {
        console.log(`${cell} hidden ${String(h).padStart(3)} ${r.name.padEnd(24)} ${r.epochs} epochs/call  wall ${r.wall.toFixed(2)} ms  cpu ${r.cpu.toFixed(2)} ms`);
        r.dispose();
      }
    }
  }
  const rows = await interleaved(await stepRows({ tf }), { rounds: 5 });
  for (const r of rows) {
    console.log(`${STEP.cell} hidden ${STEP.hidden} one step: ${r.name.padEnd(28)} wall ${((r.wall / r.steps) * 1e3).toFixed(2)} µs  cpu ${((r.cpu / r.steps) * 1e3).toFixed(2)} µs`);
    r.dispose();
  }
}
