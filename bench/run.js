// `npm run bench`: elman against what a user would otherwise write or pick: an independent plain-JS
// implementation of each model (bench/plain/) and TensorFlow.js, elman's own `js` backend as a row of
// its own. Every row at a size runs the same epochs per call; figures are medians of interleaved
// rounds, CPU time beside wall time; each row is set against the arithmetic or bandwidth bound of its
// work. Prints everything; writes bench/results.md only with `--write`. `--quick`: fewer rounds.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { instantiateSync as loaderInstantiate } from '@assemblyscript/loader';
import { loadCore } from '../dist/backends/wasm/core.js';
import { NO_EPOCH_END } from '../dist/backends/wasm/exports.js';
import { init, lossSurface } from '../dist/index.js';
import { COUNTER_LATENCY_CYCLES, COUNTER_SIZES, counterBounds, counterData, counterKernel, counterRows } from './counter.js';
import { ELMAN, elmanFlops, elmanRows, RELAXED_FLAG, relaxedRows } from './elman.js';
import { kernelFigures } from './kernels.js';
import { gatedSection } from './gated.js';
import { sweepSection } from './sweep.js';
import { issue23 } from './issue23.js';
import { issue19 } from './issue19.js';
import { masksSection } from './masks.js';
import { fmt as fmtNs, placedSection, placedTable } from './placed.js';
import { cpuInfo, measureBandwidth, measureClock, measurePeak } from './machine.js';
import { CPU_CLOCK, interleaved, SAMPLE_FLOOR_MS } from './rounds.js';
import * as tf from './tfjs.js';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const quick = process.argv.includes('--write') ? false : process.argv.includes('--quick');
const write = process.argv.includes('--write');
// init() resolves to nothing since the embedded-core entry; the raw core for the call-overhead row comes from loadCore.
await init();
const core = await loadCore();
const out = [];
const say = (line = '') => {
  console.log(line);
  out.push(line);
};

// The machine first: its clock and bandwidth are the yardsticks the rows are held to.
const cpu = cpuInfo();
const clock0 = measureClock();
const peak = measurePeak();
const PEAK = peak.flopPerCycle;
const bw = measureBandwidth(quick ? 64 << 20 : 256 << 20);
const tfWasm = await tf.useBackend('wasm');
say('# Benchmark results');
say();
say(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpu.label} · Node ${process.version} · TF.js 4.22.0 (${tfWasm})${quick ? ' · QUICK RUN' : ''}`);
say();
say(`Clock (dependent integer multiplies, 3 cycles each): ${(clock0 / 1e9).toFixed(2)} GHz at the start. Memory bandwidth (v128 loops, ${quick ? 64 : 256} MiB): read ${fmtBytes(bw.read)}/s, copy ${fmtBytes(bw.copy)}/s.`);
say(`Peak, float32, 128-bit SIMD without FMA (independent 4-lane multiplies and adds in equal numbers, each sample counted in cycles by an integer-multiply chain run beside it; median of 7): ${PEAK.toFixed(1)} flop/cycle = ${((PEAK * clock0) / 1e9).toFixed(1)} GFLOP/s per core, by ${peak.by}${peak.native ? `; V8's code for the same chains reaches ${peak.wasm.toFixed(1)}` : ''}. Every "% of peak" and the counter's arithmetic bound (6 flops per sample-step: ${(6 / PEAK).toFixed(3)} cycles) are held to it.`);
say(`Times: medians of interleaved rounds (every row warmed up for 200 ms, then one sample per round of as many calls as fill ${Math.max(20, SAMPLE_FLOOR_MS).toFixed(0)} ms, a young-generation GC before each sample for every row alike), per call; CPU time by ${CPU_CLOCK}.`);
say('Ratios ("×") are CPU-time ratios: how many times less CPU the row needs than the yardstick. The machine is shared (2 cores,');
say('other jobs running): wall time is noisy, CPU time less so.');
say();

