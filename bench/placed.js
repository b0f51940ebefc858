// What a train call costs beyond the kernel, on data placed once: the tutorial-size tax of the
// default options (the weight history), of an `onEpoch` callback every epoch (one call into the core
// per epoch) and of async `train`'s yields; the same callback at 100,000 × 100; and one call of one
// epoch, placed or passing the data set. `npm run bench` prints this section and its targets;
// `node bench/placed.js` prints it alone. CPU time beside wall time, medians of interleaved rounds
// (bench/rounds.js: warm-up, samples of ≥ 20 ms, a young-generation GC before every sample).
import { fileURLToPath } from 'node:url';
import { countOnes, init, LinearRNN, RandomState, rmsprop, train, trainSync } from '../dist/index.js';
import { InCore } from '../dist/training/in-core.js';
import { interleaved } from './rounds.js';

const W0 = { wx: 0.09, wRec: 0.011 };

/** Rows that each train `epochs` epochs per call from the same weights and a fresh optimizer. */
function runs(model, data, epochs, variants) {
  const optimizer = rmsprop();
  return variants.map(([key, name, options, async]) => ({
    key,
    name,
    epochs,
    run: async
      ? async () => {
          model.weights = W0;
          optimizer.reset();
          await train(model, data, { optimizer, epochs, ...options });
        }
      : () => {
          model.weights = W0;
          optimizer.reset();
          trainSync(model, data, { optimizer, epochs, ...options });
        },
  }));
}

/**
 * The core's runner without train: `epochs` epochs in calls of as many as one call takes, bare, and
 * reporting every epoch to a handler that does nothing (what onEpoch every epoch cannot go below).
 */
function coreRows(model, placed, epochs) {
  const binding = model.bind(placed, { loss: 'sse' });
  const optimizer = rmsprop();
  const lastGood = new Float32Array(model.params.length);
  const nothing = () => false;
  const run = (report) => () => {
    model.weights = W0;
    optimizer.reset();
    const runner = InCore.for(binding, optimizer, model.params.length, 200, epochs);
    for (let e = 0; e < epochs; e += runner.maxEpochs) runner.run(model.params, lastGood, Math.min(runner.maxEpochs, epochs - e), false, 0, report, 0, 1);
  };
  return [
    { key: 'coreAll', name: "the core's runner alone, all epochs per call", epochs, run: run(undefined) },
    { key: 'coreReport', name: "the core's runner alone, every epoch reported to a handler that does nothing", epochs, run: run(nothing) },
  ];
}

/**
 * Measure the section: resolves to { rows, tutorial, large } where `tutorial` and `large` map row
 * keys to CPU ns per epoch (and `call`, `callData`: ns per one-epoch call).
 */
