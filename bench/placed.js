// What a train call costs beyond the kernel: data placed once vs passed every call, and the
// tutorial-size tax of the default options, onEpoch and async yields. Run: node bench/placed.js
// (npm run bench runs it too). CPU time (process.cpuUsage) beside wall time, medians of rounds.
import { countOnes, init, LinearRNN, RandomState, rmsprop, train, trainSync } from '../dist/index.js';

await init();
const ROUNDS = 7;

function measure(fn, reps) {
  const wall = [];
  const cpu = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    wall.push(((performance.now() - t0) * 1e6) / reps);
    const c = process.cpuUsage(c0);
    cpu.push(((c.user + c.system) * 1e3) / reps);
  }
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  return { wall: med(wall), cpu: med(cpu) }; // nanoseconds per rep
}


const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const rows = [];
const row = (what, m, note = '') => rows.push(`| ${what} | ${fmt(m.wall)} | ${fmt(m.cpu)} | ${note} |`);

// The tutorial: 20 × 10, RMSProp, one long run per measurement (epochs per call: 20,000).
const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
const EPOCHS = 20_000;
const model = new LinearRNN({ wx: 0.09, wRec: 0.011 });
const placed = model.place(data);
const fresh = () => model.params.set([0.09, 0.011]);
const perEpoch = (o) => {
  const m = measure(() => {
    fresh();
    trainSync(model, placed, { optimizer: rmsprop(), epochs: EPOCHS, ...o });
  }, 3);
  return { wall: m.wall / EPOCHS, cpu: m.cpu / EPOCHS };
};
const bare = perEpoch({ trackWeights: false });
row('tutorial, per epoch: trackWeights false (the bare kernel)', bare);
const dflt = perEpoch({});
row('tutorial, per epoch: default options', dflt, `${((dflt.cpu / bare.cpu - 1) * 100).toFixed(1)}% over bare (target ≤ 10%)`);
const cb = perEpoch({ trackWeights: false, onEpoch: () => {} });
row('tutorial, per epoch: onEpoch every epoch', cb, `${(cb.cpu / bare.cpu).toFixed(2)}× bare (target ≤ 2×)`);
// Async against sync over the same long run (200,000 epochs, ≈25 ms: slices of 20 ms, so it yields).
const LONG = 200_000;
// Interleaved: a sync run, then an async run, ROUNDS times; medians of each.
const cpuOf = (c) => (c.user + c.system) * 1e3;
const syncT = [];
const asyncT = [];
const syncW = [];
const asyncW = [];
for (let r = 0; r < ROUNDS; r++) {
  fresh();
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  trainSync(model, placed, { optimizer: rmsprop(), epochs: LONG, trackWeights: false });
  syncT.push(cpuOf(process.cpuUsage(c0)));
  syncW.push((performance.now() - t0) * 1e6);
  fresh();
  c0 = process.cpuUsage();
  t0 = performance.now();
  await train(model, placed, { optimizer: rmsprop(), epochs: LONG, trackWeights: false });
  asyncT.push(cpuOf(process.cpuUsage(c0)));
  asyncW.push((performance.now() - t0) * 1e6);
}
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const syncLong = { wall: median(syncW), cpu: median(syncT) };
const asyncRun = { wall: median(asyncW), cpu: median(asyncT) };
const syncPer = { wall: syncLong.wall / LONG, cpu: syncLong.cpu / LONG };
const asyncPer = { wall: asyncRun.wall / LONG, cpu: asyncRun.cpu / LONG };
row('tutorial, per epoch: trainSync, 200,000 epochs', syncPer);
row('tutorial, per epoch: async train, 200,000 epochs', asyncPer, `${((asyncPer.cpu / syncPer.cpu - 1) * 100).toFixed(1)}% over trainSync (target ≤ 3%)`);

// A second call on placed data: one epoch per call, minus one epoch of kernel.
const call = measure(() => trainSync(model, placed, { optimizer: rmsprop(), epochs: 1, trackWeights: false }), 20_000);
row('tutorial, one trainSync call of 1 epoch on placed data', call, `${fmt(call.cpu - bare.cpu)} beyond the epoch (target ≤ 2 µs)`);
const callData = measure(() => trainSync(model, data, { optimizer: rmsprop(), epochs: 1, trackWeights: false }), 20_000);
row('tutorial, the same call passing the data set', callData, `${fmt(callData.cpu - bare.cpu)} beyond the epoch`);
placed.dispose();
model.dispose();

// 100,000 × 100: the second call on placed data against one epoch.
const large = countOnes({ samples: 100_000, length: 100, rng: new RandomState(1) });
const big = new LinearRNN({ wx: 0.09, wRec: 0.011 });
const bigPlaced = big.place(large);
const bigEpoch = measure(() => trainSync(big, bigPlaced, { optimizer: rmsprop(), epochs: 5, trackWeights: false }), 1);
const epoch = { wall: bigEpoch.wall / 5, cpu: bigEpoch.cpu / 5 };
row('100,000 × 100, per epoch (5 per call, placed)', epoch);
const bigCall = measure(() => trainSync(big, bigPlaced, { optimizer: rmsprop(), epochs: 1, trackWeights: false }), 3);
row('100,000 × 100, one call of 1 epoch on placed data', bigCall, `${((bigCall.cpu - epoch.cpu) / epoch.cpu).toFixed(2)} epochs beyond the epoch (target ≤ 1)`);
const bigData = measure(() => trainSync(big, large, { optimizer: rmsprop(), epochs: 1, trackWeights: false }), 3);
row('100,000 × 100, the same call passing the data set', bigData, `${((bigData.cpu - epoch.cpu) / epoch.cpu).toFixed(2)} epochs beyond the epoch (validation and copy)`);
bigPlaced.dispose();
big.dispose();

console.log('| what | wall | CPU | against the target |\n| --- | ---: | ---: | --- |');
for (const r of rows) console.log(r);
