// Sweep rows for `npm run bench` (and alone: `node bench/sweep.js [--runs 1000] [--quick]`): the
// forecast example's model (examples/forecast/: ElmanRNN of 24 units, 32 steps back, 4 ahead, Adam
// lr 0.005, batches of 64 shuffled, clipNorm 1) at 20 epochs, one model per series of 400 steps (its
// last quarter held out and scored), trained three ways on the same runs:
//   one after another in this thread (what a user's loop does), the embedded runner (`sweep`, 2
//   worker threads), and BullMQ on a local redis-server with 2 `elman worker` processes (1 thread each).
// The runs are split in rounds, the three rows interleaved per round. Then BullMQ's per-run overhead:
// tiny runs through one worker, (wall − the runs' own training time) / runs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { adam, ElmanRNN, init, noisySignal, RandomState, Scaler, splitByTime, train, windows } from '../dist/index.js';
import { sweep } from '../dist/sweep/index.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const REDIS = '/usr/bin/redis-server';
const TICKS = 100; // clock ticks per second of /proc/<pid>/stat (Linux's USER_HZ)

/** The forecast example's model and training, one run per series `first … first + n − 1`. */
export function forecasters(first, n, { length = 400, epochs = 20 } = {}) {
  return {
    name: 'bench',
    model: { kind: 'elman', inputSize: 1, hiddenSize: 24, outputSize: 4, seed: 1 },
    data: { lookback: 32, horizon: 4, validation: 0.25 },
    train: { optimizer: { name: 'adam', lr: 0.005 }, epochs, loss: 'mse', batchSize: 64, shuffle: 1, clipNorm: 1 },
    perSeries: Array.from({ length: n }, (_, i) => Array.from(noisySignal({ length, rng: new RandomState(first + i) }))),
  };
}

/** The same runs the way a user's loop trains them: one after another, here, scoring the held-out part. */
async function oneAfterAnother(spec) {
  const { lookback, horizon, validation } = spec.data;
  for (const series of spec.perSeries) {
    const { train: past, test: future } = splitByTime(series, 1 - validation, lookback);
    const scaler = Scaler.fit(past);
    const data = windows(scaler.transform(past), { lookback, horizon });
    const held = windows(scaler.transform(future), { lookback, horizon });
    const { kind, ...options } = spec.model;
    const model = new ElmanRNN(options);
    const t = spec.train;
    await train(model, data, { optimizer: adam({ lr: t.optimizer.lr }), epochs: t.epochs, loss: t.loss, batchSize: t.batchSize, shuffle: t.shuffle, clipNorm: t.clipNorm });
    model.lossAt(model.params, held, t.loss);
    JSON.stringify(model.toJSON()); // a sweep keeps each model as JSON: the same work here
    model.dispose();
  }
}

/** CPU seconds of processes by pid (user + system, from /proc). */
function cpuOf(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS;
}