export async function placedSection({ quick = false } = {}) {
  await init();
  const rounds = quick ? { rounds: 2, minRounds: 1 } : { rounds: 7, minRounds: 3 };
  const out = { rows: [], tutorial: {}, large: {} };
  const per = (r, what, note = '') => {
    const ns = (ms) => (ms * 1e6) / r.epochs;
    out.rows.push({ what, wall: ns(r.wall), cpu: ns(r.cpu), note });
    return ns(r.cpu);
  };

  // The tutorial, 20 × 10: 20,000 epochs per call (200,000 for the async pair, so that it yields: slices of 20 ms).
  const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
  const model = new LinearRNN(W0);
  const placed = model.place(data);
  const tut = await interleaved(
    runs(model, placed, 20_000, [
      ['bare', 'trackWeights: false (the bare kernel)', { trackWeights: false }],
      ['default', 'default options', {}],
      ['onEpoch', 'onEpoch every epoch (trackWeights: false)', { trackWeights: false, onEpoch: () => {} }],
      ['onEpochDefault', 'onEpoch every epoch, default options', { onEpoch: () => {} }],
    ]),
    rounds,
  );
  const t = out.tutorial;
  for (const r of tut) t[r.key] = per(r, `tutorial, per epoch: ${r.name}`);
  // What onEpoch cannot go below: the core's runner (src/training/in-core.ts) called directly, all
  // epochs in one call against one epoch per call, with none of train's checks, records or callback.
  const core = await interleaved(coreRows(model, placed, 20_000), rounds);
  for (const r of core) t[r.key] = per(r, `tutorial, per epoch: ${r.name}`);
  out.rows.at(-1).note = `${(t.coreReport / t.coreAll).toFixed(2)}× the bare run: the floor of onEpoch every epoch`;
  out.rows.find((r) => r.what.endsWith('default options')).note = `${((t.default / t.bare - 1) * 100).toFixed(1)}% over bare (target ≤ 10%)`;
  out.rows.find((r) => r.what.endsWith('(trackWeights: false)')).note = `${(t.onEpoch / t.bare).toFixed(2)}× bare (target ≤ 1.5×, issue 23)`;
  out.rows.find((r) => r.what.endsWith('every epoch, default options')).note = `${(t.onEpochDefault / t.bare).toFixed(2)}× bare`;
  const long = await interleaved(
    runs(model, placed, 200_000, [
      ['sync', 'trainSync, 200,000 epochs', { trackWeights: false }],
      ['async', 'async train, 200,000 epochs', { trackWeights: false }, true],
    ]),
    { rounds: quick ? 2 : 7, minRounds: 2, warmMs: 0, sampleMs: 0 },
  );
  t.sync = per(long[0], `tutorial, per epoch: ${long[0].name}`);
  t.async = per(long[1], `tutorial, per epoch: ${long[1].name}`, '');
  out.rows.at(-1).note = `${((t.async / t.sync - 1) * 100).toFixed(1)}% over trainSync (target ≤ 3%)`;
  // One call of one epoch: on placed data, and passing the data set (validated and copied every call).
  const calls = await interleaved(
    [
      ...runs(model, placed, 1, [['call', 'one trainSync call of 1 epoch on placed data', { trackWeights: false }]]),
      ...runs(model, data, 1, [['callData', 'the same call passing the data set', { trackWeights: false }]]),
    ],
    rounds,
  );
  t.call = per(calls[0], `tutorial, ${calls[0].name}`, '');
  out.rows.at(-1).note = `${fmt(t.call - t.bare)} beyond the epoch (target ≤ 2 µs)`;
  t.callData = per(calls[1], `tutorial, ${calls[1].name}`, '');
  out.rows.at(-1).note = `${fmt(t.callData - t.bare)} beyond the epoch`;
  placed.dispose();
  model.dispose();

  // 100,000 × 100, placed: 5 epochs per call, bare against onEpoch every epoch; then one epoch per call.
  const large = countOnes({ samples: 100_000, length: 100, rng: new RandomState(1) });
  const big = new LinearRNN(W0);
  const bigPlaced = big.place(large);
  const bigRows = await interleaved(
    runs(big, bigPlaced, 5, [
      ['bare', 'trackWeights: false', { trackWeights: false }],
      ['onEpoch', 'onEpoch every epoch (trackWeights: false)', { trackWeights: false, onEpoch: () => {} }],
    ]),
    quick ? { rounds: 2, minRounds: 1 } : { rounds: 5, minRounds: 5 },
  );
  const L = out.large;
  for (const r of bigRows) L[r.key] = per(r, `100,000 × 100, per epoch (5 per call, placed): ${r.name}`);
  out.rows.at(-1).note = `${((L.onEpoch / L.bare - 1) * 100).toFixed(1)}% over bare (target ≤ 10%)`;
  const bigCalls = await interleaved(
    [
      ...runs(big, bigPlaced, 1, [['call', 'one call of 1 epoch on placed data', { trackWeights: false }]]),
      ...runs(big, large, 1, [['callData', 'the same call passing the data set', { trackWeights: false }]]),
    ],
    quick ? { rounds: 2, minRounds: 1 } : { rounds: 5, minRounds: 5 },
  );
  L.call = per(bigCalls[0], `100,000 × 100, ${bigCalls[0].name}`, '');
  out.rows.at(-1).note = `${((L.call - L.bare) / L.bare).toFixed(2)} epochs beyond the epoch (target ≤ 1)`;
  L.callData = per(bigCalls[1], `100,000 × 100, ${bigCalls[1].name}`, '');
  out.rows.at(-1).note = `${((L.callData - L.bare) / L.bare).toFixed(2)} epochs beyond the epoch: the copy into the core, checked as it goes (target ≤ 1 epoch, issue 23)`;
  bigPlaced.dispose();
  big.dispose();
  return out;
}

export function fmt(ns) {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
}

/** The section's table, as markdown lines. */
export function placedTable(out) {
  return ['| what | wall | CPU | against the target |', '| --- | ---: | ---: | --- |', ...out.rows.map((r) => `| ${r.what} | ${fmt(r.wall)} | ${fmt(r.cpu)} | ${r.note} |`)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await placedSection({ quick: process.argv.includes('--quick') });
  for (const line of placedTable(out)) console.log(line);
}
