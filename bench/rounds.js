// Timing for a shared machine: every row runs once to warm up, then the rows take turns, round
// after round, so a burst of someone else's load falls on all of them; each row's figure is the
// median of its rounds. Wall time and this process's CPU time (process.threadCpuUsage where the
// runtime has it, else process.cpuUsage: every thread of the process, user + system).

const cpuNow = typeof process.threadCpuUsage === 'function' ? () => process.threadCpuUsage() : () => process.cpuUsage();
export const CPU_CLOCK = typeof process.threadCpuUsage === 'function' ? 'process.threadCpuUsage' : 'process.cpuUsage (all threads)';

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One timed call: { wall, cpu } in ms; `allThreads`: CPU of every thread of the process (rows that run worker threads). */
async function timeOnce(fn, allThreads = false) {
  const now = allThreads ? () => process.cpuUsage() : cpuNow;
  const c0 = now();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c1 = now();
  return { wall, cpu: (c1.user - c0.user + c1.system - c0.system) / 1e3 };
}

/**
 * Interleaved rounds over `rows` ({ run }: one call, maybe async). A row whose warm-up call took
 * longer than `slow` ms gets `minRounds` rounds, the others `rounds`. Resolves to the rows with
 * { wall, cpu, rounds } added (medians, ms per call).
 */
export async function interleaved(rows, { rounds = 7, minRounds = 3, slow = 1000 } = {}) {
  const samples = rows.map(() => ({ wall: [], cpu: [] }));
  const want = [];
  for (const row of rows) want.push((await timeOnce(row.run, row.allThreads)).wall > slow ? minRounds : rounds);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < rows.length; i++) {
      if (r >= want[i]) continue;
      const t = await timeOnce(rows[i].run, rows[i].allThreads);
      samples[i].wall.push(t.wall);
      samples[i].cpu.push(t.cpu);
    }
  }
  return rows.map((row, i) => ({ ...row, wall: median(samples[i].wall), cpu: median(samples[i].cpu), rounds: samples[i].wall.length }));
}
