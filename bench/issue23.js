// Issue 23's figures for `npm run bench`: the engines (Node 20, 22, 24, each in its own process:
// bench/engine.js), native C as the counter kernel's yardstick (bench/native/counter.c, compiled
// here when a C compiler is on PATH), the Elman epoch from hidden 256 to 512, threads on the
// LSTM, and every target of the issue beside its figure, met or missed, with what bounds a miss.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { elmanData, elmanFlops } from './elman.js';
import { compileNative } from './machine.js';
import { interleaved } from './rounds.js';
import { makeModel, threadBound, threadRows } from './threads.js';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** The engines to compare: this process's Node, then the versions test/package.json pins (config.node) through npx (fetched once by npm run test:deps). */
const ENGINES = [
  [`Node ${process.versions.node.split('.')[0]} (this process's binary)`, [process.execPath]],
  ...JSON.parse(readFileSync(here('../test/package.json'), 'utf8')).config.node.map((v) => [`Node ${v.split('.')[0]}`, ['npx', '-y', `node@${v}`]]),
];

/** bench/engine.js under each engine, `rounds` times in turn (so load bursts fall on all); medians. Engines that fail to start are reported as such. */
export function engineRows({ rounds = 3 } = {}) {
  const runs = ENGINES.map(() => []);
  const errors = ENGINES.map(() => undefined);
  for (let r = 0; r < rounds; r++) {
    ENGINES.forEach(([, cmd], i) => {
      if (errors[i]) return;
      const p = spawnSync(cmd[0], [...cmd.slice(1), here('./engine.js')], { encoding: 'utf8', timeout: 240_000 });
      const line = p.stdout?.trim().split('\n').at(-1);
      try {
        runs[i].push(JSON.parse(line));
      } catch {
        errors[i] = (p.stderr || p.error?.message || 'no output').trim().split('\n').at(-1);
      }
    });
  }
  return ENGINES.map(([name], i) => {
    const got = runs[i];
    if (!got.length) return { name, error: errors[i] };
    return { name, node: got[0].node, relaxed: got[0].relaxed, counterMs: median(got.map((g) => g.counterMs)), counterWork: got[0].counterWork, elman32Ms: median(got.map((g) => g.elman32Ms)) };
  });
}

/**
 * The C yardstick at `sizes` ([{ samples, steps, reps }]) and weights (1, 1): CPU ns per epoch
 * (median of 3 runs), or undefined with the reason when no compiler is found or it fails.
 */
export function nativeCounter(sizes) {
  const { bin, compiler, error } = compileNative('counter', ['-O3', '-march=native', '-ffp-contract=off']);
  if (error) return { error };
  const ns = sizes.map((s) => median([0, 1, 2].map(() => Number(execFileSync(bin, [s.samples, s.steps, s.reps, 1, 1].map(String), { encoding: 'utf8' }).split(' ')[0]))));
  return { compiler, ns };
}

/** Elman epoch CPU ms at hidden 256 and 512 (one epoch per call, interleaved): the cliff target. */
export async function elmanLarge({ quick }) {
  const data = elmanData();
  const rows = [...(await threadRows(makeModel('elman', 256), data, [0])), ...(await threadRows(makeModel('elman', 512), data, [0]))];
  const [a, b] = await interleaved(rows, quick ? { rounds: 2, minRounds: 1, warmMs: 0 } : { rounds: 3, minRounds: 2 });
  for (const r of rows) r.dispose();
  return { 256: a, 512: b };
}

/** LSTM-128 on one placement against placeThreaded threads: 2 (wall; CPU over all threads). */
export async function lstmThreads({ quick }) {
  const rows = await threadRows(makeModel('lstm', 128), elmanData(), [0, 2]);
  const [one, two] = await interleaved(rows, quick ? { rounds: 2, minRounds: 1 } : { rounds: 5, minRounds: 3 });
  for (const r of rows) r.dispose();
  return { one, two };
}

export { elmanFlops };

/**
 * The section: engines, the C yardstick, the Elman cliff and LSTM threads measured here; then every
 * target of issue 23 beside its figure (from run.js's sections: counter, placed, kernels, elman, gated).
 */
