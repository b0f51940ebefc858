// Cycles per value of the Elman kernel's activations and the matrix products' share of the peak,
// measured on the kernels alone (build/kernels.wasm, from assembly/bench/kernels.ts) at the clock
// measured by bench/machine.js. Run: npm run build:bench && node bench/kernels.js; the relaxed-SIMD
// probes (fused multiply-adds): node --experimental-wasm-relaxed-simd bench/kernels.js --relaxed
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NO_EPOCH_END } from '../dist/backends/wasm/exports.js';
import { measureClock, measurePeak } from './machine.js';
import { cpuPerCall } from './rounds.js';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/**
 * { tanh, sigmoid, relu } cycles per value, `chain` { tanh, sigmoid }: cycles per call on one vector fed its own
 * output (the longest dependency chain, with a store and a load; what bounds a core whose scheduler holds
 * fewer vectors in flight), and { mm, mmT } fraction of the measured `peak` (flop/cycle) at B × H · H × H; `file`: the probes' build
 * (the relaxed-SIMD one: build/kernels.relaxed.wasm).
 */
export function kernelFigures({ clock = measureClock(), peak = measurePeak().flopPerCycle, len = 100 * 128, hidden = [8, 32, 128], batch = 100, reps = 200, file = here('../build/kernels.wasm') } = {}) {
  const e = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), NO_EPOCH_END).exports; // the core's entries come along (asconfig.json), with its one import
  const Hmax = Math.max(128, ...hidden);
  const need = 4 * (len + 3 * batch * Hmax + 2 * Hmax * Hmax + 128 * Hmax) + 65536 * 2;
  if (e.memory.buffer.byteLength < need) e.memory.grow(Math.ceil((need - e.memory.buffer.byteLength) / 65536));
  const base = 65536;
  const f32 = new Float32Array(e.memory.buffer);
  // CPU seconds of one call on this thread's clock (bench/rounds.js cpuPerCall). Not process.cpuUsage:
  // it counts V8's background threads, and inside `npm run bench`, after the TF.js rows, tanh read
  // 6.1–8.2 cycles per value that way against 2.8 in a process of its own.
  const best = (fn) => cpuPerCall(fn) / 1000;
  const out = { clock, act: {}, chain: {}, mm: {} };
  for (const [name, code] of [['tanh', 1], ['sigmoid', 3], ['relu', 2]]) {
    // Values in the range tanh sees in training: refilled before each timing so they do not converge to a fixed point.
    const fill = () => { for (let i = 0; i < len; i++) f32[(base >> 2) + i] = Math.sin(i * 0.37) * 3; };
    fill();
    const s = best(() => { fill(); e.activateReps(base, len, code, reps); });
    const fillOnly = best(fill);
    out.act[name] = ((s - fillOnly) * clock) / (len * reps);
    if (name === 'relu') continue;
    // Four values through `calls` dependent calls (len 4: the one-vector loop alone).
    const calls = 100 * reps;
    f32.set([0.3, -0.7, 1.1, 2], base >> 2);
    out.chain[name] = (best(() => e.activateReps(base, 4, code, calls)) * clock) / calls;
  }
  for (const H of hidden) {
    const A = base, Bm = A + 4 * batch * H, C = Bm + 4 * H * H, P = C + 4 * batch * H, S = P + 4 * H * H;
    for (let i = 0; i < batch * H + H * H; i++) f32[(A >> 2) + i] = ((i * 7919) % 101) / 1010;
    const flops = 2 * batch * H * H * reps;
    const r = Math.max(1, Math.round(reps * (128 / H) ** 2 / 4));
    const fl = (flops / reps) * r;
    out.mm[H] = {
      mm: fl / (best(() => e.mmReps(A, Bm, C, batch, H, H, r)) * clock * peak),
      mmT: fl / (best(() => e.mmTReps(A, C, Bm, batch, H, H, r)) * clock * peak),
      mmPanels: fl / (best(() => e.mmPanelsReps(A, Bm, P, C, batch, H, H, r)) * clock * peak),
      mmTPacked: fl / (best(() => e.mmTPackedReps(A, C, Bm, batch, H, H, r, S)) * clock * peak),
    };
  }
  return out;
}

const entry = process.argv[1];
if (entry && import.meta.url === new URL(`file://${entry}`).href) {
  const hidden = process.argv.find((a) => a.startsWith('--hidden='))?.slice(9).split(',').map(Number);
  const k = kernelFigures({ ...(process.argv.includes('--relaxed') ? { file: here('../build/kernels.relaxed.wasm') } : {}), ...(hidden ? { hidden } : {}) });
  console.log(`clock ${(k.clock / 1e9).toFixed(2)} GHz`);
  for (const [n, c] of Object.entries(k.act)) console.log(`${n.padEnd(8)} ${c.toFixed(2)} cycles per value${k.chain[n] ? `, ${k.chain[n].toFixed(1)} cycles per dependent call on one vector` : ''}`);
  for (const [h, m] of Object.entries(k.mm)) console.log(`hidden ${h.padStart(3)}: mm (100×${h}·${h}×${h}) ${(100 * m.mm).toFixed(0)}% of peak, mmT ${(100 * m.mmT).toFixed(0)}% of peak, mm through packed panels ${(100 * m.mmPanels).toFixed(0)}%, mmT through packed chunks ${(100 * m.mmTPacked).toFixed(0)}%`);
}