// ---- The counter -------------------------------------------------------------------------------
say('## The counter (`s[k] = x[k]·wx + s[k-1]·wRec`, sse, full batch, RMSProp lr 1e-3)');
say();
say('Every call restarts from the same weights and optimizer state and trains the same epochs. The plain-JS yardstick runs in a');
say('worker thread, its own V8 isolate: a WebAssembly memory.grow anywhere in an isolate makes V8 check every typed-array access');
say('of optimised code for a detached buffer (the tutorial loop ran ~30% slower in this process than in one without WebAssembly).');
say(`"bound": the arithmetic bound (3 multiplies + 3 adds per sample-step at the measured peak: ${(6 / PEAK).toFixed(3)} cycles) or, at the`);
say('large size, the bandwidth bound (each 0/1 input read once as a byte), whichever is larger.');
say();
say('| size | epochs/call | implementation | wall per epoch | CPU per epoch | × vs plain JS | % of bound (which) |');
say('| --- | ---: | --- | ---: | ---: | ---: | ---: |');
const counter = {};
for (const size of COUNTER_SIZES) {
  const made = await counterRows(size, { tf });
  const rows = await interleaved(made, quick ? { rounds: 2, minRounds: 1 } : { rounds: size.key === 'large' ? 5 : 11, minRounds: 3 });
  const plain = rows.find((r) => r.key === 'plain');
  const bound = counterBounds(size, { clock: clock0, read: bw.read, peak: PEAK });
  for (const r of rows) {
    const E = size.epochs;
    const pct = (100 * bound.boundMs) / (r.cpu / E);
    say(`| ${size.key} ${size.samples.toLocaleString('en')} × ${size.steps} | ${E} | ${r.name} | ${fmtTime(r.wall / E)} | ${fmtTime(r.cpu / E)} | ${r === plain ? '1' : fmtRatio(plain.cpu / r.cpu)} | ${pct.toFixed(pct < 1 ? 2 : 0)}% (${bound.by}) |`);
  }
  const kernel = await counterKernel(size, { clock: clock0, interleaved, quick });
  counter[size.key] = { rows, bound, kernel, finals: Object.fromEntries(rows.map((r) => [r.key, r.final()])) };
  for (const r of made) r.dispose();
}
say();
const tut = COUNTER_SIZES[0];
say(`Final weights after the ${tut.epochs}-epoch tutorial run: ${counter.tutorial.rows.map((r) => `${r.name} (${fmtW(counter.tutorial.finals[r.key])})`).join(', ')}.`);
say(`Bounds: ${COUNTER_SIZES.map((s) => `${s.key} ${fmtTime(counter[s.key].bound.arithMs)} arithmetic${counter[s.key].bound.bwMs ? `, ${fmtTime(counter[s.key].bound.bwMs)} bandwidth` : ''} per epoch`).join('; ')}.`);
say(`The SIMD kernel alone (one loss-and-gradient pass on placed data): ${COUNTER_SIZES.map((s) => `${s.key} ${fmtTime(counter[s.key].kernel.ms)} per epoch, ${counter[s.key].kernel.cycles.toFixed(2)} cycles per sample-step`).join('; ')}. Its latency bound: ${COUNTER_LATENCY_CYCLES} cycles per sample-step (forward: a 3-cycle multiply then a 3-cycle add per step on each of 4 registers of 4 samples; backward: two passes of 3-cycle chains); the arithmetic bound: 0.375.`);
say(`From the bench's small weights the gradient vanishes along each sequence and a backward pass ends once no later step can change a bit of its sums (assembly/linear.ts), so the rows above do less than every step's work and can pass those bounds. At wx = wRec = 1 (the trained counter), where every pass runs to its end, the kernel takes ${COUNTER_SIZES.map((s) => `${s.key} ${fmtTime(counter[s.key].kernel.full.ms)} per epoch, ${counter[s.key].kernel.full.cycles.toFixed(2)} cycles per sample-step`).join('; ')}.`);
say();

