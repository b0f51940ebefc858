// What the bench knows about the machine: the CPU read from /proc/cpuinfo, its clock measured by a
// dependent chain of integer multiplies, memory bandwidth, and the peak the kernels are held to.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { NO_EPOCH_END } from '../dist/backends/wasm/exports.js';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

// AMD families and model ranges to core names (AMD's published family/model numbers); others unnamed.
const AMD = [
  [0x17, 0x00, 0x2f, 'Zen / Zen+'], [0x17, 0x30, 0xaf, 'Zen 2'],
  [0x19, 0x00, 0x0f, 'Zen 3'], [0x19, 0x20, 0x2f, 'Zen 3'], [0x19, 0x40, 0x5f, 'Zen 3'],
  [0x19, 0x10, 0x1f, 'Zen 4'], [0x19, 0x60, 0x7f, 'Zen 4'], [0x19, 0xa0, 0xaf, 'Zen 4'],
  [0x1a, 0x00, 0x7f, 'Zen 5'],
];

/** The CPU as /proc/cpuinfo names it: model name, vendor, family, model, core name where known. */
export function cpuInfo() {
  let text = '';
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return { name: cpus()[0]?.model ?? 'unknown CPU', cores: cpus().length, label: `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}` };
  }
  const first = text.split('\n\n')[0];
  const field = (k) => first.match(new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim();
  const name = field('model name') ?? 'unknown CPU';
  const vendor = field('vendor_id');
  const family = Number(field('cpu family'));
  const model = Number(field('model'));
  const flags = new Set((field('flags') ?? '').split(/\s+/));
  const core = vendor === 'AuthenticAMD' ? AMD.find(([f, lo, hi]) => f === family && model >= lo && model <= hi)?.[3] : undefined;
  const cores = cpus().length;
  const label = `${name}${core ? ` (${core})` : ''}, family ${family} model ${model}, ${cores} cores${flags.has('hypervisor') ? ' (virtual machine)' : ''}`;
  return { name, vendor, family, model, core, cores, avx512: flags.has('avx512f'), label };
}

let probes;
function probe() {
  // asc builds the probes beside the core's entries (asconfig.json), so they carry its one import.
  probes ??= new WebAssembly.Instance(new WebAssembly.Module(readFileSync(here('../build/bandwidth.wasm'))), NO_EPOCH_END).exports;
  return probes;
}

/** CPU seconds of this process so far (user + system). */
export const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Cycles of one clockChain iteration: 8 dependent 32-bit multiplies of 3 cycles each (bandwidth.ts). */
const CHAIN_CYCLES = 24;

/**
 * The core clock in Hz: 8·n dependent 3-cycle integer multiplies over the CPU time they took (CPU
 * time, not wall time: on a shared machine the process is often descheduled); median of 7.
 */
export function measureClock() {
  const { clockChain } = probe();
  const n = 10_000_000;
  clockChain(1000, 3);
  const hz = [];
  for (let i = 0; i < 7; i++) {
    const t0 = cpuSeconds();
    clockChain(n, 3);
    hz.push((CHAIN_CYCLES * n) / (cpuSeconds() - t0));
  }
  return hz.sort((a, b) => a - b)[3];
}

/** Read and copy bandwidth in bytes/s of v128 loops over `bytes` (best of 7). */
export function measureBandwidth(bytes) {
  const exports = probe();
  const mem = exports.memory;
  if (mem.buffer.byteLength < 2 * bytes + 65536) mem.grow(Math.ceil((2 * bytes + 65536 - mem.buffer.byteLength) / 65536));
  new Uint8Array(mem.buffer).fill(1, 65536, 65536 + 2 * bytes);
  const src = 65536;
  const dst = src + bytes;
  const best = (fn) => {
    let b = Infinity;
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      fn();
      b = Math.min(b, performance.now() - t0);
    }
    return b;
  };
  const read = bytes / (best(() => exports.readAll(src, bytes)) / 1e3);
  const copy = (2 * bytes) / (best(() => exports.copy(dst, src, bytes)) / 1e3);
  return { read, copy };
}

/**
 * Compile bench/native/`name`.c to build/`name`-native with the first of cc, gcc, clang that
 * succeeds: { bin, compiler } (the compiler's first version line and the flags), or { error }.
 */
export function compileNative(name, flags) {
  const bin = here(`../build/${name}-native`);
  mkdirSync(here('../build'), { recursive: true });
  for (const cc of ['cc', 'gcc', 'clang']) {
    try {
      execFileSync(cc, [...flags, '-o', bin, here(`./native/${name}.c`)], { stdio: 'ignore' });
      if (existsSync(bin)) return { bin, compiler: `${execFileSync(cc, ['--version'], { encoding: 'utf8' }).split('\n')[0]} ${flags.join(' ')}` };
    } catch {
      // next compiler
    }
  }
  return { error: 'no C compiler (cc, gcc, clang) on PATH could build it' };
}

/**
 * One core's 128-bit no-FMA float32 peak in flop per cycle, measured, for every "% of peak": WebAssembly
 * SIMD has no FMA, so a multiply and an add are separate instructions, and cores differ in how many of
 * each they issue a cycle (Zen 3–5: two 4-lane multiplies and two 4-lane adds, 16 flop/cycle; Intel
 * cores with three vector ports for both: 12). Each sample times the float chains between two runs
 * of the integer-multiply chain measureClock uses, so its cycles are those of that moment; the median
 * of 7 samples, measured twice:
 * - `native`: bench/native/peak.c, independent multiply and add chains compiled for this machine,
 *   what the hardware issues;
 * - `wasm`: bandwidth.ts peakChain, the same chains through V8's code (which re-broadcasts the factors
 *   and orders the operations its own way), reported beside it.
 * The yardstick is the native figure, the wasm one where no C compiler is found. Measured once per process.
 */
let peak;
export function measurePeak() {
  if (peak) return peak;
  const { peakChain, clockChain } = probe();
  const n = 2_500_000, c = 2_500_000;
  peakChain(1000, 1, 0.9999999, 1e-9);
  const wasm = [];
  for (let i = 0; i < 7; i++) {
    const t0 = cpuSeconds();
    clockChain(c, 3);
    const t1 = cpuSeconds();
    peakChain(n, 1, 0.9999999, 1e-9);
    const t2 = cpuSeconds();
    clockChain(c, 5);
    const t3 = cpuSeconds();
    const hz = (2 * CHAIN_CYCLES * c) / (t1 - t0 + (t3 - t2));
    wasm.push((384 * n) / ((t2 - t1) * hz));
  }
  const built = compileNative('peak', ['-O2', '-ffp-contract=off']);
  const native = built.error ? undefined : execFileSync(built.bin, ['20000000'], { encoding: 'utf8' }).trim().split(' ').slice(0, 7).map(Number);
  const mid = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  peak = {
    flopPerCycle: native ? mid(native) : mid(wasm),
    native: native && mid(native),
    wasm: mid(wasm),
    by: native ? `bench/native/peak.c (${built.compiler})` : `V8's code (bench/native/peak.c not built: ${built.error})`,
  };
  return peak;
}