/** Wall and CPU seconds of `f` (CPU: this process, every thread, plus `pids`). */
async function timed(f, pids = []) {
  const c0 = process.cpuUsage();
  const p0 = cpuOf(pids);
  const t0 = performance.now();
  await f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 + cpuOf(pids) - p0 };
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A process whose stdout is watched; resolves once a line matches `ready`. */
function started(cmd, args, ready) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      text += d;
      if (ready.test(text)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}: ${text}`)));
  });
}

const stop = (child) => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM'))));

/** The sweep section of the bench: prints its rows through `say`; returns the figures. */
export async function sweepSection(say, { quick = false, runs = quick ? 100 : 1000 } = {}) {
  await init();
  const rounds = 2;
  const per = Math.ceil(runs / rounds);
  say(`## Sweeps (issue 24): ${runs} forecasters, 2 cores`);
  say();
  say(`The forecast example's model (ElmanRNN 24 units, lookback 32, horizon 4, Adam, batches of 64) at 20 epochs, one per`);
  say(`noisy series of 400 steps (last quarter held out and scored), ${rounds} rounds of ${per} runs, the rows interleaved per round.`);
  say('CPU: every thread of this process, plus the worker processes for BullMQ (started before the rounds, as a deployment keeps');
  say('them; their start-up is not timed, the embedded pool\'s is). The machine may be shared: ratios, not absolute times, are the figures.');
  say();
  const haveRedis = existsSync(REDIS);
  let redis, url, workers = [];
  if (haveRedis) {
    const port = await freePort();
    redis = await started(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], /ready to accept connections/i);
    url = `redis://127.0.0.1:${port}`;
    workers = await Promise.all([0, 1].map(() => started(process.execPath, [CLI, 'worker', '--redis', url, '--name', 'bench', '--concurrency', '1'], /^worker \d+/m)));
  }
  const sum = { alone: { wall: 0, cpu: 0 }, embedded: { wall: 0, cpu: 0 }, bullmq: { wall: 0, cpu: 0 } };
  const add = (row, t) => ((sum[row].wall += t.wall), (sum[row].cpu += t.cpu));
  try {
    for (let r = 0; r < rounds; r++) {
      const spec = forecasters(r * per, Math.min(per, runs - r * per));
      const rows = [
        ['alone', () => timed(() => oneAfterAnother(spec))],
        ['embedded', () => timed(async () => void (await sweep(spec, { concurrency: 2 })))],
        ...(haveRedis ? [['bullmq', () => timed(async () => void (await sweep(spec, { redis: url })), workers.map((w) => w.pid))]] : []),
      ];
      // Alternate the order per round, so that no row always runs first.
      for (const [row, f] of r % 2 ? rows.reverse() : rows) add(row, await f());
    }
    const fmt = (t) => `${t.wall.toFixed(1)} s | ${t.cpu.toFixed(1)} s`;
    say('| row | wall | CPU | wall per model | wall vs one after another | target |');
    say('| --- | ---: | ---: | ---: | ---: | --- |');
    const ratio = (row) => sum[row].wall / sum.alone.wall;
    say(`| one after another, this thread (\`train\`) | ${fmt(sum.alone)} | ${((sum.alone.wall / runs) * 1e3).toFixed(1)} ms | 1 | |`);
    say(`| embedded \`sweep\`, 2 worker threads | ${fmt(sum.embedded)} | ${((sum.embedded.wall / runs) * 1e3).toFixed(1)} ms | ${ratio('embedded').toFixed(3)}× | ≤ 0.55× ${ratio('embedded') <= 0.55 ? 'met' : 'MISSED'} |`);
    if (haveRedis) {
      const vs = sum.bullmq.wall / sum.embedded.wall;
      say(`| BullMQ, 2 \`elman worker\` processes | ${fmt(sum.bullmq)} | ${((sum.bullmq.wall / runs) * 1e3).toFixed(1)} ms | ${ratio('bullmq').toFixed(3)}× | ≤ 1.15× the embedded wall: ${vs.toFixed(3)}× ${vs <= 1.15 ? 'met' : 'MISSED'} |`);
    } else say('| BullMQ | not run: no /usr/bin/redis-server | | | | |');
    say();
    if (haveRedis) {
      // Per-run overhead: tiny runs (a 4-unit Elman, 1 epoch on 40 steps) through one worker at concurrency 1.
      for (const w of workers.splice(1)) await stop(w);
      const m = quick ? 200 : 1000;
      const tiny = { ...forecasters(10 ** 6, m, { length: 40, epochs: 1 }), name: 'bench' };
      tiny.model = { ...tiny.model, hiddenSize: 4 };
      tiny.data = { lookback: 8, horizon: 4, validation: 0 };
      let results;
      await import('bullmq'); // loaded once, as a long-running client has it
      const t = await timed(async () => void (results = await sweep(tiny, { redis: url })), workers.map((w) => w.pid));
      const own = results.runs.reduce((s, r) => s + r.history.ms, 0) / 1e3;
      const overhead = ((t.wall - own) / m) * 1e3;
      const cpuPer = (t.cpu / m) * 1e3;
      say(`BullMQ per-run overhead (enqueue → result stored), ${m} tiny runs through 1 worker at concurrency 1: ${((t.wall / m) * 1e3).toFixed(2)} ms per run, of which`);
      say(`training ${((own / m) * 1e3).toFixed(2)} ms: **${overhead.toFixed(2)} ms** overhead (target ≤ 5 ms: ${overhead <= 5 ? 'met' : 'MISSED'}); it includes the client's connections and addBulk, the`);
      say('worker\'s fetch, the hop to its training thread and back, the job\'s completion in Redis and the client hearing of it.');
      say(`CPU per tiny run, client and worker processes (Redis's own CPU not counted), training included: ${cpuPer.toFixed(2)} ms.`);
      say();
    }
    return sum;
  } finally {
    for (const w of workers) await stop(w);
    if (redis) await stop(redis);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--runs');
  const quick = process.argv.includes('--quick');
  await sweepSection(console.log, { quick, ...(i > 0 && { runs: Number(process.argv[i + 1]) }) });
}
