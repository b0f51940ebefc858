// Issue 18's speed condition: the bench's Elman rows (bench/elman.js: hidden 8/32/128, the wasm SIMD
// row and 2 threads at 128) on this tree against the same rows on a build of the tree before the
// fused Elman kernel was deleted, in one process, interleaved round by round, same work, and the
// same bits checked (the parameters after one call equal float for float).
//   git worktree add /tmp/old 19e837c && (cd /tmp/old && ln -s "$PWD/node_modules" . && npm run build)
//   node bench/elman-vs-fused.js /tmp/old [--hidden 8,32,128] [--rounds 15]
// Per round each row runs `calls` back-to-back calls; the figure is the median over rounds of the
// per-round ratio new/old (a load burst falls on both halves of a pair), CPU of the calling thread
// (threaded rows: every thread of the process) beside wall time.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ELMAN, ELMAN_EPOCHS, elmanData } from './elman.js';
import { collectYoung, processCpuMs, threadCpuMs } from './rounds.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { hidden: { type: 'string', default: '8,32,128' }, rounds: { type: 'string', default: '21' }, threads: { type: 'boolean', default: true } } });
const oldRoot = resolve(positionals[0] ?? '/tmp/old');
const NEW = await import('../dist/index.js');
const OLD = await import(pathToFileURL(`${oldRoot}/dist/index.js`).href);
await NEW.init();
await OLD.init();

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** A row: `run` trains `epochs` epochs from the same start on lib's ElmanRNN (placed on `threads` threads if given). */
async function row(lib, hidden, data, threads) {
  const model = new lib.ElmanRNN({ inputSize: data.inputSize, hiddenSize: hidden, outputSize: 1, seed: 1, backend: 'wasm' });
  const start = model.params.slice();
  const placed = threads ? await model.placeThreaded(data, { threads }) : data;
  const optimizer = lib.rmsprop({ lr: ELMAN.lr });
  const epochs = ELMAN_EPOCHS[hidden] ?? 1;
  return {
    model,
    all: Boolean(threads),
    run: () => {
      model.params.set(start);
      optimizer.reset();
      lib.trainSync(model, placed, { optimizer, epochs, loss: 'mse', batchSize: ELMAN.batch });
    },
  };
}

function time(r, calls) {
  const now = r.all ? processCpuMs : threadCpuMs;
  const c0 = now(), t0 = performance.now();
  for (let i = 0; i < calls; i++) r.run();
  return { wall: (performance.now() - t0) / calls, cpu: (now() - c0) / calls };
}

const data = elmanData();
const rounds = Number(values.rounds);
console.log(`Elman rows, this tree (new) against ${oldRoot} (old, the fused kernel): ${rounds} interleaved rounds, medians of the per-round ratio new/old`);
for (const hidden of values.hidden.split(',').map(Number)) {
  const sets = [[0]];
  if (values.threads && hidden === 128) sets.push([2]);
  for (const [threads] of sets) {
    const pair = [await row(OLD, hidden, data, threads), await row(NEW, hidden, data, threads)];
    for (const r of pair) r.run();
    const same = pair[0].model.params.every((v, i) => Object.is(v, pair[1].model.params[i]));
    // Warm both for 300 ms each (until optimised), then as many calls per sample as fill ~40 ms.
    let per = 0;
    for (const r of pair) {
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < 300) (r.run(), n++);
      per = Math.max(per, time(r, 3).wall);
    }
    const calls = Math.max(1, Math.ceil(40 / per));
    const wall = [], cpu = [], abs = [[], []];
    for (let k = 0; k < rounds; k++) {
      const order = k % 2 ? [1, 0] : [0, 1];
      const t = [];
      for (const i of order) {
        collectYoung();
        t[i] = time(pair[i], calls);
        abs[i].push(t[i].cpu);
      }
      wall.push(t[1].wall / t[0].wall);
      cpu.push(t[1].cpu / t[0].cpu);
    }
    for (const r of pair) {
      r.model.dispose();
    }
    const label = `hidden ${String(hidden).padStart(3)}${threads ? `, ${threads} threads` : ''}`;
    console.log(`${label.padEnd(22)} CPU new/old ${median(cpu).toFixed(3)} (old ${median(abs[0]).toFixed(2)} ms, new ${median(abs[1]).toFixed(2)} ms per call)  wall new/old ${median(wall).toFixed(3)}  same bits: ${same ? 'yes' : 'NO'}  (${calls} calls × ${rounds} rounds)`);
  }
}
process.exit(0);