// ---- The Elman network -------------------------------------------------------------------------
say(`## The Elman network (input ${ELMAN.input}, ${ELMAN.steps} steps, ${ELMAN.samples} samples in batches of ${ELMAN.batch}, tanh + linear, mse, RMSProp lr 1e-3)`);
say();
say('elman trains through `trainSync` with `batchSize: 100`; TF.js through `model.fit` (same batches, no shuffle); plain JS is');
say('bench/plain/elman.js. "% of peak": the matrix products\' flops (2·(2·I·H + 3·H²) per sample-step) over the CPU time at the peak.');
say();
say('| hidden | epochs/call | implementation | wall per epoch | CPU per epoch | × vs TF.js (faster backend) | × vs plain JS | % of peak |');
say('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
const elman = {};
for (const hidden of quick ? [8] : [8, 32, 128]) {
  const made = await elmanRows(hidden, { tf });
  const rows = await interleaved(made, quick ? { rounds: 2, minRounds: 1 } : { rounds: 5, minRounds: 3 });
  const tfBest = rows.filter((r) => r.key.startsWith('tf')).reduce((a, b) => (b.cpu < a.cpu ? b : a));
  const plain = rows.find((r) => r.key === 'plain');
  const flops = elmanFlops(hidden);
  for (const r of rows) {
    const E = r.epochs;
    const pct = (100 * flops) / ((r.cpu / E / 1e3) * clock0 * PEAK);
    say(`| ${hidden} | ${E} | ${r.name}${r === tfBest ? ' (faster)' : ''} | ${fmtTime(r.wall / E)} | ${fmtTime(r.cpu / E)} | ${fmtRatio(tfBest.cpu / r.cpu)} | ${fmtRatio(plain.cpu / r.cpu)} | ${pct.toFixed(pct < 1 ? 2 : 0)}% |`);
  }
  // The relaxed-SIMD core in child processes (it cannot share this process with the plain core).
  const rx = relaxedRows(hidden, { rounds: quick ? 2 : 5, children: quick ? 1 : 3 });
  if (rx) {
    for (const [name, r] of [['elman wasm relaxed SIMD (child process)', rx.relaxed], ['elman wasm SIMD (child process, A/B)', rx.plain]]) {
      const pct = (100 * flops) / ((r.cpu / r.epochs / 1e3) * clock0 * PEAK);
      say(`| ${hidden} | ${r.epochs} | ${name} | ${fmtTime(r.wall / r.epochs)} | ${fmtTime(r.cpu / r.epochs)} | ${fmtRatio((tfBest.cpu / tfBest.epochs) / (r.cpu / r.epochs))} | ${fmtRatio((plain.cpu / plain.epochs) / (r.cpu / r.epochs))} | ${pct.toFixed(0)}% |`);
    }
  } else say(`| ${hidden} | | elman wasm relaxed SIMD: not available in this runtime (even with ${RELAXED_FLAG}) | | | | | |`);
  elman[hidden] = { rows, tfBest, plain, flops, rx };
  for (const r of made) r.dispose();
}
say();
say(`The relaxed-SIMD rows run in child processes started with ${RELAXED_FLAG} (Node 20 validates relaxed SIMD only with it), alternating`);
say('with a child on the plain core under the same flag (the A/B row); `init()` picks the relaxed core wherever the runtime validates it.');
say();
const kernels = quick ? undefined : kernelFigures({ clock: clock0, peak: PEAK, hidden: [8, 32, 128, 256, 512] });

// ---- GRU and LSTM (bench/gated.js) --------------------------------------------------------------
const gated = await gatedSection({ say, tf, quick, clock: clock0, peak: PEAK, fmt: { time: fmtTime, ratio: fmtRatio } });

// ---- Loss surface, peak memory, call overhead --------------------------------------------------
say('## Loss surface, peak memory, call overhead');
say();
{
  const { data } = counterData(COUNTER_SIZES[0]);
  const grid = { wx: { min: -3, max: 3, count: 200 }, wRec: { min: -3, max: 3, count: 200 } };
  const rows = await interleaved(['wasm', 'js'].map((backend) => ({ name: backend, run: () => lossSurface(data, { ...grid, backend }) })), { rounds: quick ? 2 : 7 });
  say(`- \`lossSurface\`, 200 × 200 grid on the tutorial data (8·10⁶ sample-steps), CPU: wasm ${fmtTime(rows[0].cpu)}, js ${fmtTime(rows[1].cpu)} (${fmtRatio(rows[1].cpu / rows[0].cpu)}).`);
}
if (!quick) {
  for (const impl of ['simd', 'tfwasm']) {
    const m = JSON.parse(execFileSync(process.execPath, ['--expose-gc', here('./memory.js'), impl], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1));
    const who = impl === 'simd' ? 'elman wasm SIMD' : 'TF.js wasm';
    say(`- Peak memory, large counter, ${who}: training ${m.epochs} epochs added ${fmtBytes(m.trainingBytes)} of RSS to the ${fmtBytes(m.inputBytes)} of inputs: peak ${((m.inputBytes + m.trainingBytes) / m.inputBytes).toFixed(2)}× the inputs${m.wasmBytes ? ` (elman's WebAssembly memory: ${fmtBytes(m.wasmBytes)})` : ''}.`);
  }
}
{
  // The tutorial's fused kernel through the raw exports and through @assemblyscript/loader (which the
  // package does not use): x at +0, t at +1024, scratch at +1280, out at +2048 of a 4 KiB block.
  const { data } = counterData(COUNTER_SIZES[0]);
  const put = (e, x) => {
    const f32 = new Float32Array(e.memory.buffer);
    f32.set(data.x, x >>> 2);
    f32.set(data.targets, (x + 1024) >>> 2);
  };
  const raw = core.exports;
  const xr = core.arena.alloc(4096);
  put(raw, xr);
  const loader = loaderInstantiate(new WebAssembly.Module(readFileSync(here('../build/elman.wasm'))), { elman: NO_EPOCH_END.elman }).exports; // the loader adds its env to the object it is given
  const xl = (loader.heapBase() + 15) & ~15;
  if (loader.memory.buffer.byteLength < xl + 4096) loader.memory.grow(1);
  put(loader, xl);
  const N = 10_000;
  const loop = (e, x) => () => {
    for (let i = 0; i < N; i++) e.linearLossGrad(x, x + 1024, 20, 10, 0.5, 0.9, 2, x + 1280, x + 2304); // scratch: f32[11][16 + 4]
  };
  const [r, l] = await interleaved([{ run: loop(raw, xr) }, { run: loop(loader, xl) }], { rounds: quick ? 2 : 9 });
  core.arena.release(xr);
  say(`- One call of the tutorial's fused loss-and-gradient kernel, CPU: raw exports ${fmtTime(r.cpu / N)}, through \`@assemblyscript/loader\` ${fmtTime(l.cpu / N)} (${fmtRatio(l.cpu / r.cpu)} the time).`);
}
// ---- Call overhead (bench/placed.js) -----------------------------------------------------------
say('## What a train call costs beyond the kernel (data placed once; bench/placed.js)');
say();
const placed = await placedSection({ quick });
for (const line of placedTable(placed)) say(line);
say();
const clock1 = measureClock();
say(`- Clock at the end: ${(clock1 / 1e9).toFixed(2)} GHz (start ${(clock0 / 1e9).toFixed(2)} GHz); the bounds above use the start.`);
say();

// ---- Targets -----------------------------------------------------------------------------------
say('## Targets (issue 12; CPU-time ratios in this run)');
say();
const target = (label, value, goal, why) => say(`- ${label}: ${fmtRatio(value)} (target ≥ ${goal}×) ${value >= goal ? '— met' : `— **missed**${why ? `: ${why}` : ''}`}`);
const cr = (size, key) => counter[size].rows.find((r) => r.key === key);
const vsPlain = (size, key) => cr(size, 'plain').cpu / cr(size, key).cpu;
const boundPct = (size, key) => `${((100 * counter[size].bound.boundMs) / (cr(size, key).cpu / COUNTER_SIZES.find((s) => s.key === size).epochs)).toFixed(0)}% of the ${counter[size].bound.by} bound`;
// What bounds a counter row: its kernel against the kernel's latency bound, and the share of the epoch outside the kernel.
const counterWhy = (size) => {
  const c = counter[size], E = COUNTER_SIZES.find((s) => s.key === size).epochs, epoch = cr(size, 'simd').cpu / E;
  return `the SIMD row runs at ${boundPct(size, 'simd')}; its kernel alone takes ${c.kernel.cycles.toFixed(2)} cycles per sample-step against a latency bound of ${COUNTER_LATENCY_CYCLES} (the recurrences' multiply→add chains), ${((100 * c.kernel.ms) / epoch).toFixed(0)}% of the row's epoch (the rest: optimizer, history, and validating and copying the data set each call)`;
};
target('Counter, tutorial 20 × 10, default options vs plain JS', vsPlain('tutorial', 'simd'), 5, `${counterWhy('tutorial')}; trackWeights: false gives ${fmtRatio(vsPlain('tutorial', 'simdBare'))}`);
target('Counter, 1,024 × 100 vs plain JS', vsPlain('cache', 'simd'), 12, counterWhy('cache'));
target('Counter, 100,000 × 100, one thread vs plain JS', vsPlain('large', 'simd'), 9, counterWhy('large'));
{
  // Taxes outside the kernel (bench/placed.js, above): at most a given share of the bare kernel's CPU.
  const atMost = (label, value, goal, show) => say(`- ${label}: ${show(value)} (target ≤ ${show(goal)}) ${value <= goal ? '— met' : '— **missed**'}`);
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  const t = placed.tutorial, L = placed.large;
  atMost('Default `train` options over the bare kernel, tutorial', t.default / t.bare - 1, 0.1, pct);
  atMost('`onEpoch` every epoch against the bare kernel, tutorial', t.onEpoch / t.bare, 2, (x) => `${x.toFixed(2)}×`);
  atMost('`onEpoch` every epoch over the bare kernel, 100,000 × 100', L.onEpoch / L.bare - 1, 0.1, pct);
  atMost('Async `train` (yields) over `trainSync`, tutorial, 200,000 epochs', t.async / t.sync - 1, 0.03, pct);
  say(`  (onEpoch at the tutorial size: ${fmtNs(t.onEpoch - t.bare)} per epoch beyond the bare ${fmtNs(t.bare)}: the core's call out after each epoch, the weights copied out and back (the optimizer's slots only when it is read), the callback's info object.)`);
}
{
  // Two threads cannot use less CPU than one: the threads target is read in wall time, CPU summed over threads beside it.
  const t2 = cr('large', 'threads2'), plain = cr('large', 'plain');
  const E = COUNTER_SIZES[2].epochs, v = plain.wall / t2.wall;
  say(`- Counter, 100,000 × 100, \`threads: 2\` vs plain JS, wall time: ${fmtRatio(v)} (target ≥ 16×) ${v >= 16 ? '— met' : '— **missed**'}; wall ${fmtTime(t2.wall / E)} per epoch, CPU summed over both threads ${fmtTime(t2.cpu / E)} (${fmtRatio(plain.cpu / t2.cpu)} less than plain JS); ${fmtRatio(cr('large', 'threads1').wall / t2.wall)} the wall time of \`threads: 1\`. The machine is shared: two threads get two cores only when no one else runs.`);
}
if (!quick) {
  for (const [h, goal] of [[8, 40], [32, 20], [128, 12]]) {
    const e = elman[h];
    const simd = e.rows.find((r) => r.key === 'simd');
    const pct = (100 * e.flops) / ((simd.cpu / simd.epochs / 1e3) * clock0 * PEAK);
    target(`Elman, hidden ${h}, vs ${e.tfBest.name}`, e.tfBest.cpu / simd.cpu, goal, `elman's matrix products run at ${pct.toFixed(0)}% of the no-FMA peak`);
  }
  const e32 = elman[32];
  target('Elman, hidden 32, vs plain JS', e32.plain.cpu / e32.rows.find((r) => r.key === 'simd').cpu, 8);
  // The kernel targets: shares of the measured no-FMA peak and cycles per value, met when on the right side.
  const bound = (label, value, goal, unit, below = false) => {
    const met = below ? value <= goal : value >= goal;
    say(`- ${label}: ${value.toFixed(unit === '%' ? 0 : 1)}${unit} (target ${below ? '≤' : '≥'} ${goal}${unit}) ${met ? '— met' : '— **missed**'}`);
  };
  for (const [h, goal] of [[8, 25], [128, 50]]) {
    const simd = elman[h].rows.find((r) => r.key === 'simd');
    bound(`Elman epoch, hidden ${h}, share of the no-FMA peak`, (100 * elman[h].flops) / ((simd.cpu / simd.epochs / 1e3) * clock0 * PEAK), goal, '%');
  }
  bound('tanh, cycles per value (bench/kernels.js)', kernels.act.tanh, 8, ' cycles', true);
  bound('mm at hidden 128 (100×128·128×128), share of the no-FMA peak', 100 * kernels.mm[128].mm, 60, '%');
  bound('mmT at hidden 128, share of the no-FMA peak', 100 * kernels.mm[128].mmT, 60, '%');
  const rx = [8, 32, 128].map((h) => elman[h].rx && `hidden ${h} ${fmtRatio(elman[h].rx.plain.cpu / elman[h].rx.relaxed.cpu)}`).filter(Boolean);
  say(`- Relaxed SIMD (fused multiply-adds), used where the runtime has it: ${rx.length ? `${rx.join(', ')} the plain core's speed (CPU, A/B in child processes)` : 'not available in this runtime'}.`);
}
say();
say('## Targets (issue 11: GRU and LSTM; CPU-time ratios in this run)');
say();
gated.targets(target);
say();

await issue23({ say, quick, cpu, clock: clock0, peak: PEAK, bw, counter, placed, kernels, elman, gated, fmt: { time: fmtTime, ratio: fmtRatio } });

// The real jobs (issue 19): the char model against numpy's min-char-rnn and TF.js, addition-rnn against TF.js.
await issue19({ say, quick, tf, fmt: { time: fmtTime, ratio: fmtRatio } });

// Many small models (issue 24): the embedded runner and BullMQ against a plain loop over the same runs.
await sweepSection(say, { quick });

// Masks and sample weights (issue 19): the same training with and without, CPU over unmasked beside its target.
await masksSection(say, { quick, fmt: { time: fmtTime, ratio: fmtRatio } });

if (write) {
  writeFileSync(here('./results.md'), out.join('\n') + '\n');
  console.log('wrote bench/results.md');
} else console.log('(not written: `npm run bench -- --write` writes bench/results.md)');

function fmtTime(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 1e-3) return `${(ms * 1e3).toFixed(2)} µs`;
  return `${(ms * 1e6).toFixed(0)} ns`;
}
function fmtBytes(b) {
  return b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${(b / 1e6).toFixed(1)} MB`;
}
function fmtRatio(x) {
  if (x >= 100) return `${Math.round(x).toLocaleString('en')}×`;
  return x >= 0.1 ? `${x.toFixed(1)}×` : `${x.toPrecision(2)}×`;
}
function fmtW(w) {
  return `${w.wx.toFixed(4)}, ${w.wRec.toFixed(4)}`;
}
