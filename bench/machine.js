// What the bench knows about the machine: the CPU read from /proc/cpuinfo, its clock measured by a
// dependent chain of integer multiplies, memory bandwidth, and the peak the kernels are held to.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

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
  probes ??= new WebAssembly.Instance(new WebAssembly.Module(readFileSync(here('../build/bandwidth.wasm'))), {}).exports;
  return probes;
}

/** CPU seconds of this process so far (user + system). */
export const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

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
    hz.push((24 * n) / (cpuSeconds() - t0));
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
 * One core's 128-bit no-FMA peak in float32 operations per cycle: WebAssembly SIMD has no FMA, so
 * a multiply and an add are separate instructions; Zen 3, 4 and 5 issue two 128-bit multiplies and
 * two 128-bit adds per cycle (4 lanes each): 16 flop/cycle.
 */
export const PEAK_FLOP_PER_CYCLE = 16;