export async function issue23({ say, quick, cpu, clock, peak, bw, counter, placed, kernels, elman, gated, fmt }) {
  const { COUNTER_SIZES } = await import('./counter.js');
  const ARITH = 6 / peak; // cycles per sample-step: 3 multiplies + 3 adds at the measured peak (3/8 on Zen's 16 flop/cycle)
  const INSNS = 4.5; // instructions per sample-step in V8's code for the group-major kernel's loops (counted once, on Node 20)
  const pctOfPeak = (flops, cpuMs) => (100 * flops) / ((cpuMs / 1e3) * clock * peak);
  const line = (label, figure, goal, met, why) => say(`- ${label}: ${figure} (target ${goal}) ${met ? '— met' : `— **missed**${why ? `: ${why}` : ''}`}`);
  say('## Issue 23: engines, native C, and every target beside its figure');
  say();
  say(`Machine: ${cpu.label}; clock ${(clock / 1e9).toFixed(2)} GHz measured; no-FMA peak ${peak.toFixed(1)} flop/cycle measured (bench/machine.js measurePeak) = ${((peak * clock) / 1e9).toFixed(1)} GFLOP/s per core; read ${(bw.read / 1e9).toFixed(1)} GB/s, copy ${(bw.copy / 1e9).toFixed(1)} GB/s (measured above).`);
  say();

  // Engines.
  say('### Engines (bench/engine.js in its own process per engine, 3 rounds in turn, medians, CPU of the running thread)');
  say();
  say(`| engine | Node | core init() loaded | counter kernel at (1, 1), 1,024 × 100: cycles per sample-step | % of the ${ARITH.toFixed(3)}-cycle bound | Elman hidden 32, CPU per epoch |`);
  say('| --- | --- | --- | ---: | ---: | ---: |');
  const engines = engineRows({ rounds: quick ? 1 : 3 });
  for (const e of engines) {
    if (e.error) {
      say(`| ${e.name} | — | did not run: ${e.error.replaceAll('|', '/')} | | | |`);
      continue;
    }
    const cyc = ((e.counterMs / 1e3) * clock) / e.counterWork;
    say(`| ${e.name} | ${e.node} | ${e.relaxed ? 'relaxed SIMD' : 'SIMD'} | ${cyc.toFixed(2)} | ${((100 * ARITH) / cyc).toFixed(0)}% | ${fmt.time(e.elman32Ms)} |`);
  }
  say();

  // Native C.
  const sizes = COUNTER_SIZES.map((s) => ({ key: s.key, samples: s.samples, steps: s.steps, reps: Math.max(3, Math.round(3e7 / (s.samples * s.steps))) }));
  const native = nativeCounter(sizes);
  say('### The counter kernel beside native C (bench/native/counter.c; same bytes, same float32 arithmetic, every step, weights (1, 1))');
  say();
  if (native.error) say(`- Native C: not measured (${native.error}).`);
  else {
    say(`Compiler: ${native.compiler}. CPU per epoch; cycles per sample-step at the measured clock.`);
    say();
    say('| size | elman kernel at the start weights | elman kernel at (1, 1) | native C at (1, 1) | elman / C time at (1, 1) | work the start weights skip |');
    say('| --- | ---: | ---: | ---: | ---: | ---: |');
    sizes.forEach((s, i) => {
      const k = counter[s.key].kernel, work = s.samples * s.steps;
      const cCyc = ((native.ns[i] / 1e9) * clock) / work;
      say(`| ${s.key} ${s.samples.toLocaleString('en')} × ${s.steps} | ${k.cycles.toFixed(2)} cycles | ${k.full.cycles.toFixed(2)} cycles | ${cCyc.toFixed(2)} cycles | ${((k.full.ms * 1e6) / native.ns[i]).toFixed(2)} | ${(100 * Math.max(0, 1 - k.ms / k.full.ms)).toFixed(0)}% |`);
    });
  }
  say();

  // Over the whole run: each row trains `epochs` epochs from the start weights; its CPU per sample-step beside the kernel's at (1, 1).
  say('Over each row\'s whole run (the counter table above: every epoch from the start weights, optimizer and records included), CPU per sample-step:');
  for (const s of COUNTER_SIZES) {
    const bare = counter[s.key].rows.find((r) => r.key === 'simdBare');
    const cyc = ((bare.cpu / s.epochs / 1e3) * clock) / (s.samples * s.steps);
    say(`- ${s.key}: ${cyc.toFixed(2)} cycles (trackWeights: false, ${s.epochs} epochs) against ${counter[s.key].kernel.full.cycles.toFixed(2)} for the kernel doing every step: the early end skips about ${(100 * Math.max(0, 1 - cyc / counter[s.key].kernel.full.cycles)).toFixed(0)}% of the run's kernel work, net of the per-epoch work it cannot skip.`);
  }
  say();

  const large = quick ? undefined : await elmanLarge({ quick });
  const lstm = quick ? undefined : await lstmThreads({ quick });
  const bounds = quick ? undefined : { elman: await threadBound('elman', 128), lstm: await threadBound('lstm', 128) };

  // Targets.
  say('### Targets (issue 23)');
  say();
  // 1. The counter at every weight point.
  for (const key of ['tutorial', 'cache', 'large']) {
    const k = counter[key].kernel;
    for (const [at, c] of [['the start weights', k.cycles], ['(1, 1), every step', k.full.cycles]]) {
      const pct = (100 * ARITH) / c;
      line(`Counter kernel, ${key}, at ${at}: share of the ${ARITH.toFixed(3)}-cycle arithmetic bound`, `${pct.toFixed(0)}% (${c.toFixed(2)} cycles per sample-step)`, '≥ 50%', pct >= 50, key === 'tutorial' ? 'at 20 samples of 10 steps (float32 inputs: under 64 KiB they are not packed) one group and a 4-sample tail run per epoch, and the work per group and per call (the float64 sums of every register, the loss and the tail, the call itself) is most of it' : `bound by instructions, not arithmetic: V8's code for the loops (node --print-wasm-code) has about ${INSNS} instructions per sample-step (a pair of groups' forward step: about 56 for 32 sample-steps; a backward pass step: 20–25 for 8, the masks' sign-extending load, unpacks and ANDs, the states' stores and loads, the pointers and the loop), so ${c.toFixed(2)} cycles is ${(INSNS / c).toFixed(1)} instructions per cycle, against 6 flops per sample-step at the measured peak for the ${ARITH.toFixed(3)}-cycle bound; native C below, with 8–16-lane vectors, shows what wider vectors give`);
    }
  }
  if (!native.error) {
    const i = sizes.findIndex((s) => s.key === 'cache');
    const r = native.ns[i] / (counter.cache.kernel.full.ms * 1e6);
    line('Counter kernel at (1, 1) in cache (1,024 × 100) against native C', `${fmt.ratio(r)} C's speed`, '≥ 1×', r >= 1, 'C compiled for this CPU uses its widest vectors (AVX2/AVX-512: 8–16 lanes) where WebAssembly has 4');
  }
  {
    const plain = counter.tutorial.rows.find((r) => r.key === 'plain'), simd = counter.tutorial.rows.find((r) => r.key === 'simd');
    const v = plain.cpu / simd.cpu;
    line('Counter, tutorial 20 × 10, 2,001 epochs, default options, against plain JS', fmt.ratio(v), '≥ 10×', v >= 10, `at 200 sample-steps an epoch is ${fmt.time(simd.cpu / 2001)} of which the fixed per-epoch work (RMSProp step, float64 sums, the 4-sample tail, the weight record) is most`);
  }
  // 2. Passing data.
  {
    const L = placed.large, v = (L.callData - L.bare) / L.bare;
    line('Passing the 100,000 × 100 data set to a call, beyond the epoch', `${v.toFixed(2)} epochs`, '≤ 1 epoch', v <= 1, `every call reads the 40 MB of float32 inputs from the JavaScript heap into core memory (at the measured read bandwidth ${(bw.read / 1e9).toFixed(1)} GB/s that read alone takes ${fmt.time((4e7 / bw.read) * 1e3)}; a copy at the measured copy bandwidth ${fmt.time(((2 * 4e7) / bw.copy) * 1e3)}) and packs it to bytes (two vector compares per four values and six narrows per 16, checking every value as it goes; measured beside the copy it costs about as much again: 1.4–1.9 ms against 1.5 ms for the copy through the 64 KiB staging block, on a loaded machine), against an epoch that reads 10 MB of bytes in ${fmt.time(L.bare / 1e6)}`);
  }
  // 3. Matrix kernels.
  if (kernels) {
    for (const H of [128]) {
      line(`mm at hidden ${H} (100×${H}·${H}×${H}), share of the no-FMA peak`, `${(100 * kernels.mm[H].mm).toFixed(0)}%`, '≥ 65%', kernels.mm[H].mm >= 0.65);
      line(`mmT at hidden ${H}, share of the no-FMA peak`, `${(100 * kernels.mm[H].mmT).toFixed(0)}%`, '≥ 65%', kernels.mm[H].mmT >= 0.65);
    }
    const t = kernels.mm[512], u = kernels.mm[256];
    if (t && u) say(`- Share of the peak at hidden 256 / 512 (100 rows): mm ${(100 * u.mm).toFixed(0)}% / ${(100 * t.mm).toFixed(0)}%, mmT ${(100 * u.mmT).toFixed(0)}% / ${(100 * t.mmT).toFixed(0)}%; what the Elman layer runs there: mm through packed panels ${(100 * u.mmPanels).toFixed(0)}% / ${(100 * t.mmPanels).toFixed(0)}%, mmT through packed chunks ${(100 * u.mmTPacked).toFixed(0)}% / ${(100 * t.mmTPacked).toFixed(0)}% (reported).`);
  }
  // A miss split by measurement: at the product kernels' own rate at this hidden size (bench/kernels.js,
  // the mean of mm's and mmT's time per flop), the products would take `share` of the epoch; the rest is the other work.
  const outside = (pct, h) => {
    const k = kernels?.mm[h];
    if (!k) return undefined;
    const rate = 2 / (1 / k.mm + 1 / k.mmT);
    const share = pct / (100 * rate);
    return `: the products alone run at ${(100 * rate).toFixed(0)}% of the peak at this size (mm ${(100 * k.mm).toFixed(0)}%, mmT ${(100 * k.mmT).toFixed(0)}%, 100 rows), so they are about ${(100 * share).toFixed(0)}% of the epoch and the other work ${(100 * (1 - share)).toFixed(0)}%`;
  };
  for (const h of [8, 128]) {
    const goal = h === 8 ? 45 : 65;
    const e = elman[h];
    if (!e) continue;
    const simd = e.rows.find((r) => r.key === 'simd');
    const pct = pctOfPeak(e.flops, simd.cpu / simd.epochs);
    line(`Elman network, hidden ${h}, share of the no-FMA peak`, `${pct.toFixed(0)}%`, `≥ ${goal}%`, pct >= goal, `the per-step work outside the products (tanh, copies, the head, the optimizer)${outside(pct, h) ?? ''}`);
    if (gated.results) {
      for (const cell of ['gru', 'lstm']) {
        const g = gated.results[`${cell}${h}`];
        if (!g) continue;
        const p = gated.pctPeak(g.flops, g.simd.cpu / g.simd.epochs);
        line(`${cell.toUpperCase()}, hidden ${h}, share of the no-FMA peak`, `${p.toFixed(0)}%`, `≥ ${goal}%`, p >= goal, `the gates' activations and element-wise products run beside the products${outside(p, h) ?? ''}`);
      }
    }
  }
  if (large) {
    const t = large[512].cpu / large[256].cpu, f = elmanFlops(512) / elmanFlops(256);
    line('Elman epoch, hidden 512 against 256 (CPU)', `${t.toFixed(2)}× (${fmt.time(large[256].cpu)} → ${fmt.time(large[512].cpu)}; the flops grow ${f.toFixed(2)}×)`, `≤ ${(1.1 * f).toFixed(2)}× (the flops' growth + 10%)`, t <= 1.1 * f, `the recurrent matrix at 512 (1 MiB of float32) no longer fits L2 beside the rest${kernels?.mm[512] ? ` (the products alone: mm ${(100 * kernels.mm[256].mm).toFixed(0)}% → ${(100 * kernels.mm[512].mm).toFixed(0)}% of peak, mmT ${(100 * kernels.mm[256].mmT).toFixed(0)}% → ${(100 * kernels.mm[512].mmT).toFixed(0)}%, from 256 to 512)` : ''}; the Elman layer reads R and Rᵀ from column panels packed once per call into its scratch (assembly/matmul.ts packPanels: rows 2 KiB apart fall into two of L1's 64 sets, so an unpacked panel never stays in L1), and its recurrent weights' gradient (mmT over T·B rows) from packed chunks of 64 rows from hidden 256 on (mmTPacked)`);
  }
  // 4. Activations.
  if (kernels) line('sigmoid, cycles per value (bench/kernels.js)', kernels.act.sigmoid.toFixed(1), '≤ 5', kernels.act.sigmoid <= 5, `exp by 2^n and a degree-6 polynomial, then a division, in float32 SIMD (assembly/activations.ts); its longest dependency chain is ${kernels.chain.sigmoid.toFixed(0)} cycles per vector (tanh's ${kernels.chain.tanh.toFixed(0)}), which bounds a core that holds fewer vectors in flight`);
  if (kernels) say(`- tanh, cycles per value: ${kernels.act.tanh.toFixed(1)} (reported).`);
  // 5. onEpoch.
  {
    const t = placed.tutorial, v = t.onEpoch / t.bare;
    line('`onEpoch` every epoch at the tutorial, against the bare epoch', `${v.toFixed(2)}×`, '≤ 1.5×', v <= 1.5, `${Math.round(t.onEpoch - t.bare)} ns per epoch beyond the bare ${Math.round(t.bare)} ns: the core's call out per epoch (epochEnd: the weights out, the handler, the weights back in; the optimizer's slots only when it is read) and the callback's info object with a fresh weights object. The core's runner alone, with none of train's bookkeeping, reporting every epoch to a handler that does nothing takes ${Math.round(t.coreReport)} ns an epoch against ${Math.round(t.coreAll)} ns bare (${(t.coreReport / t.coreAll).toFixed(2)}×): the call out alone is ${Math.round(t.coreReport - t.coreAll)} ns, ${(100 * (t.coreReport - t.coreAll) / t.coreAll).toFixed(0)}% of the epoch it reports (train's bare epoch is ${Math.round(t.bare - t.coreAll)} ns over the runner's: its loss history and checks)`);
  }
  // 6. Threads, with what bounds them measured part by part (bench/threads.js threadBound).
  const why = (b) => b
    ? `per batch, CPU one part at a time: one call ${fmt.time(b.one)}, its 8 blocks ${fmt.time(b.blocks)} (thread 0's 48 samples ${fmt.time(b.thread0)}, thread 1's 52 ${fmt.time(b.thread1)}); serial: threadReduce ${fmt.time(b.reduce)}, and the rest of each batch beyond its call ${fmt.time(b.serial)} (the checks, clip and RMSProp update of ${b.P.toLocaleString('en')} parameters, in the core, and the calls). These parts allow ${b.bound.toFixed(2)}×; below that, the two threads slow each other when they run at once (a shared core or memory, wake-ups), or the machine is shared`
    : 'the machine is shared: two threads get two cores only when nothing else runs';
  if (elman[128]?.rows.some((r) => r.key === 'threads2')) {
    const e = elman[128], one = e.rows.find((r) => r.key === 'simd'), two = e.rows.find((r) => r.key === 'threads2');
    const v = one.wall / two.wall;
    line('Elman-128 on 2 threads against one placement (wall)', `${v.toFixed(2)}×`, '≥ 1.85×', v >= 1.85, why(bounds?.elman));
  }
  if (lstm) {
    const v = lstm.one.wall / lstm.two.wall;
    line('LSTM-128 on 2 threads against one placement (wall)', `${v.toFixed(2)}× (CPU over both threads ${fmt.time(lstm.two.cpu)} against ${fmt.time(lstm.one.cpu)})`, '≥ 1.85×', v >= 1.85, why(bounds?.lstm));
  }
  // 7. The bench itself.
  const live = engines.filter((e) => !e.error);
  line('Rows for Node 20, 22 and 24 from this run', live.map((e) => `${e.node} (${e.relaxed ? 'relaxed SIMD' : 'SIMD'})`).join(', ') || 'none', 'all three', live.length === 3, 'an engine npx could not fetch (no network?)');
  say();
}
